/** Inputs are cut to this many characters before any work, so huge URLs cost a bounded amount. */
const MAX_INPUT_LENGTH = 256;

const SCHEME_AND_HOST = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;
const DIGITS = /^\d+$/;
/** Dates and compound numeric ids: `2024-01-15`, `12_7`, `10:30`. Dots are left alone so `2.0` stays a version. */
const DIGIT_GROUPS = /^\d+(?:[-_:]\d+)+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = /^[0-9a-f]{8,}$/i;
const LONG_TOKEN = /^[a-z0-9]{16,}$/i;
const HAS_DIGIT = /\d/;
const EMAIL = /^[^@]+@[^@]+\.[^@]+$/;
const PERCENT_ESCAPE = /%[0-9a-f]{2}/i;
/** A hyphenated word slug ending in a number, as frameworks append to make slugs unique. */
const SLUG_WITH_NUMBER = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*-\d+$/i;

/**
 * Turns a URL or path into a low-cardinality route template, so per-route rollups do not explode
 * into one series per record. Scheme, host, port, query string, fragment and `;matrix` parameters
 * are dropped; duplicate and trailing slashes are removed (the root stays `/`). A segment becomes
 * `:id` when it is all digits, digit groups (`2024-01-15`), a UUID, hex of 8+ characters with a
 * digit, an alphanumeric token of 16+ characters with a digit, an email, or contains a percent
 * escape. A hyphenated slug ending in a number (`intro-to-python-12345`, also `lesson-3`) becomes
 * `:slug`; plain words, versions and slugs (`courses`, `v1`, `intro-to-python`) stay. Templates
 * pass through unchanged, so templating twice is harmless. Runs in browsers: no platform imports.
 *
 * @example
 * templateRoute('https://portal.example.com/api/courses/42/lessons/7?x=1#t'); // '/api/courses/:id/lessons/:id'
 */
export function templateRoute(input: string): string {
  let path = input.slice(0, MAX_INPUT_LENGTH).trim().replace(SCHEME_AND_HOST, '');
  const end = path.search(/[?#]/);
  if (end !== -1) path = path.slice(0, end);
  const segments: string[] = [];
  for (const raw of path.split('/')) {
    const semicolon = raw.indexOf(';');
    const segment = semicolon === -1 ? raw : raw.slice(0, semicolon);
    if (segment !== '') segments.push(templateSegment(segment));
  }
  return `/${segments.join('/')}`;
}

function templateSegment(segment: string): string {
  if (DIGITS.test(segment) || DIGIT_GROUPS.test(segment) || UUID.test(segment)) return ':id';
  if ((HEX.test(segment) || LONG_TOKEN.test(segment)) && HAS_DIGIT.test(segment)) return ':id';
  if (EMAIL.test(segment) || PERCENT_ESCAPE.test(segment)) return ':id';
  if (SLUG_WITH_NUMBER.test(segment)) return ':slug';
  return segment;
}
