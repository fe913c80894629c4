import { randomBytes } from 'node:crypto';
import { VigilError, validateBatch } from '@vigil/schema';
import type { JournalWriter } from '../ingest/journal-writer.js';
import type { Scrubber } from '../ingest/scrubber.js';

/** One gauge reading to record. */
export interface GaugeReading {
  name: string;
  value: number;
  unit: string;
}

/** What the recorder needs; built once in `buildApp`. */
export interface GaugeRecorderDeps {
  writer: JournalWriter;
  scrubber: Scrubber;
  /** The project the server's own gauges belong to (the default project). */
  project: string;
  environment: string;
  /** The `host` field of every gauge. */
  host: string;
  now: () => number;
}

/** SDK name written in `source.sdk` of the server's own batches. */
export const SERVER_SDK = 'vigil-server/1';

/**
 * Records the server's own gauges (host sampler, service checks) through the same durable path
 * as ingested data: a wire-protocol batch, validated and scrubbed like any other, appended to
 * the journal by the collector's `JournalWriter`. So they land in the same rollups, rules and
 * dashboards as SDK gauges, and they survive a crash once `record` resolves.
 *
 * @example
 * await recorder.record('vigil', [{ name: 'cpu.percent', value: 12.5, unit: '%' }]);
 */
export class GaugeRecorder {
  constructor(private readonly deps: GaugeRecorderDeps) {}

  /** Appends one batch of gauges of `service`; throws a coded error when the journal refuses it. */
  async record(service: string, readings: GaugeReading[]): Promise<void> {
    if (readings.length === 0) return;
    const { deps } = this;
    const ts = deps.now();
    const raw = {
      batchId: `vigil-${randomBytes(12).toString('hex')}`,
      sentAt: ts,
      source: { service, environment: deps.environment, platform: 'node', sdk: SERVER_SDK },
      events: readings.map((r) => ({
        type: 'gauge',
        ts,
        name: r.name,
        value: Math.round(r.value * 1000) / 1000,
        unit: r.unit,
        host: deps.host,
      })),
    };
    const { batch, events, rejected } = validateBatch(raw, ts);
    if (rejected.length > 0) {
      // A bug in the caller (a bad gauge name), not a client error: say which one.
      const first = rejected[0];
      throw new VigilError('VIGIL_ERR_INTERNAL', `gauge ${first?.index} rejected: ${first?.message}`);
    }
    for (const e of events) deps.scrubber.scrubEvent(e);
    await deps.writer.append({
      project: deps.project,
      batchId: batch.batchId,
      receivedAt: ts,
      answer: { accepted: events.length, rejected: [] },
      payload: JSON.stringify({ source: batch.source, events }),
      eventCount: events.length,
    });
  }
}
