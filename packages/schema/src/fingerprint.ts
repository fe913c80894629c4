import { hash64Hex } from './hash64.js';

/**
 * Error grouping shared by the server and the browser SDK, so it must stay free of platform
 * imports and of regex features older Safari cannot parse (no lookbehind).
 */

/** Normalised messages are cut to this many characters. */
const MAX_NORMALIZED_LENGTH = 256;
/** Raw messages are cut to this before any regex runs, which bounds the work on huge messages. */
const MAX_RAW_LENGTH = 2048;
/** Stacks are cut to this before parsing; the frames that matter are at the top. */
const MAX_STACK_LENGTH = 16 * 1024;
const MAX_FRAMES = 3;

const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"`<>()[\]{}]+/gi;
const EMAIL_PATTERN = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const UUID_PATTERN = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
/** A quote opens only after a non-word character, so apostrophes (`can't`, `user's`) are not strings. */
const QUOTED_PATTERN = /(^|[^\w])(?:'[^'\n]*'|"[^"\n]*"|`[^`\n]*`)(?!\w)/g;
/** Hex runs of 8+ characters with a digit, also inside identifiers like `session_3f2a9c1e`. */
const HEX_ID_PATTERN = /(^|[^0-9a-z])([0-9a-f]{8,})(?![0-9a-z])/gi;
const HEX_NUMBER_PATTERN = /\b0x[0-9a-f]+\b/gi;
const NUMBER_PATTERN = /\d+(?:\.\d+)?/g;
const HAS_DIGIT = /\d/;

const V8_FRAME = /^\s*at\s+(.*)$/;
const V8_FRAME_LINE = /^\s*at\s/m;
const V8_CALL = /^(.*?)\s+\((.*)\)$/;
/** Firefox and Safari: `fn@url:line:col`, with an empty function name for anonymous code. */
const GECKO_FRAME = /^\s*([^@]*)@(.*:\d+(?::\d+)?)\s*$/;
const LINE_AND_COLUMN = /:\d+(?::\d+)?$/;
const NOT_IN_APP = /node_modules|^node:|^internal\/|<anonymous>|^(?:chrome|moz|safari|safari-web)-extension:/;
/**
 * Content hashes and chunk numbers in bundle names change every deploy; the group must not.
 * A file-name part is a hash when it is all digits, 8+ word characters with a digit
 * (`main.3f2a9c1e.js`), or exactly 8 with a lower-to-upper case change (Vite's `index-DiwrgTda.js`).
 */
const DIGIT_HASH_PART = /^(?:\d+|(?=\w*\d)\w{8,})$/;
const MIXED_CASE_HASH_PART = /^(?=\w*[a-z][A-Z])\w{8}$/;

/**
 * Replaces the variable parts of an error message — URLs → `<url>`, emails → `<email>`, UUIDs and
 * hex ids (8+ characters with a digit) → `<id>`, quoted strings → `<str>`, numbers → `<n>` — then
 * collapses whitespace and trims to 256 characters, so occurrences of one bug share one message.
 *
 * @example
 * normalizeMessage('User 42 not found at "https://x.io/u/42"'); // 'User <n> not found at <str>'
 */
export function normalizeMessage(message: string): string {
  const normalized = message
    .slice(0, MAX_RAW_LENGTH)
    .replace(URL_PATTERN, '<url>')
    .replace(EMAIL_PATTERN, '<email>')
    .replace(UUID_PATTERN, '<id>')
    .replace(QUOTED_PATTERN, '$1<str>')
    .replace(HEX_ID_PATTERN, (match: string, before: string, hex: string) =>
      HAS_DIGIT.test(hex) ? `${before}<id>` : match,
    )
    .replace(HEX_NUMBER_PATTERN, '<n>')
    .replace(NUMBER_PATTERN, '<n>')
    .replace(/\s+/g, ' ')
    .trim();
  return cutString(normalized, MAX_NORMALIZED_LENGTH);
}

/**
 * What `fingerprintError` reads from an error event.
 *
 * @example
 * const input: FingerprintInput = { kind: 'js', name: 'TypeError', message: e.message, stack: e.stack };
 */
export interface FingerprintInput {
  kind: string;
  name?: string;
  message: string;
  stack?: string;
}

/**
 * The grouping key of an error and the parts it was computed from.
 *
 * @example
 * const { fingerprint, normalizedMessage, frames }: ErrorFingerprint = fingerprintError(event);
 */
export interface ErrorFingerprint {
  /** 16 lowercase hex characters. */
  fingerprint: string;
  normalizedMessage: string;
  /** Up to three in-app frames, innermost first, as `function@file`. */
  frames: string[];
}

/**
 * Groups an error: hashes its kind, name, normalised message and top three in-app stack frames
 * (V8 `at fn (url:1:2)` and Firefox/Safari `fn@url:1:2` formats). Frames are `function@basename`
 * with line, column, query, hash and bundle content hashes removed, so errors that differ only in
 * numbers, ids, line numbers or deploys share a fingerprint. Frames from node_modules, Node
 * internals, `<anonymous>` and browser extensions are skipped.
 *
 * @example
 * fingerprintError({ kind: 'js', name: 'TypeError', message: 'x is undefined', stack: '    at load (https://a.io/app.js:3:9)' });
 * // { fingerprint: 'e5ff20788b393ebe', normalizedMessage: 'x is undefined', frames: ['load@app.js'] }
 */
export function fingerprintError(e: FingerprintInput): ErrorFingerprint {
  const normalizedMessage = normalizeMessage(e.message);
  const frames = e.stack === undefined ? [] : topFrames(e.stack);
  const fingerprint = hash64Hex([e.kind, e.name ?? '', normalizedMessage, ...frames].join('\n'));
  return { fingerprint, normalizedMessage, frames };
}

function topFrames(stack: string): string[] {
  const text = stack.slice(0, MAX_STACK_LENGTH);
  // V8 stacks start with the message, which may itself contain `x@y:1`; only Firefox and Safari
  // stacks (which never contain `at` lines) are read as `fn@url` frames.
  const parse = V8_FRAME_LINE.test(text) ? parseV8Frame : parseGeckoFrame;
  const frames: string[] = [];
  for (const line of text.split('\n')) {
    const frame = parse(line);
    if (frame !== null) frames.push(frame);
    if (frames.length === MAX_FRAMES) break;
  }
  return frames;
}

/** V8: `at fn (url:1:2)`, `at url:1:2`, `at async fn (url:1:2)`, `at obj.fn [as alias] (url:1:2)`. */
function parseV8Frame(line: string): string | null {
  const v8 = V8_FRAME.exec(line);
  if (v8 === null) return null;
  const rest = v8[1]!.trim();
  const call = V8_CALL.exec(rest);
  const fn = call === null ? '' : call[1]!.replace(/^async\s+/, '').replace(/\s+\[as [^\]]*\]$/, '');
  return inAppFrame(fn, call === null ? rest : call[2]!);
}

/** Firefox and Safari: `fn@url:1:2`, `@url:1:2`, `async*fn@url:1:2`, `outer/<@url:1:2`. */
function parseGeckoFrame(line: string): string | null {
  const gecko = GECKO_FRAME.exec(line);
  if (gecko === null) return null;
  const fn = gecko[1]!.replace(/^async\*/, '').replace(/(?:\/<)+$/, '');
  // Firefox eval frames look like `app.js line 10 > eval:1:2`; the script is what identifies them.
  return inAppFrame(fn, gecko[2]!.replace(/ line \d+ > .*$/, ''));
}

/** `function@file` for an in-app frame, null for frames of libraries, runtimes and extensions. */
function inAppFrame(fn: string, location: string): string | null {
  if (!LINE_AND_COLUMN.test(location) || NOT_IN_APP.test(location)) return null;
  const file = basename(location.replace(LINE_AND_COLUMN, ''));
  if (file === '') return null;
  return `${fn.trim() || '?'}@${file}`;
}

function basename(location: string): string {
  const end = location.search(/[?#]/);
  const path = end === -1 ? location : location.slice(0, end);
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const parts = name.split(/([.-])/);
  // Even indexes are name parts, odd ones the separators; the last part is the extension.
  for (let i = 0; i < parts.length - 1; i += 2) {
    const part = parts[i]!;
    if (DIGIT_HASH_PART.test(part) || MIXED_CASE_HASH_PART.test(part)) parts[i] = '<hash>';
  }
  return parts.join('');
}

function cutString(s: string, max: number): string {
  if (s.length <= max) return s;
  const last = s.charCodeAt(max - 1);
  return s.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
