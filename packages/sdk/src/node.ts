import { gzipSync } from 'node:zlib';
import { close as closeClient, getClient, startClient } from './core/client.js';
import { fetchRequest } from './core/fetch-request.js';
import { recordErrorEvent, report } from './core/record.js';
import type { RequestFn, VigilOptions } from './core/types.js';
import { startGauges } from './node/gauges.js';

/** Node options: the core ones plus process hooks and the gauge interval. */
export interface NodeOptions extends VigilOptions {
  /** Record `memory.percent`, `cpu.percent`, `eventloop.delay_ms` and `uptime` this often (default 60,000 ms; 0 turns it off). */
  gaugeIntervalMillis?: number;
  /** Capture uncaught exceptions and unhandled rejections (default true). */
  captureExceptions?: boolean;
  /** Flush on `SIGTERM` and `beforeExit`, waiting at most this long (default 2,000 ms; 0 turns it off). */
  shutdownFlushMillis?: number;
}

const GZIP_OVER_CHARS = 8 * 1024;
let hooksInstalled = false;
let stopGauges: (() => void) | undefined;
let shutdownMillis = 2000;

/** Node's fetch, with gzip for bodies over 8 KiB (the collector accepts `Content-Encoding: gzip`). */
function nodeRequest(): RequestFn {
  const plain = fetchRequest(globalThis.fetch.bind(globalThis) as Parameters<typeof fetchRequest>[0]);
  return async (req) => {
    if (req.body === undefined || req.body.length < GZIP_OVER_CHARS) return plain(req);
    try {
      const body = gzipSync(req.body);
      const res = await fetch(req.url, {
        method: req.method,
        headers: { ...req.headers, 'content-encoding': 'gzip' },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
    } catch {
      return { status: 0 };
    }
  };
}

/** Flushes at most `shutdownMillis`; never rejects. */
async function boundedFlush(): Promise<void> {
  const c = getClient();
  if (c === undefined || shutdownMillis <= 0) return;
  try {
    await c.transport.flush(shutdownMillis);
  } catch (error) {
    report('shutdown flush', error);
  }
}

function onUncaught(error: unknown, origin: string): void {
  recordErrorEvent(error, 'javascript', { context: { mechanism: origin } });
  // When the SDK is the only listener, Node's default would print the error and exit with 1;
  // do exactly that, after a bounded flush. Otherwise the host's own listener decides.
  if (process.listenerCount('uncaughtException') > 1) return;
  const stack = error instanceof Error ? (error.stack ?? String(error)) : String(error);
  process.stderr.write(`${stack}\n\nNode.js ${process.version}\n`);
  process.exitCode = 1;
  void boundedFlush().finally(() => process.exit(1));
}

function onSigterm(): void {
  // Keep Node's default (terminate by SIGTERM) when nobody else handles the signal.
  const alone = process.listenerCount('SIGTERM') === 1;
  void boundedFlush().finally(() => {
    if (alone) {
      process.removeListener('SIGTERM', onSigterm);
      process.kill(process.pid, 'SIGTERM');
    }
  });
}

let exitFlushing = false;
function onBeforeExit(): void {
  // beforeExit fires again after the flush's work ends; only flush when something is held.
  const c = getClient();
  if (exitFlushing || c === undefined || c.transport.held.events === 0) return;
  exitFlushing = true;
  void boundedFlush().finally(() => {
    exitFlushing = false;
  });
}

/**
 * Starts the SDK in Node: the spec's trackers, plus uncaught exception and unhandled rejection
 * capture (exit behaviour unchanged: without another listener the process still prints the
 * error and exits with code 1), process and host gauges on an interval, and a flush bounded in
 * time on `SIGTERM` and `beforeExit`. SDK timers are unref'd and never keep the process alive.
 *
 * @example
 * import { init } from '@vigil/sdk/node';
 * init({ endpoint: 'http://localhost:4318', key: process.env.VIGIL_KEY!, service: 'portal-api', release: '1.4.2' });
 */
export function init(options: NodeOptions): void {
  try {
    const c = startClient(options, { platform: 'node', request: nodeRequest() });
    if (c === undefined) return;
    shutdownMillis = options.shutdownFlushMillis ?? 2000;
    stopGauges?.();
    const interval = options.gaugeIntervalMillis ?? 60_000;
    stopGauges = interval > 0 ? startGauges(interval) : undefined;
    if (!hooksInstalled) {
      hooksInstalled = true;
      // In Node's default `throw` mode an unhandled rejection is raised as an uncaught exception
      // (origin 'unhandledRejection'); listening for `unhandledRejection` would stop that crash.
      if (options.captureExceptions !== false) process.on('uncaughtException', onUncaught);
      if (shutdownMillis > 0) {
        process.on('SIGTERM', onSigterm);
        process.on('beforeExit', onBeforeExit);
      }
    }
  } catch (error) {
    try {
      options?.onDiagnostic?.({ type: 'error', where: 'init', error });
    } catch {
      // The SDK stays a no-op.
    }
  }
}

/**
 * Stops the gauge timer and the current client (hooks stay installed and become no-ops).
 *
 * @example
 * await flush(2000); shutdown();
 */
export function shutdown(): void {
  stopGauges?.();
  stopGauges = undefined;
  closeClient();
}

export {
  ApplicationMonitor,
  ErrorTracker,
  flush,
  getStats,
  PerformanceTracker,
  recordUserAction,
  recordUserError,
  recordUserPerformance,
} from './index.js';
