import { captureErrors, captureFetch, captureXhr } from './browser/capture.js';
import { type FetchFn, storage, win } from './browser/globals.js';
import { MAX_PERSIST_CHARS, persist, takePersisted } from './browser/outbox-store.js';
import { captureVitals } from './browser/vitals.js';
import { getClient, startClient } from './core/client.js';
import { fetchRequest } from './core/fetch-request.js';
import { randomId } from './core/ids.js';
import { report } from './core/record.js';
import type { VigilOptions } from './core/types.js';

/** Which automatic captures the browser entry installs (all on by default). */
export interface BrowserCapture {
  errors?: boolean;
  network?: boolean;
  vitals?: boolean;
}

/** Browser options: the core ones plus auto-capture switches and the offline queue bound. */
export interface BrowserOptions extends VigilOptions {
  capture?: BrowserCapture;
  /** Bound of the offline queue kept in `localStorage`, in characters (default 256 Ki). */
  maxPersistChars?: number;
}

const SESSION_KEY = 'vigil.session';
// sendBeacon and keepalive fetch share a 64 KiB budget per page; stay under it.
const BEACON_CHARS = 60_000;

let installed = false;
let originalFetch: FetchFn | undefined;
let onHiddenVitals: (() => void) | undefined;
let persistLimit = MAX_PERSIST_CHARS;

/** The tab session: one id per `sessionStorage` (per tab), with its sampling decision. */
function session(sampleRate: number): { id: string; sampled: boolean; isNew?: boolean } {
  const s = storage('sessionStorage');
  try {
    const saved = JSON.parse(s?.getItem(SESSION_KEY) as string) as { id: string; sampled: boolean } | null;
    if (typeof saved?.id === 'string') return saved;
  } catch {
    // Unreadable session storage: start a new session.
  }
  const fresh = { id: randomId(), sampled: Math.random() < sampleRate };
  try {
    s?.setItem(SESSION_KEY, JSON.stringify(fresh));
  } catch {
    // Storage full or blocked: the session lasts as long as this page.
  }
  return { ...fresh, isNew: true };
}

/** Sends what is held with `sendBeacon` and persists what the beacon refused or what offline prevents. */
function flushOnHide(): void {
  try {
    onHiddenVitals?.();
    const c = getClient();
    if (c === undefined) return;
    const batches = c.transport.takeAll(BEACON_CHARS);
    const online = win.navigator?.onLine !== false;
    const rest = [];
    for (const b of batches) {
      let sent = false;
      try {
        sent = online && win.navigator?.sendBeacon?.(c.opts.eventsUrl, b.body) === true;
      } catch {
        sent = false;
      }
      if (sent) c.transport.stats.delivered += b.count;
      else rest.push(b);
    }
    c.transport.drop(persist(rest, persistLimit), 'persist_full');
  } catch (error) {
    report('flushOnHide', error);
  }
}

function onOnline(): void {
  try {
    const c = getClient();
    if (c === undefined) return;
    c.transport.restore(takePersisted());
    c.transport.resume();
  } catch (error) {
    report('online', error);
  }
}

function install(capture: BrowserCapture): void {
  installed = true;
  if (capture.network !== false) {
    originalFetch = captureFetch();
    captureXhr();
  }
  if (capture.errors !== false) captureErrors();
  if (capture.vitals !== false) onHiddenVitals = captureVitals();
  win.addEventListener?.('pagehide', flushOnHide);
  win.document?.addEventListener('visibilitychange', () => {
    if (win.document?.visibilityState === 'hidden') flushOnHide();
  });
  win.addEventListener?.('online', onOnline);
}

/**
 * Starts the SDK in a browser: the spec's trackers, plus capture of `window.onerror`,
 * unhandled rejections, `fetch`/XHR calls (routes templated) and web vitals, a `sendBeacon`
 * flush when the page is hidden, an offline queue in `localStorage` sent when back online, one
 * session per tab, and session sampling. Never throws; call it once, early.
 *
 * @example
 * import { init } from '@vigil/sdk/browser';
 * init({ endpoint: 'https://vigil.example.com', key: 'vk_…', service: 'portal-web', release: '1.4.2' });
 */
export function init(options: BrowserOptions): void {
  try {
    const rate = typeof options?.sampleRate === 'number' ? options.sampleRate : 1;
    const s = session(rate);
    persistLimit = options?.maxPersistChars ?? MAX_PERSIST_CHARS;
    const f = originalFetch ?? win.fetch;
    const c = startClient(options, {
      platform: 'browser',
      keyInQuery: true,
      sessionId: s.id,
      sampled: s.sampled === true,
      request:
        f === undefined
          ? async () => ({ status: 0 })
          : fetchRequest(f.bind(globalThis) as Parameters<typeof fetchRequest>[0], {
              keepaliveUnderChars: BEACON_CHARS,
            }),
    });
    if (c === undefined) return;
    // After the client exists, so what capture records at once (TTFB) is kept.
    if (!installed) install(options?.capture ?? {});
    c.transport.isOnline = () => win.navigator?.onLine !== false;
    if (s.isNew) c.record({ type: 'session', ts: Date.now(), sessionId: s.id, action: 'start' });
    c.transport.restore(takePersisted());
  } catch (error) {
    report('init', error);
  }
}

export { ApplicationMonitor } from './core/application-monitor.js';
export { close, flush, getStats } from './core/client.js';
export { ErrorTracker } from './core/error-tracker.js';
export { PerformanceTracker } from './core/performance-tracker.js';
export { recordUserAction, recordUserError, recordUserPerformance } from './core/user-api.js';
