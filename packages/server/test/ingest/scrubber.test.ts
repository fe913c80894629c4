import { describe, expect, it } from 'vitest';
import { Scrubber, scrubAttrs, scrubText } from '../../src/ingest/scrubber.js';

describe('scrubText', () => {
  it.each([
    ['login failed for ada.lovelace+test@example.co.uk today', 'login failed for [email] today'],
    ['Authorization: Bearer abcdef123456.xyz', 'Authorization: Bearer [token]'],
    ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig_nature', 'token [token]'],
    ['POST /login?password=hunter2&next=/home', 'POST /login?password=[redacted]&next=/home'],
    ['{"api_key": "sk_live_123"}', '{"api_key": "[redacted]"}'],
    ['card 4111 1111 1111 1111 declined', 'card [card] declined'],
    ['order 1234567890123 shipped', 'order 1234567890123 shipped'],
    ['from 192.168.10.20 via proxy', 'from [ip] via proxy'],
    ['TypeError: x is undefined', 'TypeError: x is undefined'],
    ['video_load', 'video_load'],
  ])('%s', (input, expected) => {
    expect(scrubText(input)).toBe(expected);
  });
});

describe('scrubAttrs', () => {
  it('replaces values under sensitive keys whole and scrubs the rest, recursively', () => {
    expect(
      scrubAttrs({
        courseId: 'c-12',
        password: 'hunter2',
        nested: { email: 'a@b.io', note: 'mail a@b.io', ok: true },
        list: ['x@y.org', 3],
      }),
    ).toEqual({
      courseId: 'c-12',
      password: '[redacted]',
      nested: { email: '[redacted]', note: 'mail [email]', ok: true },
      list: ['[email]', 3],
    });
  });
});

describe('Scrubber', () => {
  it('pseudonymises user ids with a keyed hash that depends on the secret', () => {
    const a = new Scrubber('secret-a');
    const b = new Scrubber('secret-b');
    const id = a.pseudonymise('user123');
    expect(id).toMatch(/^u_[0-9a-f]{24}$/);
    expect(a.pseudonymise('user123')).toBe(id);
    expect(b.pseudonymise('user123')).not.toBe(id);
    expect(a.pseudonymise('user124')).not.toBe(id);
  });

  it('scrubs every free-text field of an error event and hashes its user id', () => {
    const s = new Scrubber('k');
    const e = {
      type: 'error' as const,
      ts: 1,
      kind: 'auth' as const,
      message: 'invalid_credentials for bob@example.com',
      stack: 'Error: token=abc123secret\n    at login (app.js:1:1)',
      userId: 'bob',
      context: { password: 'x', where: 'login form' },
    };
    s.scrubEvent(e);
    expect(e).toEqual({
      type: 'error',
      ts: 1,
      kind: 'auth',
      message: 'invalid_credentials for [email]',
      stack: 'Error: token=[redacted]\n    at login (app.js:1:1)',
      userId: s.pseudonymise('bob'),
      context: { password: '[redacted]', where: 'login form' },
    });
  });
});
