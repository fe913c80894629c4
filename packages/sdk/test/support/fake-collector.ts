import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { type Batch, type VigilEvent, validateBatch } from '@vigil/schema';

/** One request the fake collector saw. */
export interface SeenRequest {
  at: number;
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  batch?: Batch;
}

/** How the fake answers one request; the default is a 202 that stores the batch. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * A real HTTP server that speaks the ingest protocol: it validates each batch with
 * `validateBatch`, stores each batchId once (a replay answers `duplicate: true`), and lets a
 * test script the answers (429 with Retry-After, 503, 400…).
 */
export class FakeCollector {
  readonly requests: SeenRequest[] = [];
  /** Batches stored, each batchId once. */
  readonly stored = new Map<string, Batch>();
  /** Events the validator rejected, across all batches (a correct SDK makes this 0). */
  rejected = 0;
  /** Decides the answer for the n-th (0-based) POST; `undefined` means store and answer 202. */
  answer: (req: SeenRequest, n: number) => Answer | undefined = () => undefined;
  /** Answers for GET paths. */
  gets = new Map<string, Answer>();
  private server: Server | undefined;
  private posts = 0;

  get url(): string {
    const port = (this.server!.address() as AddressInfo).port;
    return `http://127.0.0.1:${port}`;
  }

  /** Events stored, in arrival order. */
  get events(): VigilEvent[] {
    return [...this.stored.values()].flatMap((b) => b.events);
  }

  /** Listens on `port` (0: any free port). */
  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const seen: SeenRequest = {
          at: Date.now(),
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
        };
        this.requests.push(seen);
        if (req.method === 'GET') {
          const a = this.gets.get((req.url ?? '').split('?')[0] as string) ?? { status: 404, body: notFound() };
          return send(res, a);
        }
        const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
        seen.batch = JSON.parse(text) as Batch;
        const scripted = this.answer(seen, this.posts++);
        if (scripted !== undefined) return send(res, scripted);
        const { batch, events, rejected } = validateBatch(seen.batch, Date.now());
        this.rejected += rejected.length;
        const duplicate = this.stored.has(batch.batchId);
        if (!duplicate) this.stored.set(batch.batchId, { ...batch, events });
        send(res, { status: 202, body: { accepted: events.length, rejected, ...(duplicate ? { duplicate } : {}) } });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

function notFound(): unknown {
  return { error: { code: 'VIGIL_ERR_NOT_FOUND', message: 'No such resource.' } };
}

function send(res: import('node:http').ServerResponse, a: Answer): void {
  res.writeHead(a.status, { 'content-type': 'application/json', 'access-control-allow-origin': '*', ...a.headers });
  res.end(a.body === undefined ? '' : JSON.stringify(a.body));
}

/** Waits until `check` is true, polling every 10 ms, failing after `timeoutMillis`. */
export async function until(check: () => boolean, timeoutMillis = 10_000): Promise<void> {
  const end = Date.now() + timeoutMillis;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
