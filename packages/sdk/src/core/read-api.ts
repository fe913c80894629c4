import { getClient } from './client.js';
import type { ReadError, ReadResult } from './read-types.js';

function fail(code: string, status: number, message: string): { ok: false; error: ReadError } {
  return { ok: false, error: { code, status, message } };
}

/**
 * Reads one collector API path with the configured read token. `check` tells a usable body from
 * an unexpected one.
 *
 * @example
 * await readApi<HealthStatus>('/api/v1/health', (b) => typeof b.status === 'string');
 */
export async function readApi<T>(
  path: string,
  check: (body: Record<string, unknown>) => boolean,
): Promise<ReadResult<T>> {
  const client = getClient();
  if (client === undefined) return fail('VIGIL_SDK_NOT_INITIALIZED', 0, 'call init() first');
  try {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (client.opts.readToken !== undefined) headers.authorization = `Bearer ${client.opts.readToken}`;
    const res = await client.request({ method: 'GET', url: client.opts.baseUrl + path, headers });
    let body: unknown;
    try {
      body = res.body === undefined || res.body === '' ? undefined : JSON.parse(res.body);
    } catch {
      body = undefined;
    }
    const obj =
      typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    if (res.status === 0) return fail('VIGIL_SDK_NETWORK', 0, 'unreachable');
    // health+json answers 503 with a full report when the status is "fail": an answer, not an error.
    const reported = res.status === 503 && obj !== undefined && obj.error === undefined && check(obj);
    if (!reported && (res.status < 200 || res.status >= 300)) {
      const err = obj?.error as { code?: unknown; message?: unknown } | undefined;
      const code = typeof err?.code === 'string' ? err.code : `VIGIL_SDK_HTTP_${res.status}`;
      const message = typeof err?.message === 'string' ? err.message : `HTTP ${res.status}`;
      return fail(code, res.status, message);
    }
    if (obj === undefined || !check(obj)) {
      return fail('VIGIL_SDK_BAD_RESPONSE', res.status, path);
    }
    return { ok: true, data: obj as T };
  } catch (error) {
    client.transport.diag({ type: 'error', where: `read ${path}`, error });
    return fail('VIGIL_SDK_NETWORK', 0, 'request failed');
  }
}
