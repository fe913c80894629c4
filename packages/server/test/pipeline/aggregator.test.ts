import type { BatchSource, VigilEvent } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { Aggregator, OVERFLOW_NAME } from '../../src/pipeline/aggregator.js';
import { HyperLogLog } from '../../src/pipeline/hll.js';

const source: BatchSource = { service: 'portal-web', environment: 'production', platform: 'browser', sdk: 't' };
const T = 1_764_253_200_000; // a minute boundary
let seq = 0;
const row = (events: VigilEvent[], project = 'p') => ({
  seq: ++seq,
  project,
  receivedAt: T,
  payload: JSON.stringify({ source, events }),
});

describe('Aggregator', () => {
  it('puts every event in exactly one series per minute, with count, sum, min and max', () => {
    const agg = new Aggregator({ maxNamesPerMetric: 100 });
    agg.add(
      row([
        { type: 'api', ts: T + 1, route: '/api/courses/:id', method: 'GET', status: 200, durationMs: 40 },
        { type: 'api', ts: T + 2, route: '/api/courses/:id', method: 'GET', status: 204, durationMs: 60 },
        { type: 'api', ts: T + 3, route: '/api/courses/:id', method: 'GET', status: 0, durationMs: 5000 },
        { type: 'action', ts: T + 4, phase: 'auth', name: 'login', userId: 'u1', sessionId: 's-1111' },
        { type: 'vital', ts: T + 60_001, name: 'LCP', value: 2400, page: '/courses/:id' },
        { type: 'session', ts: T + 5, action: 'end', durationMs: 600_000, sessionId: 's-2222' },
      ]),
    );
    expect(agg.events).toBe(6);
    const commit = agg.take();
    expect(commit.seqs).toEqual([seq]);
    const summary = commit.rollups.map((r) => [
      r.bucket - T,
      r.key.metric,
      r.key.phase,
      r.key.name,
      r.key.method,
      r.key.statusClass,
      r.count,
      r.sum,
      r.min,
      r.max,
      r.sketch === null,
    ]);
    expect(summary).toEqual([
      [0, 'api', 'api', '/api/courses/:id', 'GET', '2xx', 2, 100, 40, 60, false],
      [0, 'api', 'api', '/api/courses/:id', 'GET', 'net', 1, 5000, 5000, 5000, false],
      [0, 'action', 'auth', 'login', '', '', 1, 1, 1, 1, true],
      [60_000, 'vital', '/courses/:id', 'LCP', '', '', 1, 2400, 2400, 2400, false],
      [0, 'session', '', 'end', '', '', 1, 600_000, 600_000, 600_000, false],
    ]);
    expect(commit.sessions).toHaveLength(1);
    expect(HyperLogLog.decode(commit.sessions[0]!.sessions).estimate()).toBe(2);
    expect(HyperLogLog.decode(commit.sessions[0]!.users).estimate()).toBe(1);
    // take() starts empty.
    expect(agg.take()).toEqual({ seqs: [], rollups: [], errors: [], sessions: [] });
  });

  it('caps distinct names per metric and sends new ones to the overflow series, across steps', () => {
    const agg = new Aggregator({ maxNamesPerMetric: 2 });
    const timing = (name: string) => ({ type: 'timing' as const, ts: T, phase: 'content', name, durationMs: 10 });
    agg.add(row([timing('a'), timing('b'), timing('c'), timing('d')]));
    expect(agg.take().rollups.map((r) => [r.key.name, r.count])).toEqual([
      ['a', 1],
      ['b', 1],
      [OVERFLOW_NAME, 2],
    ]);
    agg.add(row([timing('b'), timing('e')]));
    expect(agg.take().rollups.map((r) => [r.key.name, r.count])).toEqual([
      ['b', 1],
      [OVERFLOW_NAME, 1],
    ]);
    // Other metrics and projects have their own budget.
    agg.add(row([timing('z')], 'other'));
    expect(agg.take().rollups.map((r) => r.key.name)).toEqual(['z']);
  });

  it('groups errors by fingerprint with per-minute counts and at most five samples per step', () => {
    const agg = new Aggregator({ maxNamesPerMetric: 100 });
    const err = (i: number): VigilEvent => ({
      type: 'error',
      ts: T + i * 20_000,
      kind: 'api',
      message: `timeout after ${i} ms`,
      userId: `u_${i}`,
    });
    agg.add(row(Array.from({ length: 7 }, (_, i) => err(i))));
    const { errors } = agg.take();
    expect(errors).toHaveLength(1);
    const g = errors[0]!;
    expect([g.kind, g.message, g.firstSeen - T, g.lastSeen - T]).toEqual(['api', 'timeout after <n> ms', 0, 120_000]);
    expect([...g.perMinute.entries()].map(([b, n]) => [b - T, n])).toEqual([
      [0, 3],
      [60_000, 3],
      [120_000, 1],
    ]);
    expect(g.samples.map((s) => s.message)).toEqual([
      'timeout after 2 ms',
      'timeout after 3 ms',
      'timeout after 4 ms',
      'timeout after 5 ms',
      'timeout after 6 ms',
    ]);
  });
});
