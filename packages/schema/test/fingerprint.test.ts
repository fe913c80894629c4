import { describe, expect, it } from 'vitest';
import { fingerprintError, normalizeMessage } from '../src/fingerprint.js';

const MESSAGES: Array<[input: string, expected: string]> = [
  ['User 42 not found at "https://x.io/u/42"', 'User <n> not found at <str>'],
  ["Cannot read properties of undefined (reading 'map')", 'Cannot read properties of undefined (reading <str>)'],
  ['Unexpected token `<` in JSON at position 0', 'Unexpected token <str> in JSON at position <n>'],
  // apostrophes inside words are not quotes
  ["Can't find user's profile", "Can't find user's profile"],
  [
    'Request to https://api.example.com/v1/courses/12?x=1 failed with status 503',
    'Request to <url> failed with status <n>',
  ],
  [
    'Invalid email ada.lovelace+test@example.co.uk for user 3f2a9c1e-8b7d-4c6e-9f01-23456789abcd',
    'Invalid email <email> for user <id>',
  ],
  ['Session session_3f2a9c1e expired after 30.5 seconds', 'Session session_<id> expired after <n> seconds'],
  ['Pointer 0x7ffeefbff5c8 invalid, code 0xFF', 'Pointer <n> invalid, code <n>'],
  // hex needs a digit to be an id; 8+ digits are ids too
  ['deadbeef is a word but cafe1234 is an id; 12345678 too', 'deadbeef is a word but <id> is an id; <id> too'],
  ['connect ECONNREFUSED 127.0.0.1:5432', 'connect ECONNREFUSED <n>.<n>:<n>'],
  ['Loading chunk 812 failed.', 'Loading chunk <n> failed.'],
  ['  multiple   spaces\n\tand\nnewlines  ', 'multiple spaces and newlines'],
  ['', ''],
];

const V8_STACK = `TypeError: Cannot read properties of undefined (reading 'id')
    at renderLesson (https://portal.example.com/assets/index-DiwrgTda.js:10:5)
    at async loadCourse (https://portal.example.com/assets/course.3f2a9c1e.js?v=2:88:13)
    at Array.map (<anonymous>)
    at Object.dispatch [as handle] (webpack:///./node_modules/react-dom/cjs/react-dom.js:1:1)
    at chrome-extension://abcdefgh/content.js:4:2
    at https://portal.example.com/assets/main.js:3:9
    at extra (https://portal.example.com/assets/extra.js:1:1)`;

const FIREFOX_STACK = `renderLesson@https://portal.example.com/assets/index-DiwrgTda.js:10:5
async*loadCourse@https://portal.example.com/assets/course.js:88:13
@moz-extension://abc/content.js:1:1
loadAll/<@https://portal.example.com/assets/course.js#frag:12:1
@https://portal.example.com/assets/main.js:3:9`;

const SAFARI_STACK = `renderLesson@https://portal.example.com/assets/app.js:10:5
map@[native code]
global code@https://portal.example.com/lesson.html?id=4:30:12`;

const NODE_STACK = `Error: connect ECONNREFUSED 127.0.0.1:5432
    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)
    at Client._connect (/app/node_modules/pg/lib/client.js:10:3)
    at processTicksAndRejections (node:internal/process/task_queues:95:5)
    at eval (eval at compile (/app/src/compile.js:1:1), <anonymous>:1:1)
    at Pool.query (/app/src/store/postgres-store.ts:120:11)
    at async Collector.flush (file:///app/src/ingest/collector.ts:55:7)
    at C:\\work\\app\\main.js:9:1`;

function errorWith(message: string, stack: string) {
  return fingerprintError({ kind: 'js', name: 'TypeError', message, stack });
}

describe('normalizeMessage', () => {
  it.each(MESSAGES)('%j → %j', (input, expected) => {
    expect(normalizeMessage(input)).toBe(expected);
  });

  it('trims to 256 characters without splitting a surrogate pair', () => {
    expect(normalizeMessage('x'.repeat(300))).toBe('x'.repeat(256));
    expect(normalizeMessage(`${'x'.repeat(255)}😀tail`)).toBe('x'.repeat(255));
  });

  it('stays fast on huge messages with many unmatched quotes', () => {
    expect(normalizeMessage(` '${'a'.repeat(1_000_000)}`)).toBe(`'${'a'.repeat(255)}`);
  });
});

describe('fingerprintError', () => {
  it('reads V8 stacks: skips library, runtime and extension frames and strips bundle hashes', () => {
    const result = errorWith("Cannot read properties of undefined (reading 'id')", V8_STACK);
    expect(result).toEqual({
      // Pinned: fingerprints are stored, so the hash and its inputs must never change.
      fingerprint: 'ea2b49ef1697f402',
      normalizedMessage: 'Cannot read properties of undefined (reading <str>)',
      frames: ['renderLesson@index-<hash>.js', 'loadCourse@course.<hash>.js', '?@main.js'],
    });
  });

  it('reads Firefox stacks', () => {
    expect(errorWith('x is undefined', FIREFOX_STACK).frames).toEqual([
      'renderLesson@index-<hash>.js',
      'loadCourse@course.js',
      'loadAll@course.js',
    ]);
  });

  it('reads Safari stacks, skipping native code', () => {
    expect(errorWith('x is undefined', SAFARI_STACK).frames).toEqual([
      'renderLesson@app.js',
      'global code@lesson.html',
    ]);
  });

  it('reads Node stacks: file URLs, Windows paths, eval frames skipped', () => {
    const result = fingerprintError({
      kind: 'node',
      name: 'Error',
      message: 'connect ECONNREFUSED 127.0.0.1:5432',
      stack: NODE_STACK,
    });
    expect(result.frames).toEqual(['Pool.query@postgres-store.ts', 'Collector.flush@collector.ts', '?@main.js']);
    expect(result.normalizedMessage).toBe('connect ECONNREFUSED <n>.<n>:<n>');
  });

  it('does not read a V8 message containing `x@host:1` as a frame', () => {
    const stack = 'Error: mail to ada@mail.example.com:25 failed\n    at send (https://a.io/mail.js:1:1)';
    expect(errorWith('mail failed', stack).frames).toEqual(['send@mail.js']);
  });

  it('has no frames without a stack', () => {
    expect(fingerprintError({ kind: 'js', message: 'boom' })).toEqual({
      fingerprint: fingerprintError({ kind: 'js', name: '', message: 'boom', stack: '' }).fingerprint,
      normalizedMessage: 'boom',
      frames: [],
    });
    expect(fingerprintError({ kind: 'js', message: 'boom' }).fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('groups errors that differ only in numbers, ids, line numbers and bundle hashes', () => {
    const first = errorWith(
      'Lesson 12 of course 3f2a9c1e-8b7d-4c6e-9f01-23456789abcd failed: "timeout"',
      `Error\n    at load (https://a.io/assets/app.1a2b3c4d.js:10:5)\n    at run (https://a.io/assets/app.1a2b3c4d.js:20:1)`,
    );
    const second = errorWith(
      'Lesson 7 of course 0b9d3a7e-1111-4c6e-9f01-aaaaaaaaaaaa failed: "bad gateway"',
      `Error\n    at load (https://a.io/assets/app.9f8e7d6c.js:11:42)\n    at run (https://a.io/assets/app.9f8e7d6c.js:99:3)`,
    );
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(first.frames).toEqual(['load@app.<hash>.js', 'run@app.<hash>.js']);
  });

  it('separates errors with different messages, frames, frame order, names or kinds', () => {
    const stack = 'Error\n    at load (https://a.io/app.js:1:1)\n    at run (https://a.io/app.js:2:1)';
    const base = fingerprintError({ kind: 'js', name: 'TypeError', message: 'x is undefined', stack });
    const variants = [
      fingerprintError({ kind: 'js', name: 'TypeError', message: 'y is undefined', stack }),
      fingerprintError({
        kind: 'js',
        name: 'TypeError',
        message: 'x is undefined',
        stack: stack.replace('load', 'save'),
      }),
      fingerprintError({
        kind: 'js',
        name: 'TypeError',
        message: 'x is undefined',
        stack: 'Error\n    at run (https://a.io/app.js:2:1)\n    at load (https://a.io/app.js:1:1)',
      }),
      fingerprintError({
        kind: 'js',
        name: 'TypeError',
        message: 'x is undefined',
        stack: stack.replace('/app.js:1', '/lib.js:1'),
      }),
      fingerprintError({ kind: 'js', name: 'RangeError', message: 'x is undefined', stack }),
      fingerprintError({ kind: 'promise', name: 'TypeError', message: 'x is undefined', stack }),
      fingerprintError({ kind: 'js', name: 'TypeError', message: 'x is undefined' }),
    ];
    const fingerprints = new Set([base.fingerprint, ...variants.map((v) => v.fingerprint)]);
    expect(fingerprints.size).toBe(8);
  });

  it('looks only at the top three in-app frames', () => {
    const top =
      'Error\n    at a (https://x.io/a.js:1:1)\n    at b (https://x.io/b.js:1:1)\n    at c (https://x.io/c.js:1:1)';
    const one = errorWith('boom', `${top}\n    at d (https://x.io/d.js:1:1)`);
    const other = errorWith('boom', `${top}\n    at e (https://x.io/e.js:1:1)`);
    expect(one.frames).toEqual(['a@a.js', 'b@b.js', 'c@c.js']);
    expect(other.fingerprint).toBe(one.fingerprint);
  });
});
