/**
 * The learning portal's fixed content: course ids, search terms and the few code locations its
 * JavaScript errors come from. Kept apart from the journey logic so the numbers stay readable.
 */

/** Course ids in the catalogue; popularity falls off with the index (Zipf-like). */
export const COURSE_IDS: readonly number[] = Array.from({ length: 240 }, (_, i) => 101 + i * 7);

/**
 * Number of lessons of a course: 6 to 33, fixed per course.
 *
 * @example
 * const last = lessonCount(101); // lessons are 1…last
 */
export function lessonCount(courseId: number): number {
  return 6 + (((courseId * 2654435761) >>> 0) % 28);
}

/** Terms users search for, most popular first. */
export const SEARCH_TERMS: readonly string[] = [
  'python',
  'excel',
  'machine learning',
  'javascript',
  'sql',
  'project management',
  'spanish',
  'data analysis',
  'react',
  'statistics',
  'photoshop',
  'public speaking',
  'accounting',
  'ux design',
  'kubernetes',
  'calculus',
];

/** Browsers of the simulated users, by share. */
export const BROWSERS: readonly (readonly [string, number])[] = [
  ['Chrome 131', 48],
  ['Safari 18', 22],
  ['Chrome Mobile 131', 14],
  ['Edge 131', 8],
  ['Firefox 133', 6],
  ['Samsung Internet 26', 2],
];

/** Device classes, by share. */
export const DEVICES: readonly (readonly [string, number])[] = [
  ['desktop', 58],
  ['mobile', 34],
  ['tablet', 8],
];

/** Assets the service worker serves from its cache. */
export const CACHED_ASSETS: readonly string[] = [
  '/assets/app-91c02b6f.js',
  '/assets/vendor-8d41b0f2.js',
  '/assets/player-3f2a9c1e.js',
  '/assets/course-5b7e21d4.js',
  '/assets/app-4e1f0c77.css',
  '/fonts/inter-var-latin.woff2',
  '/icons/icon-192.png',
  '/api/courses?page=1',
];

/** UI locales, by share. */
export const LOCALES: readonly (readonly [string, number])[] = [
  ['en-US', 40],
  ['en-GB', 15],
  ['es-ES', 12],
  ['de-DE', 10],
  ['fr-FR', 9],
  ['pt-BR', 8],
  ['hi-IN', 6],
];

/** Effective connection types, by share. */
export const CONNECTIONS: readonly (readonly [string, number])[] = [
  ['4g', 80],
  ['wifi', 12],
  ['3g', 7],
  ['slow-2g', 1],
];

/** One source of JavaScript errors in the portal's bundle. */
export interface JsErrorTemplate {
  name: string;
  message: string;
  phase: string;
  /** V8 stack frames after the first line. */
  frames: readonly string[];
  weight: number;
}

const ASSETS = 'https://learn.example.com/assets';

/** The code locations JavaScript errors come from. */
export const JS_ERRORS: readonly JsErrorTemplate[] = [
  {
    name: 'TypeError',
    message: "Cannot read properties of undefined (reading 'duration')",
    phase: 'content',
    frames: [
      `VideoPlayer.handleLoadedMetadata (${ASSETS}/player-3f2a9c1e.js:1:48213)`,
      `HTMLVideoElement.<anonymous> (${ASSETS}/vendor-8d41b0f2.js:2:11873)`,
    ],
    weight: 30,
  },
  {
    name: 'TypeError',
    message: "Cannot read properties of null (reading 'lessons')",
    phase: 'content',
    frames: [
      `CourseOutline.render (${ASSETS}/course-5b7e21d4.js:1:9142)`,
      `renderWithHooks (${ASSETS}/vendor-8d41b0f2.js:2:65710)`,
      `updateFunctionComponent (${ASSETS}/vendor-8d41b0f2.js:2:70311)`,
    ],
    weight: 25,
  },
  {
    name: 'ChunkLoadError',
    message: `Loading chunk 742 failed. (error: ${ASSETS}/742.8c1f3a90.js)`,
    phase: 'ui',
    frames: [`__webpack_require__.f.j (${ASSETS}/runtime-0e4d7c11.js:1:5120)`, `${ASSETS}/runtime-0e4d7c11.js:1:1534`],
    weight: 15,
  },
  {
    name: 'TypeError',
    message: 'Failed to fetch',
    phase: 'auth',
    frames: [
      `AuthProvider.refreshToken (${ASSETS}/app-91c02b6f.js:1:20417)`,
      `async AuthProvider.ensureSession (${ASSETS}/app-91c02b6f.js:1:21088)`,
    ],
    weight: 15,
  },
  {
    name: 'QuotaExceededError',
    message: "Failed to execute 'put' on 'Cache': Quota exceeded.",
    phase: 'pwa',
    frames: [`OfflineStore.saveLesson (${ASSETS}/sw-helpers-77ab30e2.js:1:3391)`],
    weight: 8,
  },
  {
    name: 'RangeError',
    message: 'Maximum call stack size exceeded',
    phase: 'content',
    frames: [
      `ProgressTracker.merge (${ASSETS}/progress-c3d98e05.js:1:1877)`,
      `ProgressTracker.merge (${ASSETS}/progress-c3d98e05.js:1:1920)`,
      `ProgressTracker.merge (${ASSETS}/progress-c3d98e05.js:1:1920)`,
    ],
    weight: 7,
  },
];

/** Messages of server-side errors logged by `portal-api` when it answers 5xx. */
export const SYSTEM_ERRORS: readonly (readonly [
  { name: string; message: string; frames: readonly string[] },
  number,
])[] = [
  [
    {
      name: 'Error',
      message: 'connect ECONNREFUSED 10.0.2.14:5432',
      frames: ['TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)'],
    },
    40,
  ],
  [
    {
      name: 'TimeoutError',
      message: 'Connection pool exhausted: no connection available within 5000 ms',
      frames: [
        'Pool.acquire (/srv/portal-api/node_modules/pg-pool/index.js:212:21)',
        'async CourseRepository.findById (/srv/portal-api/dist/courses/course-repository.js:41:22)',
      ],
    },
    40,
  ],
  [
    {
      name: 'Error',
      message: 'upstream video-transcoder timed out after 30000 ms',
      frames: ['VideoService.manifest (/srv/portal-api/dist/video/video-service.js:88:13)'],
    },
    20,
  ],
];

/** The reason phrase of an HTTP status the simulator produces. */
export const STATUS_TEXT: Readonly<Record<number, string>> = {
  0: 'Network Error',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};
