import { type IngestAnswer, templateRoute, VigilError, type VigilEvent, validateBatch } from '@vigil/schema';
import type { SelfMetrics } from '../metrics/self-metrics.js';
import { decodeBody } from './decode-body.js';
import type { JournalWriter } from './journal-writer.js';
import { type KeyRing, originAllowed } from './key-ring.js';
import type { RateLimiter } from './rate-limiter.js';
import type { Scrubber } from './scrubber.js';

/** One ingest request, already separated from HTTP. */
export interface IngestRequest {
  body: Buffer;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  /** From `Authorization: Bearer` or the `key` query parameter. */
  key: string | undefined;
  origin: string | undefined;
}

/** What the collector needs; all of it is built once in `buildApp`. */
export interface CollectorDeps {
  keyRing: KeyRing;
  writer: JournalWriter;
  scrubber: Scrubber;
  rateLimiter: RateLimiter;
  metrics: SelfMetrics;
  /** Journal rows waiting for the pipeline (kept fresh by the pipeline). */
  backlogRows: () => number;
  maxBacklogRows: number;
  now: () => number;
}

/**
 * The ingest side: authenticate → decode → validate → scrub → journal (durable) → answer.
 * The answer is given only after the batch is committed; a replayed `batchId` gets the answer
 * it got the first time and is not stored again.
 *
 * @example
 * const answer = await collector.ingest({ body, contentType: 'application/json', contentEncoding: undefined, key, origin: undefined });
 */
export class Collector {
  constructor(private readonly deps: CollectorDeps) {}

  async ingest(req: IngestRequest): Promise<IngestAnswer> {
    const { deps } = this;
    if (!req.key) throw new VigilError('VIGIL_ERR_MISSING_KEY');
    const grant = await deps.keyRing.lookup(req.key);
    if (grant === null) throw new VigilError('VIGIL_ERR_INVALID_KEY');
    if (!originAllowed(grant, req.origin)) throw new VigilError('VIGIL_ERR_ORIGIN_NOT_ALLOWED');
    if (deps.backlogRows() > deps.maxBacklogRows) {
      throw new VigilError('VIGIL_ERR_OVERLOADED', 'the pipeline is behind', { retryAfterSeconds: 5 });
    }
    const json = await decodeBody(req.body, req.contentType, req.contentEncoding);
    const now = deps.now();
    const { batch, events, rejected } = validateBatch(json, now);
    if (batch.project !== undefined && batch.project !== grant.project) {
      throw new VigilError('VIGIL_ERR_KEY_SCOPE', 'the ingest key belongs to another project');
    }
    if (grant.environment !== null && batch.source.environment !== grant.environment) {
      throw new VigilError('VIGIL_ERR_KEY_SCOPE', `the ingest key only accepts environment ${grant.environment}`);
    }
    const wait = deps.rateLimiter.take(grant.project, Math.max(1, events.length), now);
    if (wait > 0) throw new VigilError('VIGIL_ERR_RATE_LIMITED', undefined, { retryAfterSeconds: wait });
    for (const e of events) this.#normalise(e);
    const answer: IngestAnswer = { accepted: events.length, rejected };
    const outcome = await deps.writer.append({
      project: grant.project,
      batchId: batch.batchId,
      receivedAt: now,
      answer,
      payload: JSON.stringify({ source: batch.source, events }),
      eventCount: events.length,
    });
    if (outcome.duplicate) return { ...outcome.answer, duplicate: true };
    deps.metrics.acceptedEvents.inc(events.length);
    for (const r of rejected) deps.metrics.rejectedEvents.inc(1, r.code);
    return answer;
  }

  /** Templates routes and pages (dropping query strings, which often carry tokens) and scrubs PII. */
  #normalise(e: VigilEvent): void {
    if (e.type === 'api') e.route = templateRoute(e.route);
    else if (e.type === 'vital' && e.page !== undefined) e.page = templateRoute(e.page);
    this.deps.scrubber.scrubEvent(e);
  }
}
