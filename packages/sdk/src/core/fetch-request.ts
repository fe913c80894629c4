import type { RequestFn } from './types.js';

type FetchLike = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string;
    keepalive?: boolean;
    signal?: unknown;
    credentials?: 'omit';
  },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

/**
 * A {@link RequestFn} over a `fetch` implementation: network failures and timeouts resolve to
 * status 0 instead of rejecting. Bodies under `keepaliveUnderChars` go with `keepalive`, so a
 * send started just before a page unloads still completes.
 *
 * @example
 * const request = fetchRequest(globalThis.fetch.bind(globalThis), { timeoutMillis: 10_000 });
 */
export function fetchRequest(
  fetchImpl: FetchLike,
  options: { timeoutMillis?: number; keepaliveUnderChars?: number } = {},
): RequestFn {
  const timeout = options.timeoutMillis ?? 10_000;
  const keepaliveUnder = options.keepaliveUnderChars ?? 0;
  return async (req) => {
    try {
      const init: Parameters<FetchLike>[1] = { method: req.method, headers: req.headers, credentials: 'omit' };
      if (req.body !== undefined) {
        init.body = req.body;
        init.keepalive = req.body.length < keepaliveUnder;
      }
      const abort = (globalThis as { AbortSignal?: { timeout?: (ms: number) => unknown } }).AbortSignal;
      if (abort?.timeout) init.signal = abort.timeout(timeout);
      const res = await fetchImpl(req.url, init);
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
    } catch {
      return { status: 0 };
    }
  };
}
