import type { HealthCheckRecord } from '../../store/store.js';
import { bodyMatcher } from '../health-check-config.js';
import { type HealthProbe, measure, type ProbeResult } from './health-probe.js';

/** Most bytes of a body read for `bodyMatch`. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Checks an HTTP(S) endpoint: the status must be `expectStatus` (any 2xx/3xx when unset; redirects
 * are not followed) and, with `bodyMatch`, the body must contain the substring or match the
 * `/regex/`. For storage and video endpoints.
 *
 * @example
 * await new HttpProbe({ target: 'https://cdn.example.com/health', expectStatus: 200, bodyMatch: 'ok' }).check(signal);
 */
export class HttpProbe implements HealthProbe {
  readonly #match: ((body: string) => boolean) | null;

  constructor(private readonly check_: Pick<HealthCheckRecord, 'target' | 'expectStatus' | 'bodyMatch'>) {
    this.#match = check_.bodyMatch === null ? null : bodyMatcher(check_.bodyMatch);
  }

  check(signal: AbortSignal): Promise<ProbeResult> {
    return measure(signal, async () => {
      const res = await fetch(this.check_.target, {
        signal,
        redirect: 'manual',
        headers: { 'user-agent': 'vigil-health/1' },
      });
      const expected = this.check_.expectStatus;
      const statusOk = expected === null ? res.status >= 200 && res.status < 400 : res.status === expected;
      if (!statusOk) {
        await res.body?.cancel();
        return { ok: false, detail: `status ${res.status}, expected ${expected ?? '2xx or 3xx'}` };
      }
      if (this.#match === null) {
        await res.body?.cancel();
        return `status ${res.status}`;
      }
      const body = await readBody(res);
      return this.#match(body)
        ? `status ${res.status}, body matched`
        : { ok: false, detail: `status ${res.status}, body did not match ${this.check_.bodyMatch}` };
    });
  }
}

async function readBody(res: Response): Promise<string> {
  if (res.body === null) return '';
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    text += decoder.decode(chunk, { stream: true });
    if (bytes >= MAX_BODY_BYTES) break;
  }
  return text + decoder.decode();
}
