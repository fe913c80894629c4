/** The outcome of one probe run; `detail` says what failed (or what was seen) in a few words. */
export interface ProbeResult {
  ok: boolean;
  latencyMillis: number;
  detail?: string;
}

/**
 * One way of checking a service: PostgreSQL, Redis, HTTP(S) or TCP. `check` never rejects: a
 * failure, including the signal aborting (the check's timeout), resolves with `ok: false`.
 *
 * @example
 * const result = await probe.check(AbortSignal.timeout(5_000));
 */
export interface HealthProbe {
  check(signal: AbortSignal): Promise<ProbeResult>;
}

/**
 * Runs `work` against the signal and turns its outcome into a {@link ProbeResult}: a thrown
 * error or the signal aborting becomes `ok: false` with a short detail, never a rejection.
 *
 * @example
 * return measure(signal, async () => { await ping(); return 'PONG'; });
 */
export async function measure(
  signal: AbortSignal,
  work: (signal: AbortSignal) => Promise<{ ok: boolean; detail?: string } | string>,
): Promise<ProbeResult> {
  const start = performance.now();
  const elapsed = () => Math.round((performance.now() - start) * 100) / 100;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(new Error('timed out'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  try {
    const outcome = await Promise.race([work(signal), aborted]);
    const result = typeof outcome === 'string' ? { ok: true, detail: outcome } : outcome;
    return { ...result, latencyMillis: elapsed() };
  } catch (e) {
    return { ok: false, latencyMillis: elapsed(), detail: describeError(e, signal) };
  } finally {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
  }
}

/**
 * A short, secret-free description of a probe failure: the error code (ECONNREFUSED…) and message.
 *
 * @example
 * describeError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), signal);
 */
export function describeError(e: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'timed out';
  type Err = { code?: unknown; message?: unknown; errors?: unknown[]; cause?: unknown };
  let err = e as Err;
  // fetch wraps the socket error: "fetch failed" with the reason in `cause`.
  if (err.message === 'fetch failed' && typeof err.cause === 'object' && err.cause !== null) err = err.cause as Err;
  // net.connect to "localhost" tries ::1 and 127.0.0.1 and reports an AggregateError.
  const inner = Array.isArray(err.errors) && err.errors.length > 0 ? (err.errors[0] as typeof err) : err;
  const code = typeof inner.code === 'string' ? inner.code : typeof err.code === 'string' ? err.code : undefined;
  const message = typeof inner.message === 'string' && inner.message !== '' ? inner.message : String(e);
  const text = code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
  return text.replace(/\/\/[^@\s/]*@/g, '//***@').slice(0, 300);
}
