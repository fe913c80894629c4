import { describe, expect, it } from 'vitest';
import { scrubAttrs, scrubEvent, scrubString } from '../src/index.js';

describe('scrubbing', () => {
  it.each([
    ['login failed for ann.lee+x@example.co.uk', 'login failed for [email]'],
    ['Authorization: Bearer abc.def-123_456XYZ', 'Authorization: Bearer [redacted]'],
    ['password=hunter2&next=/home', 'password=[redacted]&next=/home'],
    ['{"password": "s3cret!", "user": "bob"}', '{"password": "[redacted]", "user": "bob"}'],
    ['GET https://bob:pa55@api.example.com/x', 'GET https://[redacted]@api.example.com/x'],
    ['/reset?token=abcd1234&email=a@b.io', '/reset?token=[redacted]&email=[email]'],
    ['/api/events?key=vk_live_123', '/api/events?key=[redacted]'],
    ['jwt eyJhbGciOi.eyJzdWIiOiIx.sig_nature', 'jwt [jwt]'],
    ["Cannot read properties of undefined (reading 'id')", "Cannot read properties of undefined (reading 'id')"],
    ['error code: 500', 'error code: 500'],
  ])('%s', (input, expected) => {
    expect(scrubString(input)).toBe(expected);
  });

  it('redacts values under secret keys and scrubs nested strings', () => {
    expect(scrubAttrs({ token: 'abc', nested: { note: 'mail bob@example.com', list: ['x@y.io'] }, n: 3 })).toEqual({
      token: '[redacted]',
      nested: { note: 'mail [email]', list: ['[email]'] },
      n: 3,
    });
  });

  it('scrubs messages, stacks, routes and contexts of events, not user ids', () => {
    const e = scrubEvent({
      type: 'error',
      ts: 1,
      kind: 'auth',
      message: 'no user ann@example.com',
      stack: 'Error: password=x\n at f',
      userId: 'ann@example.com',
      context: { url: '/login?password=x' },
    });
    expect(e).toEqual({
      type: 'error',
      ts: 1,
      kind: 'auth',
      message: 'no user [email]',
      stack: 'Error: password=[redacted]\n at f',
      userId: 'ann@example.com',
      context: { url: '/login?password=[redacted]' },
    });
  });
});
