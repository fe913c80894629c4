import type { Attrs, AttrValue, VigilEvent } from '@vigil/schema';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const BEARER = /\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const USERINFO = /\/\/[^/\s:@]+:[^/\s@]+@/g;
const SECRET_PARAM =
  /\b(pass(?:word|wd)?|pwd|secret|(?:access_|refresh_|id_)?token|api_?key)(["']?\s*[=:]\s*["']?)[^\s"'&,;#]+/gi;
const SECRET_QUERY = /([?&](?:key|auth|code|session|sid|sig|signature|state)=)[^&#\s]+/gi;
const SECRET_KEY = /pass(word|wd)?|pwd|secret|token|authorization|api_?key|cookie/i;
// A cheap pre-check keeps the common case (no suspicious character) off the regexes.
const SUSPICIOUS = /[@=:]|bearer|basic|token|eyJ/i;

/**
 * Removes personal data and credentials from a string: email addresses, bearer/basic tokens,
 * JWTs, `user:password@` in URLs and the values of secret-looking parameters (`password=`,
 * `token:`, `?key=`…).
 *
 * @example
 * scrubString('login failed for ann@example.com password=hunter2');
 * // 'login failed for [email] password=[redacted]'
 */
export function scrubString(value: string): string {
  if (!SUSPICIOUS.test(value)) return value;
  return value
    .replace(USERINFO, '//[redacted]@')
    .replace(JWT, '[jwt]')
    .replace(BEARER, '$1 [redacted]')
    .replace(EMAIL, '[email]')
    .replace(SECRET_PARAM, '$1$2[redacted]')
    .replace(SECRET_QUERY, '$1[redacted]');
}

function scrubValue(key: string, v: AttrValue): AttrValue {
  if (typeof v === 'string') return SECRET_KEY.test(key) ? '[redacted]' : scrubString(v);
  if (Array.isArray(v)) return v.map((x) => scrubValue(key, x));
  if (v !== null && typeof v === 'object') return scrubAttrs(v);
  return v;
}

/**
 * Scrubs every string inside an attribute object; values under secret-looking keys
 * (`password`, `token`, `authorization`, `cookie`…) are replaced whole.
 *
 * @example
 * scrubAttrs({ token: 'abc', note: 'mail bob@example.com' }); // { token: '[redacted]', note: 'mail [email]' }
 */
export function scrubAttrs(attrs: Attrs): Attrs {
  const out: Attrs = {};
  for (const k in attrs) {
    if (Object.hasOwn(attrs, k)) out[k] = scrubValue(k, attrs[k] as AttrValue);
  }
  return out;
}

/**
 * Returns a copy of an event with messages, stacks, routes, pages and attributes scrubbed by
 * {@link scrubString}. `userId` is left alone: the collector pseudonymises it with a keyed hash.
 *
 * @example
 * scrubEvent({ type: 'error', ts: 1, kind: 'auth', message: 'bad password=x' }).message; // 'bad password=[redacted]'
 */
export function scrubEvent(e: VigilEvent): VigilEvent {
  switch (e.type) {
    case 'error': {
      const out = { ...e, message: scrubString(e.message) };
      if (e.stack !== undefined) out.stack = scrubString(e.stack);
      if (e.context !== undefined) out.context = scrubAttrs(e.context);
      return out;
    }
    case 'api': {
      const out = { ...e, route: scrubString(e.route) };
      if (e.attrs !== undefined) out.attrs = scrubAttrs(e.attrs);
      return out;
    }
    case 'vital':
      return e.page === undefined ? e : { ...e, page: scrubString(e.page) };
    case 'action':
    case 'timing':
    case 'rating':
      return e.attrs === undefined ? e : { ...e, attrs: scrubAttrs(e.attrs) };
    default:
      return e;
  }
}
