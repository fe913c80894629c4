/**
 * Secrets and personal data a careless integration could send, and a corpus of events that
 * carry them in every free-text field the protocol has. None may reach the database.
 */
export const SECRETS = {
  emails: ['ada.lovelace@uni.example', 'grace.hopper@student.uni.example', 'alan.turing+exam@mail.uni.example'],
  ips: ['192.168.10.77', '10.20.30.40', '172.16.254.3'],
  bearer: ['sk_live_abcdef1234567890XYZ', 'tok_9f8e7d6c5b4a39281706'],
  jwt: ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
  passwords: ['Hunter2SecretPass', 'CorrectHorse_Battery9'],
  apiKeys: ['AKIAIOSFODNN7EXAMPLE'],
  cards: ['4111 1111 1111 1111', '5500-0000-0000-0004', '4012888888881881'],
  studentIds: ['S12345678', 's7654321', 'S987654321'],
  rawUserIds: ['learner-000123', 'student-4711', 'S99887766'],
};

/** Every secret, plus card numbers without separators (a dump must not hold those either). */
export function allSecrets(): string[] {
  const list = Object.values(SECRETS).flat();
  return [...list, ...SECRETS.cards.map((c) => c.replace(/[ -]/g, ''))];
}

/** Free-text snippets, each leaking one secret the way real logs do. */
function leaks(): string[] {
  const s = SECRETS;
  return [
    ...s.emails.map((e) => `login failed for ${e}`),
    ...s.ips.map((ip) => `upstream ${ip} refused the connection`),
    ...s.bearer.map((b) => `request sent with Authorization: Bearer ${b}`),
    ...s.jwt.map((j) => `bad token ${j} rejected`),
    ...s.passwords.map((p) => `retry with password=${p} failed`),
    ...s.apiKeys.map((k) => `api_key=${k} is invalid`),
    ...s.cards.map((c) => `payment declined for card ${c}`),
    ...s.studentIds.map((id) => `grade sync failed for ${id}`),
  ];
}

/**
 * At least 50 events, every type, secrets in messages, stacks, names, routes, pages, hosts,
 * attributes (free values and sensitive keys) and user ids.
 *
 * @example
 * const events = piiCorpus(Date.now());
 */
export function piiCorpus(ts: number): unknown[] {
  const events: unknown[] = [];
  const texts = leaks();
  const users = [...SECRETS.rawUserIds, ...SECRETS.emails];
  texts.forEach((text, i) => {
    const userId = users[i % users.length] as string;
    events.push({
      type: 'error',
      ts: ts - i,
      kind: 'javascript',
      name: `Error ${text}`.slice(0, 200),
      message: text,
      stack: `Error: ${text}\n    at submit (https://portal.example/app.js:${i + 1}:1)`,
      userId,
      context: { note: text, password: SECRETS.passwords[0], nested: { list: [text] } },
    });
    events.push({
      type: 'action',
      ts: ts - i,
      phase: 'content',
      name: `open ${text}`.slice(0, 200),
      userId,
      attrs: { detail: text, email: SECRETS.emails[0], apiKey: SECRETS.apiKeys[0] },
    });
    events.push({
      type: 'timing',
      ts: ts - i,
      phase: 'content',
      name: `load ${text}`.slice(0, 200),
      durationMs: 5,
      attrs: { why: text },
    });
  });
  const s = SECRETS;
  events.push(
    { type: 'api', ts, route: `/api/users/${s.emails[0]}/profile`, method: 'GET', status: 200, durationMs: 12 },
    {
      type: 'api',
      ts,
      route: `/api/login?password=${s.passwords[1]}&token=${s.bearer[1]}`,
      method: 'POST',
      status: 401,
      durationMs: 30,
    },
    {
      type: 'api',
      ts,
      route: `/api/grades/${s.studentIds[0]}`,
      method: 'GET',
      status: 500,
      durationMs: 90,
      attrs: { ip: s.ips[0] },
    },
    { type: 'timing', ts, phase: 'auth', name: `sso for ${s.emails[1]}`, durationMs: 40, attrs: { client: s.ips[1] } },
    { type: 'vital', ts, name: 'LCP', value: 1800, page: `/profile/${s.emails[2]}` },
    { type: 'gauge', ts, name: 'memory.percent', value: 40, host: `web-${s.ips[2]}` },
    { type: 'rating', ts, score: 4, userId: s.rawUserIds[0], attrs: { comment: `mail me at ${s.emails[0]}` } },
    { type: 'session', ts, action: 'start', userId: s.rawUserIds[1] },
    { type: 'session', ts, action: 'end', userId: s.rawUserIds[2], durationMs: 60_000 },
  );
  return events;
}
