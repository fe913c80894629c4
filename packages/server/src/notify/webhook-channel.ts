import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { WebhookChannelConfig } from './channel-config.js';
import type { Notification, NotificationChannel, SendResult } from './notification.js';
import { resolveTarget, TargetRefused } from './target-guard.js';
import { alertmanagerPayload } from './webhook-payload.js';

/** Redirects followed, each target checked again. */
const MAX_REDIRECTS = 3;
/** Longest Retry-After honoured; longer waits fall back to the backoff cap. */
const MAX_RETRY_AFTER_MILLIS = 3_600_000;

/**
 * Milliseconds of a `Retry-After` header (seconds or an HTTP date), or undefined.
 *
 * @example
 * retryAfterMillis('30', Date.now()); // 30_000
 */
export function retryAfterMillis(header: string | undefined, now: number): number | undefined {
  if (header === undefined) return undefined;
  const ms = /^\d+$/.test(header.trim()) ? Number(header) * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) && ms >= 0 ? Math.min(ms, MAX_RETRY_AFTER_MILLIS) : undefined;
}

interface Answer {
  status: number;
  location: string | undefined;
  retryAfter: string | undefined;
}

/**
 * Webhook channel: POSTs the notification as JSON (`version` 1, or the Alertmanager format),
 * signed with `x-vigil-signature: t=<unix ms>,v1=<hex HMAC-SHA256 of "t.body">` when a secret is
 * set, and `idempotency-key` set to the notification id. Private, loopback and metadata targets
 * are refused after DNS resolution and on every redirect unless `allowPrivateTargets`. 2xx is
 * delivered; 408, 425, 429 and 5xx (and network errors, timeouts) are retryable; other answers are not.
 *
 * @example
 * const hook = new WebhookChannel(config, { allowPrivateTargets: false });
 * await hook.send(notification, { timeoutMillis: 10_000 });
 */
export class WebhookChannel implements NotificationChannel {
  readonly type = 'webhook';
  readonly name: string;

  constructor(
    private readonly config: WebhookChannelConfig,
    private readonly options: { allowPrivateTargets: boolean },
  ) {
    this.name = config.name;
  }

  /** The request body for a notification. */
  body(n: Notification): string {
    return JSON.stringify(this.config.format === 'alertmanager' ? alertmanagerPayload(n, this.name) : n);
  }

  async send(n: Notification, options: { timeoutMillis: number }): Promise<SendResult> {
    const body = this.body(n);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'vigil-alerting/1',
      'idempotency-key': n.id,
    };
    if (this.config.secret !== null) {
      const t = Date.now();
      const mac = createHmac('sha256', this.config.secret).update(`${t}.${body}`).digest('hex');
      headers['x-vigil-signature'] = `t=${t},v1=${mac}`;
    }
    const deadline = Date.now() + options.timeoutMillis;
    let url = new URL(this.config.url);
    try {
      for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
        const answer = await this.post(url, headers, body, Math.max(1, deadline - Date.now()));
        if (answer.status >= 300 && answer.status < 400 && answer.location !== undefined) {
          url = new URL(answer.location, url);
          if (url.protocol !== 'http:' && url.protocol !== 'https:')
            return this.fail(false, 'redirect to a non-http URL');
          continue;
        }
        return this.judge(answer);
      }
      return this.fail(false, `more than ${MAX_REDIRECTS} redirects`);
    } catch (e) {
      if (e instanceof TargetRefused) return this.fail(false, e.message);
      const code = (e as NodeJS.ErrnoException).code ?? 'ERROR';
      return this.fail(
        true,
        code === 'ETIMEDOUT' ? `no answer within ${options.timeoutMillis} ms` : `network error ${code}`,
      );
    }
  }

  private judge(a: Answer): SendResult {
    if (a.status >= 200 && a.status < 300) return { ok: true };
    const retryable = a.status === 408 || a.status === 425 || a.status === 429 || a.status >= 500;
    const result: SendResult = { ok: false, retryable, error: `${this.name} answered HTTP ${a.status}` };
    const wait = retryAfterMillis(a.retryAfter, Date.now());
    return wait === undefined ? result : { ...result, retryAfterMillis: wait };
  }

  private fail(retryable: boolean, error: string): SendResult {
    return { ok: false, retryable, error: `${this.name}: ${error}` };
  }

  private async post(url: URL, headers: Record<string, string>, body: string, timeoutMillis: number): Promise<Answer> {
    const target = await resolveTarget(url.hostname, this.options.allowPrivateTargets);
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<Answer>((resolve, reject) => {
      const req = client.request(
        url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          // Connect to the address the guard checked, not a second resolution.
          lookup: ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) =>
            opts.all
              ? cb(null, [{ address: target.address, family: target.family }])
              : cb(null, target.address, target.family)) as unknown as http.RequestOptions['lookup'],
          timeout: timeoutMillis,
          agent: false,
        },
        (res) => {
          res.resume();
          const answer = {
            status: res.statusCode ?? 0,
            location: res.headers.location,
            retryAfter: res.headers['retry-after'],
          };
          res.on('end', () => resolve(answer));
          res.on('error', () => resolve(answer));
        },
      );
      const timer = setTimeout(
        () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
        timeoutMillis,
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.on('close', () => clearTimeout(timer));
      req.end(body);
    });
  }
}
