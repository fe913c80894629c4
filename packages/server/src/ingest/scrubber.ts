import { createHmac } from 'node:crypto';
import type { Attrs, AttrValue, VigilEvent } from '@vigil/schema';

/**
 * One pass over a string replaces every kind of secret or PII the collector knows. The order of
 * the alternatives matters: a bearer token or a JWT is matched before the email and card rules
 * could see parts of it.
 */
const PII_PATTERN = new RegExp(
  [
    '(?<bearer>\\bBearer\\s+[A-Za-z0-9._~+/=-]{8,})',
    '(?<jwt>\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*)',
    '(?<kv>\\b(?:password|passwd|pwd|pass|secret|token|access_token|refresh_token|api[_-]?key|apikey|authorization|auth|session_?id|sid)\\b(?:["\']?\\s*[:=]\\s*["\']?))(?!Bearer\\s)(?<kvval>[^\\s"\'&,;}]+)',
    '(?<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,})',
    '(?<card>\\b(?:\\d[ -]?){12,18}\\d\\b)',
    '(?<ipv4>\\b(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}\\b)',
  ].join('|'),
  'gi',
);

/**
 * Quick reject, on the ingest hot path: a string that matches none of these cannot match
 * {@link PII_PATTERN} (emails need `@`, JWTs `eyJ`, secrets their key word, cards four digits
 * in a row, IPv4 addresses a digit-dot-digit). Most names and templated routes fail it at once.
 */
const MAYBE_PII = /@|eyJ|bearer|pass|pwd|secret|token|key|auth|sid|session|\d{4}|\d\.\d/i;

/** Attribute keys whose values are always replaced, whatever they hold. */
const SENSITIVE_KEY = /pass|secret|token|authorization|cookie|api[_-]?key|session_?id|credit|card|ssn|email/i;

function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function replacer(match: string, ...args: unknown[]): string {
  const groups = args[args.length - 1] as Record<string, string | undefined>;
  if (groups.bearer) return 'Bearer [token]';
  if (groups.jwt) return '[token]';
  if (groups.kv) return `${groups.kv}[redacted]`;
  if (groups.email) return '[email]';
  if (groups.card) {
    const digits = match.replace(/[ -]/g, '');
    return digits.length >= 13 && luhn(digits) ? '[card]' : match;
  }
  if (groups.ipv4) return '[ip]';
  return match;
}

/**
 * Replaces emails, bearer tokens, JWTs, `password=…`-style secrets, card numbers (Luhn-checked)
 * and IPv4 addresses in free text.
 *
 * @example
 * scrubText('login failed for ada@example.com'); // 'login failed for [email]'
 */
export function scrubText(s: string): string {
  if (!MAYBE_PII.test(s)) return s;
  return s.replace(PII_PATTERN, replacer);
}

function scrubValue(v: AttrValue, text: (s: string) => string): AttrValue {
  if (typeof v === 'string') return text(v);
  if (Array.isArray(v)) return v.map((x) => scrubValue(x, text));
  if (v !== null && typeof v === 'object') return scrubAttrs(v, text);
  return v;
}

/** Scrubs attribute values (with `text`, default {@link scrubText}); values under sensitive keys are replaced whole. */
export function scrubAttrs(attrs: Attrs, text: (s: string) => string = scrubText): Attrs {
  const out: Attrs = {};
  for (const key in attrs) {
    const v = attrs[key] as AttrValue;
    out[key] = SENSITIVE_KEY.test(key) && v !== null && typeof v !== 'boolean' ? '[redacted]' : scrubValue(v, text);
  }
  return out;
}

/** The default student-id rule: `S` and 7 to 9 digits (e.g. `S12345678`). */
export const DEFAULT_STUDENT_ID_PATTERN = '\\b[Ss]\\d{7,9}\\b';

/** Configurable scrubbing rules on top of the built-in ones. */
export interface ScrubberOptions {
  /** Regular expression of student ids, replaced by `[student-id]`; '' turns it off. */
  studentIdPattern?: string;
  /** More regular expressions; matches become `[redacted]`. */
  extraPatterns?: string[];
}

/**
 * Turns user ids into keyed hashes (HMAC-SHA256 with a per-installation secret) and scrubs PII
 * from every free-text field of an event, in place. Identifiers that the validator restricts to
 * `[a-z0-9_.-]` (phases, gauge names) or `[A-Za-z0-9_-]` (session ids) cannot hold an email,
 * a token with its key word, or a card number with separators, and are left alone.
 *
 * @example
 * const scrubber = new Scrubber(secret);
 * scrubber.scrubEvent(event);
 */
export class Scrubber {
  readonly #secret: string;
  readonly #cache = new Map<string, string>();
  readonly #rules: Array<{ pattern: RegExp; replacement: string }> = [];
  readonly #text: (s: string) => string;

  constructor(secret: string, options: ScrubberOptions = {}) {
    this.#secret = secret;
    const student = options.studentIdPattern ?? DEFAULT_STUDENT_ID_PATTERN;
    if (student !== '') this.#rules.push({ pattern: new RegExp(student, 'g'), replacement: '[student-id]' });
    for (const p of options.extraPatterns ?? [])
      this.#rules.push({ pattern: new RegExp(p, 'g'), replacement: '[redacted]' });
    this.#text = (s) => {
      let out = scrubText(s);
      for (const rule of this.#rules) out = out.replace(rule.pattern, rule.replacement);
      return out;
    };
  }

  /** Scrubs one free-text value with the built-in and the configured rules. */
  scrubText(s: string): string {
    return this.#text(s);
  }

  /** The pseudonym of a user id: stable for this installation, not reversible without the secret. */
  pseudonymise(userId: string): string {
    let hash = this.#cache.get(userId);
    if (hash === undefined) {
      hash = `u_${createHmac('sha256', this.#secret).update(userId).digest('hex').slice(0, 24)}`;
      // Bounded memo: user ids repeat heavily within a batch and across batches.
      if (this.#cache.size >= 50_000) this.#cache.clear();
      this.#cache.set(userId, hash);
    }
    return hash;
  }

  scrubEvent(e: VigilEvent): void {
    switch (e.type) {
      case 'action':
        e.name = this.#text(e.name);
        if (e.userId !== undefined) e.userId = this.pseudonymise(e.userId);
        if (e.attrs) e.attrs = scrubAttrs(e.attrs, this.#text);
        break;
      case 'timing':
        e.name = this.#text(e.name);
        if (e.attrs) e.attrs = scrubAttrs(e.attrs, this.#text);
        break;
      case 'api':
        e.route = this.#text(e.route);
        if (e.attrs) e.attrs = scrubAttrs(e.attrs, this.#text);
        break;
      case 'error':
        e.message = this.#text(e.message);
        if (e.stack !== undefined) e.stack = this.#text(e.stack);
        if (e.name !== undefined) e.name = this.#text(e.name);
        if (e.userId !== undefined) e.userId = this.pseudonymise(e.userId);
        if (e.context) e.context = scrubAttrs(e.context, this.#text);
        break;
      case 'vital':
        if (e.page !== undefined) e.page = this.#text(e.page);
        break;
      case 'gauge':
        if (e.host !== undefined) e.host = this.#text(e.host);
        break;
      case 'rating':
        if (e.userId !== undefined) e.userId = this.pseudonymise(e.userId);
        if (e.attrs) e.attrs = scrubAttrs(e.attrs, this.#text);
        break;
      case 'session':
        if (e.userId !== undefined) e.userId = this.pseudonymise(e.userId);
        break;
    }
  }
}
