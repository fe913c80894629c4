import { describe, expect, it } from 'vitest';
import { templateRoute } from '../src/route-template.js';

const CASES: Array<[input: string, expected: string]> = [
  // the required examples
  ['/api/courses/123', '/api/courses/:id'],
  ['https://portal.example.com/api/courses/42/lessons/7?x=1#t', '/api/courses/:id/lessons/:id'],
  ['/api/users/3f2a9c1e-8b7d-4c6e-9f01-23456789abcd/progress', '/api/users/:id/progress'],
  ['/api/v1/health', '/api/v1/health'],
  // scheme, host, port, credentials, query, fragment, matrix parameters
  ['http://localhost:8080/login', '/login'],
  ['https://user:secret@example.com:8443/api/me?token=abc', '/api/me'],
  ['https://example.com', '/'],
  ['https://example.com?x=1', '/'],
  ['/search?q=123#results', '/search'],
  ['/courses#section-2', '/courses'],
  ['/login;jsessionid=A1B2C3D4E5F6', '/login'],
  // slashes
  ['/', '/'],
  ['', '/'],
  ['   ', '/'],
  ['//api///courses//12/', '/api/courses/:id'],
  ['/api/courses/', '/api/courses'],
  ['api/courses/7', '/api/courses/:id'],
  // id-like segments
  ['/orders/0', '/orders/:id'],
  ['/users/3F2A9C1E-8B7D-4C6E-9F01-23456789ABCD', '/users/:id'],
  ['/objects/507f1f77bcf86cd799439011', '/objects/:id'],
  ['/commits/deadbeef1', '/commits/:id'],
  ['/tokens/01HZX3K9QW7M2R8T5V6Y4B1N0C', '/tokens/:id'],
  ['/invites/aB3dE5gH7jK9mN1pQ', '/invites/:id'],
  ['/reports/2024-01-15', '/reports/:id'],
  ['/users/ada@example.com/settings', '/users/:id/settings'],
  ['/users/ada%40example.com', '/users/:id'],
  ['/files/my%20notes.pdf', '/files/:id'],
  ['/wiki/%E6%97%A5%E6%9C%AC', '/wiki/:id'],
  // words, versions and plain slugs stay
  ['/courses/intro-to-python', '/courses/intro-to-python'],
  ['/api/v2/auth/refresh', '/api/v2/auth/refresh'],
  ['/static/app.js', '/static/app.js'],
  ['/api/2.0/status', '/api/2.0/status'],
  ['/deadbeef', '/deadbeef'],
  ['/abcdef1', '/abcdef1'],
  ['/oauth2/callback', '/oauth2/callback'],
  ['/CamelCaseEndpointName', '/CamelCaseEndpointName'],
  ['/users/me/preferences_v2', '/users/me/preferences_v2'],
  // slugs ending in a number
  ['/courses/intro-to-python-12345', '/courses/:slug'],
  ['/courses/intro-to-python-12345/lessons/3', '/courses/:slug/lessons/:id'],
  ['/lessons/lesson-3', '/lessons/:slug'],
  // already a template: unchanged
  ['/api/courses/:id/lessons/:id', '/api/courses/:id/lessons/:id'],
  ['/courses/:slug', '/courses/:slug'],
];

describe('templateRoute', () => {
  it.each(CASES)('%s → %s', (input, expected) => {
    expect(templateRoute(input)).toBe(expected);
  });

  it('is idempotent', () => {
    for (const [input] of CASES) expect(templateRoute(templateRoute(input))).toBe(templateRoute(input));
  });

  it('looks only at the first 256 characters', () => {
    const long = `/api/courses/${'a'.repeat(300)}/lessons/7`;
    expect(templateRoute(long)).toBe(`/api/courses/${'a'.repeat(256 - '/api/courses/'.length)}`);
    expect(templateRoute(`/api/${'12/'.repeat(100_000)}`)).toBe(`/api${'/:id'.repeat(84)}`);
  });
});
