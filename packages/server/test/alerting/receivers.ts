import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A real local webhook receiver (node:http) that records JSON bodies and can answer 503 or hang. */
export class WebhookReceiver {
  readonly bodies: Array<Record<string, unknown>> = [];
  readonly headers: http.IncomingHttpHeaders[] = [];
  /** Answer this status to the next `failures` requests. */
  failures = 0;
  failStatus = 503;
  hang = false;
  readonly #waiters: Array<() => void> = [];
  readonly #hung: http.ServerResponse[] = [];
  readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (this.hang) {
        this.#hung.push(res);
        return;
      }
      if (this.failures > 0) {
        this.failures--;
        res.writeHead(this.failStatus, { 'retry-after': '2' }).end();
        return;
      }
      this.bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      this.headers.push(req.headers);
      res.writeHead(200).end('ok');
      for (const w of this.#waiters.splice(0)) w();
    });
  });

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Resolves once `n` bodies were received. */
  async waitFor(n: number): Promise<void> {
    while (this.bodies.length < n) await new Promise<void>((r) => this.#waiters.push(r));
  }

  /** Ids of received notifications, with repeats. */
  ids(): string[] {
    return this.bodies.map((b) => String(b.id));
  }

  async stop(): Promise<void> {
    for (const res of this.#hung) res.destroy();
    this.server.closeAllConnections();
    this.server.close();
  }
}

/** One mail the SMTP receiver accepted. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP receiver (smtp-server) on a random local port. */
export class SmtpReceiver {
  readonly mails: ReceivedMail[] = [];
  readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        this.mails.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });

  async start(): Promise<number> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server.server, 'listening');
    return (this.server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
