/** A webhook destination: Vigil's JSON (with `version`) or the Alertmanager webhook format. */
export interface WebhookChannelConfig {
  name: string;
  type: 'webhook';
  url: string;
  /** HMAC-SHA256 key of the `x-vigil-signature` header (null: unsigned). */
  secret: string | null;
  format: 'vigil' | 'alertmanager';
}

/** An email destination over SMTP. */
export interface EmailChannelConfig {
  name: string;
  type: 'email';
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when offered. */
  secure: boolean;
  username: string | null;
  password: string | null;
  from: string;
  to: string[];
}

/** The dashboard: notifications on the live stream, which the browser turns into a notification and a sound. */
export interface BrowserChannelConfig {
  name: string;
  type: 'browser';
  sound: boolean;
}

/** Any channel's configuration. */
export type ChannelConfig = WebhookChannelConfig | EmailChannelConfig | BrowserChannelConfig;

/** A bad channel setting; `field` names it. */
export class ChannelInvalid extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field} ${message}`);
    this.name = 'ChannelInvalid';
  }
}

const EMAIL = /^[^\s@<>]{1,64}@[^\s@<>]{1,255}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(field: string, v: unknown, max: number): string {
  if (typeof v !== 'string' || v === '' || v.length > max)
    throw new ChannelInvalid(field, `must be a string of 1 to ${max} characters`);
  return v;
}

function optional(field: string, v: unknown, max: number): string | null {
  return v === undefined || v === null ? null : str(field, v, max);
}

function only(raw: Record<string, unknown>, keys: string[]): void {
  for (const k of Object.keys(raw)) if (!keys.includes(k)) throw new ChannelInvalid(k, 'is not a known field');
}

function webhook(raw: Record<string, unknown>, name: string): WebhookChannelConfig {
  only(raw, ['name', 'type', 'url', 'secret', 'format']);
  const url = str('url', raw.url, 2048);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ChannelInvalid('url', 'must be an absolute http(s) URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new ChannelInvalid('url', 'must use http or https');
  if (parsed.username !== '' || parsed.password !== '')
    throw new ChannelInvalid('url', 'must not hold credentials; use secret');
  const secret = optional('secret', raw.secret, 256);
  if (secret !== null && secret.length < 16) throw new ChannelInvalid('secret', 'must be at least 16 characters');
  const format = raw.format ?? 'vigil';
  if (format !== 'vigil' && format !== 'alertmanager')
    throw new ChannelInvalid('format', 'must be vigil or alertmanager');
  return { name, type: 'webhook', url, secret, format };
}

function email(raw: Record<string, unknown>, name: string): EmailChannelConfig {
  only(raw, ['name', 'type', 'host', 'port', 'secure', 'username', 'password', 'from', 'to']);
  const port = raw.port ?? 587;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ChannelInvalid('port', 'must be an integer from 1 to 65535');
  }
  if (raw.secure !== undefined && typeof raw.secure !== 'boolean')
    throw new ChannelInvalid('secure', 'must be true or false');
  const from = str('from', raw.from, 320);
  if (!EMAIL.test(from.replace(/^.*<(.+)>$/, '$1'))) throw new ChannelInvalid('from', 'must be an email address');
  if (!Array.isArray(raw.to) || raw.to.length === 0 || raw.to.length > 50)
    throw new ChannelInvalid('to', 'must list 1 to 50 addresses');
  const to = raw.to.map((t, i) => {
    const s = str(`to[${i}]`, t, 320);
    if (!EMAIL.test(s)) throw new ChannelInvalid(`to[${i}]`, 'must be an email address');
    return s;
  });
  const username = optional('username', raw.username, 256);
  const password = optional('password', raw.password, 256);
  if ((username === null) !== (password === null))
    throw new ChannelInvalid('password', 'and username must be set together');
  return {
    name,
    type: 'email',
    host: str('host', raw.host, 253),
    port,
    secure: raw.secure === true,
    username,
    password,
    from,
    to,
  };
}

/**
 * Checks a channel configuration when it is saved (API or config file), never at send time;
 * throws {@link ChannelInvalid} naming the field.
 *
 * @example
 * const c = validateChannel({ name: 'ops-hook', type: 'webhook', url: 'https://hooks.example.com/vigil', secret: 's3cret-s3cret-s3cret' });
 */
export function validateChannel(raw: unknown): ChannelConfig {
  if (!isObject(raw)) throw new ChannelInvalid('channel', 'must be a JSON object');
  const name = str('name', raw.name, 64);
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) throw new ChannelInvalid('name', 'must match [a-z0-9][a-z0-9._-]*');
  switch (raw.type) {
    case 'webhook':
      return webhook(raw, name);
    case 'email':
      return email(raw, name);
    case 'browser':
      only(raw, ['name', 'type', 'sound']);
      if (raw.sound !== undefined && typeof raw.sound !== 'boolean')
        throw new ChannelInvalid('sound', 'must be true or false');
      return { name, type: 'browser', sound: raw.sound !== false };
    default:
      throw new ChannelInvalid('type', 'must be webhook, email or browser');
  }
}

/**
 * A channel as the API shows it: secrets replaced by `"***"`.
 *
 * @example
 * redactChannel(c).secret; // '***'
 */
export function redactChannel(c: ChannelConfig): ChannelConfig {
  if (c.type === 'webhook') return { ...c, secret: c.secret === null ? null : '***' };
  if (c.type === 'email') return { ...c, password: c.password === null ? null : '***' };
  return c;
}
