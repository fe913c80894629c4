import { HTTP_METHODS, type HttpMethod, templateRoute } from '@vigil/schema';
import { getClient } from '../core/client.js';
import { recordErrorEvent, report } from '../core/record.js';
import { type EventLike, type FetchFn, now, win, type XhrInstance } from './globals.js';

/** Records one HTTP call made by the page, unless it is the SDK's own. */
function recordCall(url: string, method: string, status: number, start: number): void {
  const c = getClient();
  if (c === undefined) return;
  try {
    if (url.startsWith(c.opts.baseUrl)) return;
    const m = method.toUpperCase();
    if (!(HTTP_METHODS as readonly string[]).includes(m)) return;
    const durationMs = Math.max(0, now() - start);
    c.record({
      type: 'api',
      ts: Date.now(),
      sessionId: c.sessionId,
      route: templateRoute(url),
      method: m as HttpMethod,
      status,
      durationMs,
    });
  } catch (error) {
    report('recordCall', error);
  }
}

function urlOf(input: unknown): string {
  return String((input as { url?: unknown } | null)?.url ?? input);
}

/**
 * Wraps `fetch` to time every call and record its status (0 for a network failure). Returns the
 * original `fetch`, which the SDK uses for its own requests so they are never recorded.
 */
export function captureFetch(): FetchFn | undefined {
  const original = win.fetch;
  if (typeof original !== 'function') return undefined;
  const wrapped: FetchFn = function (this: unknown, input, init) {
    const start = now();
    const p = original.call(this ?? globalThis, input, init);
    try {
      const url = urlOf(input);
      const method = init?.method ?? (input as { method?: string } | null)?.method ?? 'GET';
      p.then(
        (res) => recordCall(url, String(method), res.status, start),
        () => recordCall(url, String(method), 0, start),
      );
    } catch (error) {
      report('captureFetch', error);
    }
    return p;
  };
  win.fetch = wrapped;
  return original;
}

/** Wraps `XMLHttpRequest` `open`/`send` to time calls and record their status on `loadend`. */
export function captureXhr(): void {
  const proto = win.XMLHttpRequest?.prototype;
  if (proto === undefined) return;
  const open = proto.open;
  const send = proto.send;
  proto.open = function (this: XhrInstance, method: string, url: string, ...rest: unknown[]) {
    this.__vigil = { method: String(method), url: String(url), start: 0 };
    return open.call(this, method, url, ...rest);
  };
  proto.send = function (this: XhrInstance, body?: unknown) {
    const info = this.__vigil;
    if (info !== undefined) {
      info.start = now();
      try {
        this.addEventListener('loadend', () => recordCall(info.url, info.method, this.status, info.start));
      } catch (error) {
        report('captureXhr', error);
      }
    }
    return send.call(this, body);
  };
}

/** Records `window.onerror` errors and unhandled promise rejections as `javascript` errors. */
export function captureErrors(): void {
  const add = win.addEventListener;
  if (add === undefined) return;
  add.call(win, 'error', (ev: EventLike) => {
    // Resource load failures (img, script) reach window only in the capture phase; this listener
    // is not capturing, so what arrives here is a script error.
    recordErrorEvent(ev.error ?? ev.message ?? 'Script error', 'javascript', { context: { mechanism: 'onerror' } });
  });
  add.call(win, 'unhandledrejection', (ev: EventLike) => {
    recordErrorEvent(ev.reason ?? 'Unhandled rejection', 'javascript', {
      context: { mechanism: 'unhandledrejection' },
    });
  });
}
