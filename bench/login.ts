/**
 * `npx tsx bench/login.ts` — sign-in cost at the production scrypt setting (N=2^17, r=8, p=1):
 * median and spread of `POST /api/v1/session` for a wrong password, an unknown user and a
 * disabled user (which must cost the same: no user enumeration by timing), a correct login, and
 * the throughput of 8 concurrent logins (at most 2 derivations run at once).
 *
 * Options: `--rounds N` (default 15).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../packages/server/src/app.js';
import { defaultConfig } from '../packages/server/src/config.js';

const args = process.argv.slice(2);
const ROUNDS = Number(args[args.indexOf('--rounds') + 1] ?? 15) || 15;
const PASSWORD = 'bench password 123456';
const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-login-'));
const vigil = await buildApp(
  {
    ...defaultConfig(),
    dataDir,
    logLevel: 'silent',
    adminPassword: PASSWORD,
    adminToken: 'vt_bench_admin_token_000001',
  },
  { startPipeline: false },
);
const admin = { authorization: 'Bearer vt_bench_admin_token_000001' };
const made = await vigil.app.inject({
  method: 'POST',
  url: '/api/v1/users',
  headers: admin,
  payload: { name: 'gone', role: 'viewer', password: PASSWORD },
});
await vigil.app.inject({
  method: 'PATCH',
  url: `/api/v1/users/${made.json().user.id}`,
  headers: admin,
  payload: { disabled: true },
});

let ip = 0;
const attempt = async (username: string, password: string) => {
  const t0 = process.hrtime.bigint();
  // A fresh address per attempt keeps the throttle out of the measurement.
  const res = await vigil.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    remoteAddress: `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip++ & 255}`,
    headers: { 'x-vigil-csrf': '1' },
    payload: { username, password },
  });
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, status: res.statusCode };
};
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)]?.toFixed(1)} ms  min ${s[0]?.toFixed(1)}  max ${s.at(-1)?.toFixed(1)}`;
};

await attempt('admin', 'warm-up password'); // builds the dummy hash
const cases: Array<[string, string, string]> = [
  ['wrong password', 'admin', 'not the password!'],
  ['unknown user', 'nobody-here', 'not the password!'],
  ['disabled user', 'gone', PASSWORD],
  ['correct password', 'admin', PASSWORD],
];
for (const [label, user, password] of cases) {
  const times: number[] = [];
  let status = 0;
  for (let i = 0; i < ROUNDS; i++)
    ({ ms: times[i], status } = (await attempt(user, password)) as { ms: number; status: number });
  console.log(`${label.padEnd(18)} → ${status}  ${stats(times)}  (${ROUNDS} rounds)`);
}
const t0 = process.hrtime.bigint();
await Promise.all(Array.from({ length: 8 }, () => attempt('admin', 'not the password!')));
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`8 concurrent logins in ${seconds.toFixed(2)} s → ${(8 / seconds).toFixed(1)} logins/s`);
await vigil.close();
rmSync(dataDir, { recursive: true, force: true });
