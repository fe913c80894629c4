import nodemailer from 'nodemailer';
import type { EmailChannelConfig } from './channel-config.js';
import { renderEmail } from './email-render.js';
import type { Notification, NotificationChannel, SendResult } from './notification.js';

/** Network failures worth another try later. */
const TRANSIENT = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPROTOCOL']);

/**
 * Email channel over SMTP (nodemailer): readable text and HTML bodies (`email-render.ts`), the
 * notification id as `Message-ID` base so a resend can be recognised. 4xx SMTP replies and
 * network errors are retryable; 5xx replies (bad recipient, refused auth) are not. Errors name
 * the SMTP code only, never the credentials.
 *
 * @example
 * const mail = new EmailChannel(config);
 * await mail.send(notification, { timeoutMillis: 10_000 });
 */
export class EmailChannel implements NotificationChannel {
  readonly type = 'email';
  readonly name: string;

  constructor(private readonly config: EmailChannelConfig) {
    this.name = config.name;
  }

  async send(n: Notification, options: { timeoutMillis: number }): Promise<SendResult> {
    const c = this.config;
    const transport = nodemailer.createTransport({
      host: c.host,
      port: c.port,
      secure: c.secure,
      ...(c.username !== null ? { auth: { user: c.username, pass: c.password ?? '' } } : {}),
      // The race below is the attempt's deadline; nodemailer's own timers only back it up, so a
      // hang always ends the same way ("no answer within …") whichever phase it hung in.
      connectionTimeout: options.timeoutMillis * 2,
      greetingTimeout: options.timeoutMillis * 2,
      socketTimeout: options.timeoutMillis * 2,
      // Local relays (the tests' receiver, a sidecar) rarely have a certificate for their name.
      tls: { rejectUnauthorized: false },
    });
    const { subject, text, html } = n.report
      ? { subject: n.report.subject, text: n.report.text, html: undefined }
      : renderEmail(n);
    const timeout = new Promise<SendResult>((resolve) => {
      const t = setTimeout(
        () => resolve(this.fail(true, `no answer within ${options.timeoutMillis} ms`)),
        options.timeoutMillis,
      );
      t.unref();
    });
    const attempt = transport
      .sendMail({
        from: c.from,
        to: n.report && n.report.recipients.length > 0 ? n.report.recipients : c.to,
        subject,
        text,
        ...(html === undefined ? {} : { html }),
        ...(n.report
          ? {
              attachments: [
                {
                  filename: n.report.fileName,
                  contentType: n.report.contentType,
                  content: Buffer.from(n.report.contentBase64, 'base64'),
                },
              ],
            }
          : {}),
        headers: { 'X-Vigil-Notification': n.id },
      })
      .then((): SendResult => ({ ok: true }))
      .catch((e: unknown) => this.classify(e));
    try {
      return await Promise.race([attempt, timeout]);
    } finally {
      transport.close();
    }
  }

  private classify(e: unknown): SendResult {
    const err = e as { code?: string; responseCode?: number };
    if (typeof err.responseCode === 'number') {
      return this.fail(err.responseCode < 500, `SMTP server answered ${err.responseCode}`);
    }
    const code = err.code ?? 'ERROR';
    if (code === 'EAUTH') return this.fail(false, 'SMTP authentication failed');
    return this.fail(TRANSIENT.has(code), `SMTP error ${code}`);
  }

  private fail(retryable: boolean, error: string): SendResult {
    return { ok: false, retryable, error: `${this.name}: ${error}` };
  }
}
