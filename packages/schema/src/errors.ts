/**
 * The catalogue of coded errors. Every error a client can see is one of these; `docs/errors.md`
 * lists the same codes (a test keeps the two in sync). Services throw {@link VigilError}; only
 * the HTTP layer turns one into a response.
 *
 * @example
 * throw new VigilError('VIGIL_ERR_BATCH_TOO_LARGE', 'batch has 1200 events, limit is 1000');
 */
export const ERRORS = {
  VIGIL_ERR_MALFORMED_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  VIGIL_ERR_INVALID_UTF8: { status: 400, message: 'The request body is not valid UTF-8.' },
  VIGIL_ERR_INVALID_BATCH: { status: 400, message: 'The batch envelope is invalid.' },
  VIGIL_ERR_BATCH_TOO_LARGE: { status: 413, message: 'The batch holds more events than allowed.' },
  VIGIL_ERR_BODY_TOO_LARGE: { status: 413, message: 'The request body is larger than allowed.' },
  VIGIL_ERR_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'Send application/json or text/plain, optionally gzip-encoded.',
  },
  VIGIL_ERR_UNSUPPORTED_ENCODING: {
    status: 415,
    message: 'Only gzip and identity content encodings are accepted.',
  },
  VIGIL_ERR_BAD_GZIP: { status: 400, message: 'The gzip-encoded body could not be decompressed.' },
  VIGIL_ERR_MISSING_KEY: {
    status: 401,
    message: 'An ingest key is required (Authorization: Bearer <key> or ?key=).',
  },
  VIGIL_ERR_INVALID_KEY: { status: 401, message: 'The ingest key is not valid.' },
  VIGIL_ERR_KEY_SCOPE: {
    status: 403,
    message: 'The ingest key does not allow this project or environment.',
  },
  VIGIL_ERR_ORIGIN_NOT_ALLOWED: {
    status: 403,
    message: "The request's origin is not in the project's allow-list.",
  },
  VIGIL_ERR_RATE_LIMITED: { status: 429, message: 'Too many events; retry after the given delay.' },
  VIGIL_ERR_OVERLOADED: {
    status: 503,
    message: 'The collector is busy making earlier batches durable; retry after the given delay.',
  },
  VIGIL_ERR_STORE_UNAVAILABLE: {
    status: 503,
    message: 'The store is unavailable; nothing was acknowledged. Retry after the given delay.',
  },
  VIGIL_ERR_UNAUTHENTICATED: { status: 401, message: 'Sign in, or send a valid API token.' },
  VIGIL_ERR_FORBIDDEN: { status: 403, message: 'Your role does not allow this.' },
  VIGIL_ERR_LOGIN_FAILED: { status: 401, message: 'The user name or password is wrong.' },
  VIGIL_ERR_TOO_MANY_ATTEMPTS: { status: 429, message: 'Too many sign-in attempts; retry after the given delay.' },
  VIGIL_ERR_CROSS_SITE: {
    status: 403,
    message: 'A state-changing request from another site was refused (send the x-vigil-csrf header).',
  },
  VIGIL_ERR_JSON_REQUIRED: { status: 415, message: 'This route accepts only application/json bodies.' },
  VIGIL_ERR_INVALID_INPUT: { status: 400, message: 'A field of the request body is invalid.' },
  VIGIL_ERR_CONFLICT: { status: 409, message: 'The resource exists already.' },
  VIGIL_ERR_AUDIT_UNAVAILABLE: {
    status: 503,
    message: 'The audit log cannot be written, so the action was not carried out.',
  },
  VIGIL_ERR_NOT_FOUND: { status: 404, message: 'No such resource.' },
  VIGIL_ERR_INVALID_QUERY: { status: 400, message: 'A query parameter is invalid.' },
  VIGIL_ERR_INTERNAL: { status: 500, message: 'An internal error occurred; it has been logged.' },
  // Per-event codes: these appear in `rejected[]` of a 202 answer, never as a response status.
  VIGIL_ERR_EVENT_NOT_OBJECT: { status: 202, message: 'The event is not a JSON object.' },
  VIGIL_ERR_EVENT_UNKNOWN_TYPE: { status: 202, message: 'The event type is unknown.' },
  VIGIL_ERR_EVENT_MISSING_FIELD: { status: 202, message: 'A required field is missing.' },
  VIGIL_ERR_EVENT_INVALID_FIELD: {
    status: 202,
    message: 'A field has the wrong type or is out of range.',
  },
  VIGIL_ERR_EVENT_UNKNOWN_FIELD: { status: 202, message: 'The event has a field the protocol does not define.' },
  VIGIL_ERR_EVENT_TIMESTAMP: {
    status: 202,
    message: 'The event timestamp is too far in the future or the past.',
  },
  VIGIL_ERR_EVENT_ATTRS: {
    status: 202,
    message: 'The attributes are nested too deeply or are not an object.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

/** A code from the catalogue. */
export type ErrorCode = keyof typeof ERRORS;

/**
 * An error with a catalogue code. `detail` is safe to show to clients (it never holds internal
 * messages or stacks); `cause` is for logs only.
 *
 * @example
 * throw new VigilError('VIGIL_ERR_INVALID_QUERY', 'from must be an epoch-millisecond integer');
 */
export class VigilError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string | undefined;
  /** Seconds a client should wait before retrying (429 and 503). */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(detail ?? ERRORS[code].message, { cause: options?.cause });
    this.name = 'VigilError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.detail = detail;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; detail?: string };
}
