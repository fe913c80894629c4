import type { ErrorEvent, Platform, VigilEvent } from '@vigil/schema';
import { insights } from './analysis-registry.js';
import { countEvent } from './minute-counts.js';
import { Transport, type TransportStats } from './transport.js';
import type { RequestFn, ResolvedOptions, VigilOptions } from './types.js';

/** The SDK's name and version as sent in `source.sdk`. */
export const SDK_NAME = '@vigil/sdk/0.1.0';

/** How many recent errors a process keeps for `analyzeErrors()` / `detectIncidents()`. */
export const MAX_RECENT_ERRORS = 500;

/** What a platform entry point passes to {@link startClient}. */
export interface PlatformHooks {
  platform: Platform;
  request: RequestFn;
  keyInQuery?: boolean;
  sessionId?: string;
  /** A sampling decision the platform has already made (e.g. kept for the tab session). */
  sampled?: boolean;
}

/**
 * The live SDK state after `init()`: options, transport, session, and the recent errors that
 * `ErrorTracker.analyzeErrors()` reads. Entry points create it; the trackers find it through
 * {@link getClient} so that calls before `init()` are no-ops.
 *
 * @example
 * getClient()?.record({ type: 'action', ts: Date.now(), phase: 'ui', name: 'open_menu' });
 */
export class Client {
  readonly transport: Transport;
  /** Recent error events, oldest first, at most {@link MAX_RECENT_ERRORS}. */
  readonly recentErrors: ErrorEvent[] = [];
  /**
   * Events recorded per minute over the last hour (index: minute % 60), for error rates. Kept
   * only when the insights are loaded (`@vigil/sdk/analysis`) when the client starts.
   */
  perMinute: number[] | undefined;
  minute = 0;

  constructor(
    readonly opts: ResolvedOptions,
    readonly request: RequestFn,
    readonly sessionId: string | undefined,
    readonly sampled: boolean,
  ) {
    this.transport = new Transport(opts, request);
  }

  /** Queues one event (no-op when the session is sampled out). */
  record(e: VigilEvent): void {
    if (!this.sampled) return;
    if (this.perMinute !== undefined) countEvent(this, e.ts);
    this.transport.enqueue(e);
  }

  /** Queues an error and remembers it for local analysis. */
  recordError(e: ErrorEvent): void {
    if (this.recentErrors.push(e) > MAX_RECENT_ERRORS) this.recentErrors.shift();
    this.record(e);
  }
}

let current: Client | undefined;

/** The client created by `init()`, or `undefined` before it (every tracker then does nothing). */
export function getClient(): Client | undefined {
  return current;
}

function positive(v: number | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.min(Math.floor(v), max) : fallback;
}

/**
 * Resolves `init()` options with their defaults. Throws only for a missing endpoint, key or
 * service, which `init()` reports as a diagnostic instead of throwing.
 *
 * @example
 * resolveOptions({ endpoint: 'http://localhost:4318', key: 'k', service: 'web' }, 'node', false);
 */
export function resolveOptions(o: VigilOptions, platform: Platform, keyInQuery: boolean): ResolvedOptions {
  if (!o || typeof o.endpoint !== 'string' || typeof o.key !== 'string' || typeof o.service !== 'string') {
    throw new TypeError('init() needs endpoint, key and service');
  }
  const baseUrl = o.endpoint.replace(/\/+$/, '').replace(/\/api\/v1\/events$/, '');
  const eventsUrl = `${baseUrl}/api/v1/events${keyInQuery ? `?key=${encodeURIComponent(o.key)}` : ''}`;
  return {
    eventsUrl,
    eventsHeaders: keyInQuery
      ? { 'content-type': 'text/plain;charset=UTF-8' }
      : { authorization: `Bearer ${o.key}`, 'content-type': 'application/json' },
    baseUrl,
    key: o.key,
    readToken: o.readToken,
    source: {
      service: o.service,
      environment: o.environment ?? 'production',
      ...(o.release === undefined ? {} : { release: o.release }),
      platform,
      sdk: SDK_NAME,
    },
    project: o.project,
    sampleRate: typeof o.sampleRate === 'number' && o.sampleRate >= 0 && o.sampleRate <= 1 ? o.sampleRate : 1,
    flushIntervalMillis: positive(o.flushIntervalMillis, 5000),
    maxBatchSize: positive(o.maxBatchSize, 500, 1000),
    maxQueueEvents: positive(o.maxQueueEvents, 10_000),
    maxQueueBytes: positive(o.maxQueueBytes, 1024 * 1024),
    maxRetries: typeof o.maxRetries === 'number' && o.maxRetries >= 0 ? Math.floor(o.maxRetries) : 10,
    retryBaseMillis: positive(o.retryBaseMillis, 1000),
    beforeSend: o.beforeSend,
    onDiagnostic: o.onDiagnostic,
  };
}

/**
 * Creates the client for a platform and makes it current; a second call replaces the first
 * (its timers stop). Returns `undefined`, and reports why, when the options are unusable.
 *
 * @example
 * startClient(options, { platform: 'node', request: nodeRequest });
 */
export function startClient(options: VigilOptions, hooks: PlatformHooks): Client | undefined {
  try {
    const opts = resolveOptions(options, hooks.platform, hooks.keyInQuery ?? false);
    current?.transport.close();
    const sampled = hooks.sampled ?? Math.random() < opts.sampleRate;
    current = new Client(opts, options.request ?? hooks.request, hooks.sessionId, sampled);
    if (insights() !== undefined) current.perMinute = new Array<number>(60).fill(0);
    return current;
  } catch (error) {
    try {
      options?.onDiagnostic?.({ type: 'error', where: 'init', error });
    } catch {
      // Nothing more to do: the SDK stays a no-op.
    }
    return undefined;
  }
}

/**
 * Stops the current client's timers and forgets it; later calls are no-ops again. Call
 * `flush()` first to send what is held.
 *
 * @example
 * await flush(2000); close();
 */
export function close(): void {
  current?.transport.close();
  current = undefined;
}

/**
 * Sends everything held now; resolves `true` when all was delivered (or dropped and counted),
 * `false` on timeout. Resolves `true` at once before `init()`.
 *
 * @example
 * await flush(2000);
 */
export function flush(timeoutMillis = 5000): Promise<boolean> {
  return current === undefined ? Promise.resolve(true) : current.transport.flush(timeoutMillis);
}

/**
 * Delivery counters of the current client (zeros before `init()`).
 *
 * @example
 * const { delivered, dropped } = getStats();
 */
export function getStats(): TransportStats {
  return { ...(current?.transport ?? new Transport({} as ResolvedOptions, async () => ({ status: 0 }))).stats };
}
