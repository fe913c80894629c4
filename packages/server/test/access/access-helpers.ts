import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Role } from '../../src/access/roles.js';
import type { VigilApp } from '../../src/app.js';
import { ADMIN_TOKEN } from '../helpers/test-app.js';

/** scrypt cost for tests: 2^12 keeps each hash around a few milliseconds (the default is 2^17). */
export const TEST_HASH_LOG_N = 12;

/** Headers of an admin API call (Bearer ADMIN_TOKEN). */
export const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** A JSON request as the admin token. */
export function asAdmin(
  vigil: VigilApp,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
) {
  return vigil.app.inject({
    method,
    url,
    headers: ADMIN,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

/** Creates a user through the admin API and returns its id. */
export async function createUser(vigil: VigilApp, name: string, role: Role, password: string): Promise<string> {
  const res = await asAdmin(vigil, 'POST', '/api/v1/users', { name, role, password });
  expect(res.statusCode).toBe(201);
  return res.json().user.id as string;
}

/** Creates an API token of the admin token's owner scoped to `role`; returns the secret. */
export async function tokenWithRole(vigil: VigilApp, role: Role): Promise<string> {
  const res = await asAdmin(vigil, 'POST', '/api/v1/tokens', { label: `${role} token`, role });
  expect(res.statusCode).toBe(201);
  return res.json().token as string;
}

/** The `name=value` of the session cookie a response set, or undefined. */
export function sessionCookie(res: LightMyRequestResponse): string | undefined {
  const header = res.headers['set-cookie'];
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(';')[0];
}

/** Signs in from `ip` with the CSRF header, as the dashboard does. */
export function login(vigil: VigilApp, username: string, password: string, ip = '10.0.0.1') {
  return vigil.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    remoteAddress: ip,
    headers: { 'x-vigil-csrf': '1' },
    payload: { username, password },
  });
}

/** Every audit record (oldest first). */
export function allAudit(vigil: VigilApp) {
  return vigil.store.access.queryAudit({ from: 0, to: Number.MAX_SAFE_INTEGER, limit: 100_000, order: 'asc' });
}

/** Lets onResponse hooks (audit settle) finish. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}
