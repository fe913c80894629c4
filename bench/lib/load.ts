import http from 'node:http';

/** One request's outcome. */
export interface Sample {
  status: number;
  millis: number;
  events: number;
  body: string;
}

/** Result of a closed-loop load run. */
export interface LoadResult {
  seconds: number;
  requests: number;
  acceptedEvents: number;
  statuses: Record<number, number>;
  latencies: number[];
  errors: number;
}

/**
 * Closed-loop load: `connections` keep-alive connections, each sending the next body as soon as
 * the previous answer arrived, for `seconds`. `nextBody()` must return a fresh body (unique
 * batchId) and its event count. A 202 counts its events as accepted.
 */
export async function closedLoop(opts: {
  url: string;
  path: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  nextBody: () => { body: Buffer; events: number };
  onAnswer?: (sample: Sample, body: Buffer) => void;
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const target = new URL(opts.path, opts.url);
  const result: LoadResult = {
    seconds: opts.seconds,
    requests: 0,
    acceptedEvents: 0,
    statuses: {},
    latencies: [],
    errors: 0,
  };
  const deadline = performance.now() + opts.seconds * 1000;
  const one = (body: Buffer, events: number) =>
    new Promise<Sample>((resolve) => {
      const started = performance.now();
      const req = http.request(
        target,
        { method: 'POST', agent, headers: { ...opts.headers, 'content-length': String(body.length) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              millis: performance.now() - started,
              events,
              body: Buffer.concat(chunks).toString(),
            }),
          );
        },
      );
      req.on('error', () => resolve({ status: 0, millis: performance.now() - started, events, body: '' }));
      req.end(body);
    });
  const worker = async () => {
    while (performance.now() < deadline) {
      const { body, events } = opts.nextBody();
      const s = await one(body, events);
      result.requests++;
      result.statuses[s.status] = (result.statuses[s.status] ?? 0) + 1;
      result.latencies.push(s.millis);
      if (s.status === 202) result.acceptedEvents += (JSON.parse(s.body) as { accepted: number }).accepted;
      else if (s.status === 0) result.errors++;
      opts.onAnswer?.(s, body);
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, worker));
  agent.destroy();
  return result;
}

/** The q-quantile of a list of numbers (nearest rank). */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}
