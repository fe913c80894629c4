import type { Attrs, HttpMethod, VigilEvent } from '@vigil/schema';
import {
  BROWSERS,
  CACHED_ASSETS,
  CONNECTIONS,
  COURSE_IDS,
  DEVICES,
  LOCALES,
  lessonCount,
  SEARCH_TERMS,
  STATUS_TEXT,
} from './portal-catalog.js';
import { javascriptError, pickStatus, systemError } from './portal-errors.js';
import type { Rng } from './rng.js';
import type { ModeEffects } from './scenario.js';

/** Which side of the portal emits an event: the browser app or the API servers. */
export type EventRole = 'client' | 'server';

/** A generated event and the side that emits it. */
export interface SimEvent {
  role: EventRole;
  event: VigilEvent;
}

/** What a journey needs from the simulator. `clock` is the session's simulated time, epoch ms. */
export interface JourneyContext {
  readonly rng: Rng;
  readonly sessionId: string;
  readonly userId: string;
  clock: number;
  /** The effects of the mode in force at a simulated instant. */
  effects(ts: number): ModeEffects;
  /** An API host and its process session id, for server-side errors. */
  pickHost(): { host: string; sessionId: string };
}

/** Base rates of the healthy portal. */
const RATES = {
  loginFailure: 0.04,
  jsErrorPerPage: 0.006,
  validationPerLogin: 0.01,
  installedApp: 0.25,
  pwaInstall: 0.08,
  rating: 0.03,
  videoComplete: 0.8,
  courseComplete: 0.06,
} as const;

const round1 = (v: number): number => Math.round(v * 10) / 10;

/**
 * One simulated tab session on the learning portal, as a generator of events in time order:
 * session start → sign-in → catalogue, search and courses → lessons and videos → rating → end.
 * The generator reads `ctx.clock` when it builds each event, so the simulator may push the clock
 * forward between events (the user idled) without breaking the session's timeline.
 *
 * @example
 * const journey = new SessionJourney(ctx);
 * for (const { role, event } of journey.run()) console.log(role, event.type);
 */
export class SessionJourney {
  private readonly rng: Rng;
  private startTs: number;
  private readonly client: { browser: string; device: string; connection: string; locale: string };
  private page: string | undefined;
  /** Latency of the last API call, for timings that include it. */
  private lastLatency = 0;
  private cacheHits = 0;
  private cacheMisses = 0;

  constructor(private readonly ctx: JourneyContext) {
    this.rng = ctx.rng;
    this.startTs = ctx.clock;
    this.client = {
      browser: this.rng.weighted(BROWSERS),
      device: this.rng.weighted(DEVICES),
      connection: this.rng.weighted(CONNECTIONS),
      locale: this.rng.weighted(LOCALES),
    };
  }

  /** Generates the whole session. */
  *run(): Generator<SimEvent, void, void> {
    const { rng, ctx } = this;
    const start = this.client_({ type: 'session', ts: ctx.clock, action: 'start', userId: ctx.userId });
    yield start;
    // The simulator may have moved the start event while it waited; the session starts when it says.
    this.startTs = start.event.ts;
    const installed = rng.bernoulli(RATES.installedApp);
    const signedIn = rng.bernoulli(0.3);
    yield* this.pageView(signedIn ? '/' : '/login');
    if (installed && rng.bernoulli(0.4)) yield* this.offlineSync();
    if (!signedIn && !(yield* this.signIn())) return yield* this.end();
    if (rng.bernoulli(0.8)) yield* this.catalogue();
    if (rng.bernoulli(0.3)) yield* this.search();
    const courses = Math.min(5, 1 + Math.floor(-Math.log(1 - rng.next()) / Math.LN2));
    for (let i = 0; i < courses; i++) {
      yield* this.course();
      if (i === 0 && !installed && rng.bernoulli(RATES.pwaInstall)) {
        this.think(2_000, 10_000);
        yield this.action('pwa', 'pwa_install', { platform: this.client.device === 'desktop' ? 'desktop' : 'android' });
      }
    }
    if (rng.bernoulli(RATES.rating)) {
      this.think(3_000, 15_000);
      const score = rng.weighted([
        [5, 60],
        [4, 30],
        [3, 6],
        [2, 2],
        [1, 2],
      ] as const);
      yield this.client_({
        type: 'rating',
        ts: ctx.clock,
        score,
        userId: ctx.userId,
        attrs: { page: this.page ?? '/', device: this.client.device, prompt: 'session_end' },
      });
    }
    yield* this.end();
  }

  private *end(): Generator<SimEvent, void, void> {
    yield* this.leavePage();
    yield* this.flushCacheCounts();
    this.think(1_000, 20_000);
    const { ctx } = this;
    const ts = Math.round(ctx.clock);
    yield this.client_({ type: 'session', ts, action: 'end', userId: ctx.userId, durationMs: ts - this.startTs });
  }

  private *signIn(): Generator<SimEvent, boolean, void> {
    const { rng, ctx } = this;
    if (this.page !== '/login') yield* this.pageView('/login');
    this.think(4_000, 15_000);
    if (rng.bernoulli(RATES.validationPerLogin)) {
      yield this.client_({
        type: 'error',
        ts: ctx.clock,
        kind: 'validation',
        name: 'ValidationError',
        message: 'email must be a valid email address',
        phase: 'auth',
        userId: ctx.userId,
        context: { field: 'email', form: 'login', page: '/login' },
      });
      this.think(3_000, 10_000);
    }
    const method = rng.weighted([
      ['password', 75],
      ['sso', 25],
    ] as const);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const fails = rng.bernoulli(RATES.loginFailure);
      const status = yield* this.api('POST', '/api/auth/login', 210, 520, fails ? 401 : undefined);
      const overhead = rng.uniform(20, 60);
      ctx.clock += overhead;
      yield this.client_({
        type: 'timing',
        ts: ctx.clock,
        phase: 'auth',
        name: 'login',
        durationMs: round1(this.lastLatency + overhead),
        attrs: { method, attempt, ...this.client },
      });
      if (status >= 200 && status < 300) {
        yield this.action('auth', 'login', { method, attempt });
        return true;
      }
      if (status === 401) {
        yield this.client_({
          type: 'error',
          ts: ctx.clock,
          kind: 'auth',
          name: 'AuthError',
          message: 'invalid_credentials',
          phase: 'auth',
          userId: ctx.userId,
          context: { method, attempt, page: '/login', browser: this.client.browser },
        });
      }
      if (!rng.bernoulli(0.7)) return false;
      this.think(5_000, 20_000);
    }
    return false;
  }

  private *catalogue(): Generator<SimEvent, void, void> {
    this.think(3_000, 20_000);
    yield* this.pageView('/courses');
    const page = this.rng.weighted([
      [1, 80],
      [2, 15],
      [3, 5],
    ] as const);
    const status = yield* this.api('GET', page === 1 ? '/api/courses' : `/api/courses?page=${page}`, 45, 120);
    if (status === 200) yield this.action('content', 'catalog_view', { page, sort: 'popular' });
  }

  private *search(): Generator<SimEvent, void, void> {
    this.think(3_000, 15_000);
    yield* this.pageView('/search');
    this.think(2_000, 8_000);
    const q = SEARCH_TERMS[Math.floor(SEARCH_TERMS.length * this.rng.next() ** 2)] ?? 'python';
    const status = yield* this.api('GET', `/api/search?q=${encodeURIComponent(q)}`, 140, 420);
    if (status === 200) yield this.action('content', 'search', { q, results: this.rng.int(0, 48) });
  }

  private *course(): Generator<SimEvent, void, void> {
    const { rng } = this;
    this.think(5_000, 40_000);
    const courseId = COURSE_IDS[Math.floor(COURSE_IDS.length * rng.next() ** 3)] ?? 101;
    yield* this.pageView(`/courses/${courseId}`);
    const status = yield* this.api('GET', `/api/courses/${courseId}`, 45, 120);
    if (status !== 200) return;
    yield this.action('content', 'course_view', { courseId, source: this.page === '/search' ? 'search' : 'catalog' });
    yield* this.api('GET', `/api/courses/${courseId}/lessons`, 45, 120);
    if (!rng.bernoulli(0.7)) return;
    const lessons = lessonCount(courseId);
    let lessonId = rng.int(1, lessons);
    const watch = rng.int(1, 3);
    for (let i = 0; i < watch && lessonId <= lessons; i++, lessonId++) yield* this.lesson(courseId, lessonId);
  }

  private *lesson(courseId: number, lessonId: number): Generator<SimEvent, void, void> {
    const { rng, ctx } = this;
    this.think(4_000, 30_000);
    yield* this.pageView(`/courses/${courseId}/lessons/${lessonId}`);
    if ((yield* this.api('GET', `/api/courses/${courseId}/lessons/${lessonId}`, 45, 120)) !== 200) return;
    const videoId = `v-${courseId}-${lessonId}`;
    yield this.action('content', 'video_start', { courseId, lessonId, videoId });
    const slow = ctx.effects(ctx.clock).latencyFactor;
    const loadMs = rng.lognormal(300, 900) * (1 + (slow - 1) / 2);
    ctx.clock += loadMs;
    yield this.client_({
      type: 'timing',
      ts: ctx.clock,
      phase: 'content',
      name: 'video_load',
      durationMs: round1(loadMs),
      attrs: { courseId, videoId, cdn: 'edge', ...this.client },
    });
    const watchMs = Math.max(20_000, rng.lognormal(240_000, 900_000));
    const complete = rng.bernoulli(RATES.videoComplete);
    ctx.clock += complete ? watchMs : watchMs * rng.uniform(0.1, 0.6);
    if (complete) {
      const watchedSeconds = Math.round(watchMs / 1000);
      yield this.action('content', 'video_complete', { courseId, lessonId, videoId, watchedSeconds });
    }
    yield* this.api('POST', '/api/progress', 35, 90);
    if (complete && rng.bernoulli(RATES.courseComplete)) yield this.action('content', 'course_complete', { courseId });
  }

  private *offlineSync(): Generator<SimEvent, void, void> {
    this.think(500, 3_000);
    const items = this.rng.int(1, 12);
    const status = yield* this.api('POST', '/api/progress', 60, 200);
    if (status >= 200 && status < 300) yield this.action('pwa', 'offline_sync_success', { items, trigger: 'online' });
  }

  /** A page load: TTFB, FCP and LCP, the service worker's cache counts, maybe a JS error. */
  private *pageView(path: string): Generator<SimEvent, void, void> {
    const { rng, ctx } = this;
    yield* this.leavePage();
    this.page = path;
    const fx = ctx.effects(ctx.clock);
    // Each step advances the clock instead of adding to a saved start: the simulator may move
    // the clock between two yields.
    const ttfb = rng.lognormal(180, 650) * fx.latencyFactor;
    const fcp = ttfb + rng.lognormal(700, 1_800);
    const lcp = fcp + rng.lognormal(550, 2_000);
    ctx.clock += ttfb;
    yield this.vital('TTFB', round1(ttfb), ctx.clock);
    ctx.clock += fcp - ttfb;
    yield this.vital('FCP', round1(fcp), ctx.clock);
    ctx.clock += lcp - fcp;
    yield this.vital('LCP', round1(lcp), ctx.clock);
    const requests = rng.int(4, 18);
    let hits = 0;
    for (let i = 0; i < requests; i++) if (rng.bernoulli(0.85)) hits++;
    this.cacheHits += hits;
    this.cacheMisses += requests - hits;
    if (this.cacheHits + this.cacheMisses >= 40) yield* this.flushCacheCounts();
    if (hits > 0) {
      const durationMs = round1(Math.min(200, Math.max(1, rng.lognormal(14, 40))));
      yield this.client_({
        type: 'timing',
        ts: ctx.clock,
        phase: 'pwa',
        name: 'cache_hit',
        durationMs,
        attrs: { page: path, url: rng.pick(CACHED_ASSETS), strategy: 'stale-while-revalidate', cache: 'static-v12' },
      });
    }
    if (rng.bernoulli(RATES.jsErrorPerPage * fx.errorFactor)) yield this.jsError();
  }

  /** The service worker reports its cache counts every few pages and when the session ends. */
  private *flushCacheCounts(): Generator<SimEvent, void, void> {
    const ts = this.ctx.clock;
    if (this.cacheHits + this.cacheMisses === 0) return;
    yield this.client_({ type: 'gauge', ts, name: 'cache.hits', value: this.cacheHits, unit: 'count' });
    yield this.client_({ type: 'gauge', ts, name: 'cache.misses', value: this.cacheMisses, unit: 'count' });
    this.cacheHits = 0;
    this.cacheMisses = 0;
  }

  /** INP and CLS are final only when the page is hidden, so they are reported on leaving it. */
  private *leavePage(): Generator<SimEvent, void, void> {
    const { rng } = this;
    if (this.page === undefined) return;
    const ts = this.ctx.clock;
    if (rng.bernoulli(0.8)) yield this.vital('INP', round1(rng.lognormal(90, 380)), ts);
    const cls = rng.bernoulli(0.6) ? rng.uniform(0, 0.02) : Math.min(1.5, rng.lognormal(0.05, 0.3));
    yield this.vital('CLS', Math.round(cls * 1000) / 1000, ts);
    this.page = undefined;
  }

  /** One API call as the browser sees it; returns the HTTP status (0 for a network failure). */
  private *api(
    method: HttpMethod,
    route: string,
    median: number,
    p95: number,
    forceStatus?: number,
  ): Generator<SimEvent, number, void> {
    const { rng, ctx } = this;
    const fx = ctx.effects(ctx.clock);
    const status = forceStatus ?? pickStatus(rng, method, fx.errorFactor);
    let latency = rng.lognormal(median, p95) * fx.latencyFactor;
    if (status === 504) latency = rng.uniform(29_000, 30_500);
    else if (status === 0) latency = rng.uniform(2_000, 10_000);
    ctx.clock += latency;
    this.lastLatency = latency;
    const bytes = status === 200 ? rng.int(800, 24_000) : rng.int(60, 400);
    yield this.client_({
      type: 'api',
      ts: ctx.clock,
      route,
      method,
      status,
      durationMs: round1(latency),
      attrs: { page: this.page ?? '/', bytes, connection: this.client.connection, traceId: rng.hex(32) },
    });
    if (status === 0 || status >= 500) yield* this.apiFailure(method, route, status, fx.errorFactor);
    return status;
  }

  private *apiFailure(method: HttpMethod, route: string, status: number, errorFactor: number): Generator<SimEvent> {
    const { rng, ctx } = this;
    const text = STATUS_TEXT[status] ?? 'Error';
    yield this.client_({
      type: 'error',
      ts: ctx.clock,
      kind: 'api',
      name: status === 0 ? 'TypeError' : 'HttpError',
      message: status === 0 ? 'Failed to fetch' : `HTTP ${status} ${text}`,
      phase: route.startsWith('/api/auth') ? 'auth' : 'content',
      userId: ctx.userId,
      context: { route, method, status, page: this.page ?? '/' },
    });
    if (status < 500 || !rng.bernoulli(Math.min(0.8, 0.3 * Math.sqrt(errorFactor)))) return;
    const { host, sessionId } = ctx.pickHost();
    const ts = ctx.clock - rng.uniform(1, 20);
    yield { role: 'server', event: systemError(rng, ts, { host, sessionId, route, method, status }) };
  }

  private jsError(): SimEvent {
    const { browser, device } = this.client;
    return this.client_(
      javascriptError(this.rng, this.ctx.clock, this.ctx.userId, { page: this.page ?? '/', browser, device }),
    );
  }

  private action(phase: string, name: string, attrs: Attrs): SimEvent {
    const { ctx } = this;
    return this.client_({
      type: 'action',
      ts: ctx.clock,
      phase,
      name,
      userId: ctx.userId,
      attrs: { ...attrs, page: this.page ?? '/', device: this.client.device, locale: this.client.locale },
    });
  }

  private vital(name: 'LCP' | 'INP' | 'CLS' | 'FCP' | 'TTFB', value: number, ts: number): SimEvent {
    return this.client_({ type: 'vital', ts, name, value, page: this.page ?? '/' });
  }

  /** Advances the session clock by a think time with the given median and P95. */
  private think(median: number, p95: number): void {
    this.ctx.clock += this.rng.lognormal(median, p95);
  }

  /** Stamps a client event with the session id and integer ms. */
  private client_(event: VigilEvent): SimEvent {
    event.ts = Math.round(event.ts);
    event.sessionId = this.ctx.sessionId;
    return { role: 'client', event };
  }
}
