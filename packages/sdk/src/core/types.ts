import type { BatchSource, VigilEvent } from '@vigil/schema';

/** One HTTP request the SDK asks its platform to make. */
export interface SdkRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** What the platform hands back: the status (0 for a network failure) and the headers the SDK reads. */
export interface SdkResponse {
  status: number;
  /** The raw `Retry-After` header, if any. */
  retryAfter?: string | null;
  body?: string;
}

/**
 * The only thing a platform supplies: make one request, resolve with its outcome. It should not
 * reject (a rejection is treated as status 0, a network failure).
 *
 * @example
 * const request: RequestFn = async (r) => {
 *   const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body });
 *   return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
 * };
 */
export type RequestFn = (req: SdkRequest) => Promise<SdkResponse>;

/** Why events were dropped. */
export type DropReason = 'queue_full' | 'retries_exhausted' | 'client_error' | 'persist_full';

/**
 * Something the SDK wants the host to know about, without ever throwing into it.
 *
 * @example
 * init({ ..., onDiagnostic: (d) => { if (d.type === 'dropped') console.warn(d.reason, d.count); } });
 */
export type Diagnostic =
  | { type: 'dropped'; reason: DropReason; count: number; detail?: string }
  | { type: 'rejected'; batchId: string; count: number; codes: string[] }
  | { type: 'retry'; batchId: string; status: number; attempt: number; delayMillis: number }
  | { type: 'error'; where: string; error: unknown };

/** The options of `init()`. Only `endpoint`, `key` and `service` are required. */
export interface VigilOptions {
  /** The collector's base URL, e.g. `https://vigil.example.com` (the SDK appends `/api/v1/events`). */
  endpoint: string;
  /** An ingest key. */
  key: string;
  service: string;
  release?: string;
  /** Defaults to `production`. */
  environment?: string;
  /** Optional project name; when set it must be the ingest key's project. */
  project?: string;
  /** Share of sessions recorded, 0 to 1 (default 1). Decided once per session. */
  sampleRate?: number;
  /** How long events wait before a batch is sent (default 5,000 ms). */
  flushIntervalMillis?: number;
  /** Most events in one batch (default 500; the protocol allows 1,000). */
  maxBatchSize?: number;
  /** Most events waiting in memory (default 10,000). */
  maxQueueEvents?: number;
  /** Most bytes waiting in memory, estimated as JSON, including batches awaiting a retry (default 1 MiB). */
  maxQueueBytes?: number;
  /** Retries of one batch before it is dropped and counted (default 10). */
  maxRetries?: number;
  /** First backoff delay; doubles per attempt, with jitter, up to 30 s (default 1,000 ms). */
  retryBaseMillis?: number;
  /** Sees every event before it is sent (already scrubbed); return `null` to drop it. */
  beforeSend?: (event: VigilEvent) => VigilEvent | null;
  /** Receives drop counts, retries, rejections and internal errors. Never required. */
  onDiagnostic?: (d: Diagnostic) => void;
  /** A read token for `getHealthStatus()`, `getKPIDashboard()` and `calculatePerformanceScore()`. */
  readToken?: string;
  /** Replaces the platform's request function (tests, custom agents). */
  request?: RequestFn;
}

/** Options after defaults, as the transport sees them. */
export interface ResolvedOptions {
  /** `POST` target; carries `?key=` when {@link ResolvedOptions.keyInQuery} is set. */
  eventsUrl: string;
  /**
   * Headers of event requests. Browser mode sends the key in the URL and the body as text/plain,
   * so no CORS preflight is needed; elsewhere the key goes in `Authorization`.
   */
  eventsHeaders: Record<string, string>;
  baseUrl: string;
  key: string;
  readToken: string | undefined;
  source: BatchSource;
  project: string | undefined;
  sampleRate: number;
  flushIntervalMillis: number;
  maxBatchSize: number;
  maxQueueEvents: number;
  maxQueueBytes: number;
  maxRetries: number;
  retryBaseMillis: number;
  beforeSend: ((event: VigilEvent) => VigilEvent | null) | undefined;
  onDiagnostic: ((d: Diagnostic) => void) | undefined;
}
