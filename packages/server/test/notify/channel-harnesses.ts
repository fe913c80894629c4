import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import { BrowserChannel } from '../../src/notify/browser-channel.js';
import { LiveBus } from '../../src/notify/live-bus.js';
import type { Notification, NotificationChannel, SendResult } from '../../src/notify/notification.js';
import { HttpReceiver, type ReceiverMode, SmtpKitReceiver, SseReceiver } from './kit-receivers.js';

/**
 * The channel harnesses of the shared kit (`channel-kit.test.ts`): each builds a real local
 * receiver and says what its channel must answer in each failure mode. A new channel adapter
 * adds one harness here.
 */

/** Attempts that should succeed or be refused get a generous deadline (a loaded CI box is slow)... */
export const TIMEOUT = 5_000;
/** ...a hanging receiver a short one, which the channel must enforce on its own. */
export const HANG_TIMEOUT = 800;
/** The fixtures' clock. */
export const T0 = 1_750_000_000_000;
const WEBHOOK_SECRET = 'whsec-kit-0123456789-abcdef';
const SMTP_PASSWORD = 'smtp-kit-pa55word-xyz';

/** The notification every harness sends. */
export const notification: Notification = {
  version: 1,
  id: 'a1:firing:1750000000000:0:kit',
  kind: 'firing',
  project: 'learning-portal',
  createdAt: T0,
  step: 0,
  alerts: [
    {
      id: 'a1',
      ruleId: 'cpu-high',
      title: 'CPU usage above 80 %',
      type: 'system',
      severity: 'critical',
      status: 'firing',
      labels: { host: 'web-1' },
      value: 93.5,
      threshold: 80,
      firedAt: T0,
      resolvedAt: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      incidentId: null,
    },
  ],
};

/** Failure modes a channel may not have (an in-process stream cannot answer 503 or hang). */
export type Scenario = 'transient' | 'throttled' | 'permanent' | 'auth' | 'hang';

/** One channel adapter with its real local receiver, as the kit drives it. */
export interface Harness {
  type: 'webhook' | 'email' | 'browser';
  name: string;
  /** The secret that must never leak (null: the channel has none). */
  secret: string | null;
  start(): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
  /** Makes the next deliveries fail this way; returns what `send` must answer. */
  arrange: Partial<Record<Scenario, () => SendResult>>;
  /** Puts the receiver back to accepting. */
  accept(): void;
  /** After `send` resolved ok: the delivered notification ids, from what the receiver got. */
  deliveredIds(): Promise<string[]>;
  /** Everything the receiver saw, as text (bodies, headers, mail data, stream). */
  seen(): string;
  /** Requests held open by a hanging receiver right now. */
  hanging(): number;
  /** Proof the secret was used for real (signature checks out, AUTH offered it). */
  secretUsed(): void;
  /** Bad configurations: the raw config, the field named, the message. */
  badConfigs: Array<[Record<string, unknown>, string, string]>;
  /** The live bus the channel is built with (the browser receiver listens on it). */
  bus: LiveBus;
  /** Called with the channel under test once built. */
  attach?(channel: NotificationChannel): void;
}

function webhookHarness(): Harness {
  const r = new HttpReceiver();
  const name = 'kit-webhook';
  const set = (mode: ReceiverMode) => {
    r.mode = mode;
  };
  return {
    type: 'webhook',
    name,
    secret: WEBHOOK_SECRET,
    bus: new LiveBus(),
    start: async () => ({ name, type: 'webhook', url: await r.start(), secret: WEBHOOK_SECRET, format: 'vigil' }),
    stop: () => r.stop(),
    arrange: {
      transient: () => {
        set({ kind: 'status', status: 503, retryAfter: '7' });
        return { ok: false, retryable: true, error: `${name} answered HTTP 503`, retryAfterMillis: 7_000 };
      },
      throttled: () => {
        set({ kind: 'status', status: 429, retryAfter: '30' });
        return { ok: false, retryable: true, error: `${name} answered HTTP 429`, retryAfterMillis: 30_000 };
      },
      permanent: () => {
        set({ kind: 'status', status: 400 });
        return { ok: false, retryable: false, error: `${name} answered HTTP 400` };
      },
      auth: () => {
        set({ kind: 'status', status: 401 });
        return { ok: false, retryable: false, error: `${name} answered HTTP 401` };
      },
      hang: () => {
        set({ kind: 'hang' });
        return { ok: false, retryable: true, error: `${name}: no answer within ${HANG_TIMEOUT} ms` };
      },
    },
    accept: () => set({ kind: 'ok' }),
    deliveredIds: async () => r.requests.map((q) => String((JSON.parse(q.body) as { id: string }).id)),
    seen: () => JSON.stringify(r.requests),
    hanging: () => r.hung.length,
    secretUsed: () => {
      const last = r.requests.at(-1);
      const [t, mac] = String(last?.headers['x-vigil-signature']).replace('t=', '').split(',v1=');
      expect(mac).toBe(createHmac('sha256', WEBHOOK_SECRET).update(`${t}.${last?.body}`).digest('hex'));
    },
    badConfigs: [
      [{ name, type: 'webhook', url: 'ftp://hooks.example.com/x' }, 'url', 'must use http or https'],
      [{ name, type: 'webhook', url: 'not a url' }, 'url', 'must be an absolute http(s) URL'],
      [
        { name, type: 'webhook', url: 'https://user:pw@hooks.example.com/x' },
        'url',
        'must not hold credentials; use secret',
      ],
      [
        { name, type: 'webhook', url: 'https://h.example.com', secret: 'short' },
        'secret',
        'must be at least 16 characters',
      ],
      [
        { name, type: 'webhook', url: 'https://h.example.com', format: 'slack' },
        'format',
        'must be vigil or alertmanager',
      ],
      [{ name, type: 'webhook', url: 'https://h.example.com', token: 'x' }, 'token', 'is not a known field'],
    ],
  };
}

function emailHarness(): Harness {
  const r = new SmtpKitReceiver('vigil', SMTP_PASSWORD);
  const name = 'kit-email';
  const base = { name, type: 'email', host: '127.0.0.1', from: 'vigil@example.com', to: ['oncall@example.com'] };
  const fail = (retryable: boolean, error: string): SendResult => ({
    ok: false,
    retryable,
    error: `${name}: ${error}`,
  });
  return {
    type: 'email',
    name,
    secret: SMTP_PASSWORD,
    bus: new LiveBus(),
    start: async () => ({ ...base, port: await r.start(), secure: false, username: 'vigil', password: SMTP_PASSWORD }),
    stop: () => r.stop(),
    arrange: {
      transient: () => {
        r.mode = { kind: 'smtp', code: 451 };
        return fail(true, 'SMTP server answered 451');
      },
      throttled: () => {
        r.mode = { kind: 'smtp', code: 421 };
        return fail(true, 'SMTP server answered 421');
      },
      permanent: () => {
        r.mode = { kind: 'smtp', code: 550 };
        return fail(false, 'SMTP server answered 550');
      },
      auth: () => {
        r.mode = { kind: 'auth-refused' };
        return fail(false, 'SMTP server answered 535');
      },
      hang: () => {
        r.mode = { kind: 'hang' };
        return fail(true, `no answer within ${HANG_TIMEOUT} ms`);
      },
    },
    accept: () => {
      r.mode = { kind: 'ok' };
    },
    deliveredIds: async () => r.mails.map((m) => /X-Vigil-Notification: (\S+)/.exec(m)?.[1] ?? ''),
    seen: () => r.mails.join('\n'),
    hanging: () => r.hung,
    secretUsed: () => expect(r.passwords).toContain(SMTP_PASSWORD),
    badConfigs: [
      [{ ...base, port: 0 }, 'port', 'must be an integer from 1 to 65535'],
      [{ ...base, secure: 'yes' }, 'secure', 'must be true or false'],
      [{ ...base, from: 'not-an-address' }, 'from', 'must be an email address'],
      [{ ...base, to: [] }, 'to', 'must list 1 to 50 addresses'],
      [{ ...base, to: ['ok@example.com', 'bad'] }, 'to[1]', 'must be an email address'],
      [{ ...base, password: SMTP_PASSWORD }, 'password', 'and username must be set together'],
      [{ ...base, host: '' }, 'host', 'must be a string of 1 to 253 characters'],
    ],
  };
}

function browserHarness(): Harness {
  const bus = new LiveBus();
  const r = new SseReceiver(bus);
  const name = 'kit-browser';
  let channel: NotificationChannel | undefined;
  return {
    type: 'browser',
    name,
    secret: null,
    bus,
    attach: (c) => {
      channel = c;
    },
    start: async () => {
      await r.start();
      return { name, type: 'browser', sound: true };
    },
    stop: () => r.stop(),
    arrange: {
      // The stream is in-process: it cannot answer 503 or hang; it can only be closed (shutdown).
      permanent: () => {
        if (channel instanceof BrowserChannel) channel.close();
        return { ok: false, retryable: false, error: `${name}: the live stream is closed` };
      },
    },
    accept: () => {},
    deliveredIds: async () => {
      await r.waitFor(1);
      return r.notifications().map((n) => String(n.id));
    },
    seen: () => r.text,
    hanging: () => 0,
    secretUsed: () => {},
    badConfigs: [
      [{ name, type: 'browser', sound: 'loud' }, 'sound', 'must be true or false'],
      [{ name, type: 'browser', volume: 3 }, 'volume', 'is not a known field'],
    ],
  };
}

/** Every channel adapter's harness; the kit loops over them. */
export const HARNESSES = [webhookHarness, emailHarness, browserHarness];
