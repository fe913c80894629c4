import type { ErrorEvent, HttpMethod } from '@vigil/schema';
import { JS_ERRORS, SYSTEM_ERRORS } from './portal-catalog.js';
import type { Rng } from './rng.js';

/** Shares of API answers in healthy traffic; an error burst multiplies `server5xx`. */
export const STATUS_RATES = { server5xx: 0.005, client4xx: 0.02, network: 0.001 } as const;

/**
 * The status of one simulated API call: 0 (network failure), a 5xx (scaled by `errorFactor`),
 * a 4xx fitting the method, or 200/201.
 *
 * @example
 * pickStatus(new Rng(1), 'GET', 1); // 200 most of the time
 */
export function pickStatus(rng: Rng, method: HttpMethod, errorFactor: number): number {
  const r = rng.next();
  const p5 = STATUS_RATES.server5xx * errorFactor;
  if (r < STATUS_RATES.network) return 0;
  if (r < STATUS_RATES.network + p5) {
    return rng.weighted([
      [500, 45],
      [502, 15],
      [503, 30],
      [504, 10],
    ] as const);
  }
  if (r < STATUS_RATES.network + p5 + STATUS_RATES.client4xx) {
    const choices = method === 'GET' ? GET_4XX : WRITE_4XX;
    return rng.weighted(choices);
  }
  return method === 'POST' && rng.bernoulli(0.5) ? 201 : 200;
}

const GET_4XX = [
  [404, 70],
  [403, 20],
  [429, 10],
] as const;
const WRITE_4XX = [
  [422, 50],
  [409, 30],
  [400, 20],
] as const;

/**
 * A V8-style stack string: the `Name: message` line, then one `    at …` line per frame.
 *
 * @example
 * v8Stack('TypeError', 'x is undefined', ['f (app.js:1:2)']); // 'TypeError: x is undefined\n    at f (app.js:1:2)'
 */
export function v8Stack(name: string, message: string, frames: readonly string[]): string {
  return `${name}: ${message}\n${frames.map((f) => `    at ${f}`).join('\n')}`;
}

/**
 * A browser JavaScript error from one of the portal's known code locations (no session id yet).
 *
 * @example
 * const e = javascriptError(rng, Date.now(), 'u-000001', { page: '/courses' });
 */
export function javascriptError(rng: Rng, ts: number, userId: string, context: Record<string, string>): ErrorEvent {
  const t = rng.weighted(JS_ERRORS.map((e) => [e, e.weight] as const));
  return {
    type: 'error',
    ts,
    kind: 'javascript',
    name: t.name,
    message: t.message,
    stack: v8Stack(t.name, t.message, t.frames),
    phase: t.phase,
    userId,
    context,
  };
}

/** Where a server-side error happened. */
export interface ServerErrorSite {
  host: string;
  sessionId: string;
  route: string;
  method: HttpMethod;
  status: number;
}

/**
 * A `system` error logged by `portal-api` while it answered a 5xx.
 *
 * @example
 * systemError(rng, Date.now(), { host: 'api-1', sessionId, route: '/api/courses/101', method: 'GET', status: 500 });
 */
export function systemError(rng: Rng, ts: number, site: ServerErrorSite): ErrorEvent {
  const sys = rng.weighted(SYSTEM_ERRORS);
  return {
    type: 'error',
    ts: Math.round(ts),
    sessionId: site.sessionId,
    kind: 'system',
    name: sys.name,
    message: sys.message,
    stack: v8Stack(sys.name, sys.message, sys.frames),
    phase: 'api',
    context: { host: site.host, route: site.route, method: site.method, status: site.status },
  };
}
