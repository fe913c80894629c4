import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { LiveBus } from '../../src/notify/live-bus.js';

/** How a kit receiver answers the next deliveries. */
export type ReceiverMode =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'smtp'; code: number }
  | { kind: 'auth-refused' }
  | { kind: 'hang' };

/** A real HTTP receiver (node:http) that records raw requests and answers as told. */
export class HttpReceiver {
  mode: ReceiverMode = { kind: 'ok' };
  readonly requests: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
  /** Requests held open by `hang` (still unanswered). */
  readonly hung: http.ServerResponse[] = [];
  readonly server = http.createServer((req, res) => {
    // Counted on arrival: the channel's deadline may cut the request before its body ends.
    if (this.mode.kind === 'hang') {
      this.hung.push(res);
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const m = this.mode;
      if (m.kind === 'status')
        res.writeHead(m.status, m.retryAfter === undefined ? {} : { 'retry-after': m.retryAfter }).end();
      else res.writeHead(200).end('ok');
    });
  });

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  async stop(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server.closeAllConnections();
    this.server.close();
  }
}

/** A real SMTP receiver (smtp-server) with one account, answering RCPT and AUTH as told, or never greeting. */
export class SmtpKitReceiver {
  mode: ReceiverMode = { kind: 'ok' };
  /** Full DATA of accepted mails. */
  readonly mails: string[] = [];
  /** Passwords offered at AUTH (proves the channel authenticated). */
  readonly passwords: string[] = [];
  /** Connections left without a greeting by `hang`. */
  hung = 0;
  readonly server: SMTPServer;

  constructor(
    readonly username: string,
    readonly password: string,
  ) {
    this.server = new SMTPServer({
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 50,
      // A hanging server: the connection is accepted and the greeting never comes.
      onConnect: (_session, callback) => {
        if (this.mode.kind === 'hang') {
          this.hung++;
          return;
        }
        callback();
      },
      onAuth: (auth, _session, callback) => {
        this.passwords.push(String(auth.password));
        if (this.mode.kind === 'auth-refused' || auth.username !== this.username || auth.password !== this.password) {
          callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
          return;
        }
        callback(null, { user: auth.username });
      },
      onRcptTo: (_address, _session, callback) => {
        const m = this.mode;
        if (m.kind === 'smtp') callback(Object.assign(new Error(`refused with ${m.code}`), { responseCode: m.code }));
        else callback();
      },
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.mails.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
    });
  }

  async start(): Promise<number> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server.server, 'listening');
    return (this.server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/**
 * The browser channel's receiver: a real node:http Server-Sent Events endpoint fed by the live
 * bus (as `GET /api/v1/stream` is), and a real HTTP client reading it.
 */
export class SseReceiver {
  /** Raw stream text the client received. */
  text = '';
  readonly #waiters: Array<() => void> = [];
  #request: http.ClientRequest | undefined;
  readonly server: http.Server;

  constructor(bus: LiveBus) {
    this.server = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': connected\n\n');
      const off = bus.subscribe((e) => res.write(`event: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`));
      req.on('close', () => off?.());
    });
  }

  async start(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as AddressInfo;
    await new Promise<void>((resolve) => {
      this.#request = http.get({ host: '127.0.0.1', port, path: '/stream' }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          this.text += chunk;
          for (const w of this.#waiters.splice(0)) w();
          if (this.text.startsWith(': connected')) resolve();
        });
      });
      this.#request.on('error', () => {});
    });
  }

  /** Parsed `notification` events. */
  notifications(): Array<Record<string, unknown>> {
    return [...this.text.matchAll(/event: notification\ndata: (.*)\n\n/g)].map(
      (m) => JSON.parse(m[1] as string) as Record<string, unknown>,
    );
  }

  async waitFor(n: number): Promise<void> {
    while (this.notifications().length < n) await new Promise<void>((r) => this.#waiters.push(r));
  }

  async stop(): Promise<void> {
    this.#request?.destroy();
    this.server.closeAllConnections();
    this.server.close();
  }
}
