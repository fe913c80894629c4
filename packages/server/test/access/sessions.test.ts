import { afterEach, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../src/access/password-hasher.js';
import type { VigilApp } from '../../src/app.js';
import { runUsersCommand } from '../../src/cli.js';
import { testApp } from '../helpers/test-app.js';
import { allAudit, asAdmin, createUser, login, sessionCookie, settle, TEST_HASH_LOG_N } from './access-helpers.js';

const PASSWORD = 'correct horse battery';
const MIN = 60_000;

describe('login and sessions', () => {
  let vigil: VigilApp | undefined;
  let t = Date.UTC(2026, 0, 5, 9);
  const open = async (overrides = {}) => {
    t = Date.UTC(2026, 0, 5, 9);
    vigil = await testApp(overrides, { passwordHashLogN: TEST_HASH_LOG_N, now: () => t });
    return vigil;
  };
  afterEach(async () => {
    await vigil?.close();
    vigil = undefined;
  });
  const whoAmI = (v: VigilApp, cookie: string | undefined) =>
    v.app.inject({ method: 'GET', url: '/api/v1/session', headers: cookie ? { cookie } : {} });

  it('hashes with scrypt at the OWASP cost (N=2^17, r=8, p=1) by default', async () => {
    const hasher = new PasswordHasher();
    const stored = await hasher.hash(PASSWORD);
    expect(stored.split('$').slice(0, 4)).toEqual(['scrypt', '17', '8', '1']);
    expect([await hasher.verify(PASSWORD, stored), await hasher.verify('wrong password!', stored)]).toEqual([
      true,
      false,
    ]);
  });

  it('first run creates the admin user; VIGIL_ADMIN_PASSWORD signs in and the config token stays admin', async () => {
    const v = await open({ adminPassword: 'first-run-password-123' });
    expect(v.createdAdminPassword).toBeUndefined();
    const res = await login(v, 'admin', 'first-run-password-123');
    expect([res.statusCode, res.json().user.role]).toEqual([200, 'admin']);
    const generated = await testApp({}, { passwordHashLogN: TEST_HASH_LOG_N });
    try {
      expect(generated.createdAdminPassword).toMatch(/^[A-Za-z0-9_-]{20}$/);
      expect((await login(generated, 'admin', generated.createdAdminPassword as string)).statusCode).toBe(200);
    } finally {
      await generated.close();
    }
  });

  it('unknown user, wrong password and disabled user give the same answer after the same scrypt work', async () => {
    const v = await open();
    const id = await createUser(v, 'ada', 'viewer', PASSWORD);
    await createUser(v, 'bob', 'viewer', PASSWORD);
    await asAdmin(v, 'PATCH', `/api/v1/users/${id}`, { disabled: true });
    let derivations = 0;
    const verify = v.access.hasher.verify.bind(v.access.hasher);
    v.access.hasher.verify = async (password, stored) => {
      derivations++;
      return verify(password, stored);
    };
    const answers = [];
    for (const [name, password] of [
      ['nobody', PASSWORD],
      ['bob', 'wrong password 1'],
      ['ada', PASSWORD],
    ] as const) {
      const before = derivations;
      const res = await login(v, name, password, `10.0.1.${answers.length}`);
      answers.push([res.statusCode, res.body, res.headers['set-cookie'], derivations - before]);
    }
    const same = [
      401,
      JSON.stringify({ error: { code: 'VIGIL_ERR_LOGIN_FAILED', message: 'The user name or password is wrong.' } }),
      undefined,
      1,
    ];
    expect(answers).toEqual([same, same, same]);
    await settle();
    const logins = (await allAudit(v)).filter((r) => r.action === 'POST /api/v1/session');
    expect(logins.map((r) => [r.actor, r.target, r.result, r.status, r.ip])).toEqual([
      ['anonymous', 'user:nobody', 'denied', 401, '10.0.1.0'],
      ['anonymous', 'user:bob', 'denied', 401, '10.0.1.1'],
      ['anonymous', 'user:ada', 'denied', 401, '10.0.1.2'],
    ]);
  });

  it('throttles per IP+account with doubling delays, without locking the account out from elsewhere', async () => {
    const v = await open();
    await createUser(v, 'ada', 'viewer', PASSWORD);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await login(v, 'ada', 'wrong password!!', '10.9.9.9')).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401]);
    // Four failures: the fourth started a 1 s delay (three are free); even the right password waits.
    const held = await login(v, 'ada', PASSWORD, '10.9.9.9');
    expect([held.statusCode, held.json().error.code, held.headers['retry-after']]).toEqual([
      429,
      'VIGIL_ERR_TOO_MANY_ATTEMPTS',
      '1',
    ]);
    // The real user elsewhere is not locked out.
    expect((await login(v, 'ada', PASSWORD, '10.1.1.1')).statusCode).toBe(200);
    t += 1_000;
    expect((await login(v, 'ada', 'wrong password!!', '10.9.9.9')).statusCode).toBe(401);
    expect((await login(v, 'ada', PASSWORD, '10.9.9.9')).headers['retry-after']).toBe('2');
    t += 2_000;
    expect((await login(v, 'ada', PASSWORD, '10.9.9.9')).statusCode).toBe(200);
  });

  it('throttles one IP spraying many accounts with a token bucket (30 burst, 1 per 10 s)', async () => {
    const v = await open();
    const statuses = new Map<number, number>();
    for (let i = 0; i < 31; i++) {
      const s = (await login(v, `user${i}`, 'whatever password', '10.7.7.7')).statusCode;
      statuses.set(s, (statuses.get(s) ?? 0) + 1);
    }
    expect([...statuses]).toEqual([
      [401, 30],
      [429, 1],
    ]);
    expect((await login(v, 'user99', 'whatever password', '10.7.7.8')).statusCode).toBe(401);
    t += 10_000;
    expect((await login(v, 'user99', 'whatever password', '10.7.7.7')).statusCode).toBe(401);
  });

  it('issues HttpOnly SameSite=Strict cookies; Secure and __Host- only over TLS when the proxy is trusted', async () => {
    const v = await open({ trustProxy: true });
    await createUser(v, 'ada', 'operator', PASSWORD);
    const plain = await login(v, 'ada', PASSWORD);
    expect(plain.headers['set-cookie']).toMatch(
      /^vigil_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/$/,
    );
    const tls = await v.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'x-vigil-csrf': '1', 'x-forwarded-proto': 'https' },
      payload: { username: 'ada', password: PASSWORD },
    });
    expect(tls.headers['set-cookie']).toMatch(
      /^__Host-vigil_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Secure$/,
    );
    expect(tls.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect(sessionCookie(plain)).not.toBe(sessionCookie(tls)?.replace('__Host-', ''));
    const me = await whoAmI(v, sessionCookie(plain));
    expect(me.json()).toEqual({
      kind: 'session',
      user: { id: expect.any(String), name: 'ada' },
      tokenId: null,
      role: 'operator',
    });
  });

  it('ignores X-Forwarded-Proto unless trustProxy is set', async () => {
    const v = await open();
    const res = await v.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'x-vigil-csrf': '1', 'x-forwarded-proto': 'https' },
      payload: { username: 'admin', password: 'x'.repeat(12) },
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('ends sessions after 30 idle minutes and after 12 hours in any case', async () => {
    const v = await open();
    await createUser(v, 'ada', 'viewer', PASSWORD);
    const idle = sessionCookie(await login(v, 'ada', PASSWORD));
    const busy = sessionCookie(await login(v, 'ada', PASSWORD, '10.0.0.2'));
    const statuses: number[] = [];
    for (let i = 0; i < 37; i++) {
      t += 20 * MIN;
      statuses.push((await whoAmI(v, busy)).statusCode);
    }
    // Used every 20 minutes, the session lives until 12 h after login (36 × 20 min), not past it.
    expect(statuses).toEqual([...Array(36).fill(200), 401]);
    expect((await whoAmI(v, idle)).statusCode).toBe(401);
  });

  it('logout, password change, admin reset and disabling end sessions; disabling also stops the user’s tokens', async () => {
    const v = await open();
    const id = await createUser(v, 'ada', 'operator', PASSWORD);
    const a = sessionCookie(await login(v, 'ada', PASSWORD));
    const b = sessionCookie(await login(v, 'ada', PASSWORD, '10.0.0.2'));
    const out = await v.app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { cookie: a as string, 'x-vigil-csrf': '1' },
    });
    expect([out.statusCode, out.headers['set-cookie']]).toEqual([
      204,
      'vigil_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0',
    ]);
    expect([(await whoAmI(v, a)).statusCode, (await whoAmI(v, b)).statusCode]).toEqual([401, 200]);

    const c = sessionCookie(await login(v, 'ada', PASSWORD, '10.0.0.3'));
    const changed = await v.app.inject({
      method: 'PUT',
      url: '/api/v1/session/password',
      headers: { cookie: c as string, 'x-vigil-csrf': '1' },
      payload: { currentPassword: PASSWORD, newPassword: 'a new long passphrase' },
    });
    expect(changed.statusCode).toBe(204);
    expect([(await whoAmI(v, b)).statusCode, (await whoAmI(v, c)).statusCode]).toEqual([401, 401]);

    const d = sessionCookie(await login(v, 'ada', 'a new long passphrase'));
    const reset = await asAdmin(v, 'PATCH', `/api/v1/users/${id}`, { resetPassword: true });
    expect(reset.json().password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect((await whoAmI(v, d)).statusCode).toBe(401);

    const e = sessionCookie(await login(v, 'ada', reset.json().password));
    const token = await v.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { cookie: e as string, 'x-vigil-csrf': '1' },
      payload: { label: 'ci' },
    });
    const bearer = { authorization: `Bearer ${token.json().token}` };
    expect((await v.app.inject({ method: 'GET', url: '/api/v1/session', headers: bearer })).json().role).toBe(
      'operator',
    );
    expect((await asAdmin(v, 'PATCH', `/api/v1/users/${id}`, { disabled: true })).json().user.disabled).toBe(true);
    expect((await whoAmI(v, e)).statusCode).toBe(401);
    expect((await v.app.inject({ method: 'GET', url: '/api/v1/session', headers: bearer })).statusCode).toBe(401);
    expect((await login(v, 'ada', reset.json().password)).json().error.code).toBe('VIGIL_ERR_LOGIN_FAILED');
  });

  it('caps a token at its user’s role, now and after a demotion', async () => {
    const v = await open();
    const id = await createUser(v, 'ada', 'operator', PASSWORD);
    const cookie = sessionCookie(await login(v, 'ada', PASSWORD)) as string;
    const make = (role: string) =>
      v.app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { cookie, 'x-vigil-csrf': '1' },
        payload: { label: 'x', role },
      });
    expect((await make('admin')).json().error.code).toBe('VIGIL_ERR_FORBIDDEN');
    const token = (await make('operator')).json().token as string;
    await asAdmin(v, 'PATCH', `/api/v1/users/${id}`, { role: 'viewer' });
    const me = await v.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.json().role).toBe('viewer');
  });

  it('the CLI adds, disables and resets users, audited as cli', async () => {
    const v = await open();
    const hasher = new PasswordHasher(TEST_HASH_LOG_N);
    const added = await runUsersCommand(v.store, ['add', 'carol', '--role', 'operator'], hasher);
    const password = /Password \(shown once\): (\S+)$/.exec(added[0] as string)?.[1] as string;
    const cookie = sessionCookie(await login(v, 'carol', password));
    expect((await whoAmI(v, cookie)).json().role).toBe('operator');
    expect(await runUsersCommand(v.store, ['disable', 'carol'], hasher)).toEqual([
      'Disabled carol; their sessions have ended.',
    ]);
    expect((await whoAmI(v, cookie)).statusCode).toBe(401);
    await runUsersCommand(v.store, ['enable', 'carol'], hasher);
    const reset = await runUsersCommand(v.store, ['reset', 'carol'], hasher);
    const next = /carol \(shown once\): (\S+)\./.exec(reset[0] as string)?.[1] as string;
    expect((await login(v, 'carol', next)).statusCode).toBe(200);
    expect(await runUsersCommand(v.store, ['list'], hasher)).toEqual(['admin\tadmin', 'carol\toperator']);
    const cli = (await allAudit(v)).filter((r) => r.actor === 'cli');
    expect(cli.map((r) => [r.action, r.target, r.result])).toEqual([
      ['cli users add', 'user:carol', 'ok'],
      ['cli users disable', 'user:carol', 'ok'],
      ['cli users enable', 'user:carol', 'ok'],
      ['cli users reset', 'user:carol', 'ok'],
    ]);
  });
});
