import { describe, expect, it } from 'vitest';
import { LIMITS, VigilError, validateBatch } from '../src/index.js';

const NOW = 1_764_253_200_000;
const source = { service: 'portal-web', environment: 'production', platform: 'browser', sdk: 'test/1' };
const batch = (events: unknown[], extra: Record<string, unknown> = {}) => ({
  batchId: 'batch-0001',
  sentAt: NOW,
  source,
  events,
  ...extra,
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof VigilError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('validateBatch', () => {
  it('accepts one event of every type and keeps only the fields sent', () => {
    const events = [
      { type: 'action', ts: NOW, phase: 'auth', name: 'login', userId: 'user123', sessionId: 'sess-1a2b' },
      { type: 'timing', ts: NOW, phase: 'content', name: 'video_load', durationMs: 500 },
      { type: 'api', ts: NOW, route: '/api/courses/1', method: 'GET', status: 200, durationMs: 42.5 },
      { type: 'error', ts: NOW, kind: 'javascript', message: 'boom', stack: 'Error: boom\n at x (a.js:1:1)' },
      { type: 'vital', ts: NOW, name: 'LCP', value: 1800, page: '/courses/1' },
      { type: 'gauge', ts: NOW, name: 'memory.percent', value: 71.5, host: 'api-1' },
      { type: 'rating', ts: NOW, score: 5 },
      { type: 'session', ts: NOW, action: 'end', durationMs: 60000 },
    ];
    const out = validateBatch(batch(events), NOW);
    expect(out.rejected).toEqual([]);
    expect(out.events).toEqual(events);
    expect(out.batch).toEqual({ batchId: 'batch-0001', sentAt: NOW, source });
  });

  it('rejects bad events one by one and keeps their valid siblings', () => {
    const out = validateBatch(
      batch([
        { type: 'action', ts: NOW, phase: 'auth', name: 'login' },
        'not an object',
        { type: 'telemetry', ts: NOW },
        { type: 'timing', ts: NOW, phase: 'content', name: 'x' },
        { type: 'timing', ts: NOW, phase: 'content', name: 'x', durationMs: -1 },
        { type: 'action', ts: NOW, phase: 'auth', name: 'login', surprise: 1 },
        { type: 'action', ts: NOW + LIMITS.maxFutureSkewMillis + 1, phase: 'auth', name: 'login' },
        { type: 'action', ts: NOW, phase: 'Auth Phase', name: 'login' },
        { type: 'api', ts: NOW, route: '/x', method: 'GET', status: 200.5, durationMs: 1 },
        { type: 'rating', ts: NOW, score: 6 },
        { type: 'rating', ts: NOW, score: 4, sessionId: 'ada@example.com' },
      ]),
      NOW,
    );
    expect(out.events).toHaveLength(1);
    expect(out.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, 'VIGIL_ERR_EVENT_NOT_OBJECT'],
      [2, 'VIGIL_ERR_EVENT_UNKNOWN_TYPE'],
      [3, 'VIGIL_ERR_EVENT_MISSING_FIELD'],
      [4, 'VIGIL_ERR_EVENT_INVALID_FIELD'],
      [5, 'VIGIL_ERR_EVENT_UNKNOWN_FIELD'],
      [6, 'VIGIL_ERR_EVENT_TIMESTAMP'],
      [7, 'VIGIL_ERR_EVENT_INVALID_FIELD'],
      [8, 'VIGIL_ERR_EVENT_INVALID_FIELD'],
      [9, 'VIGIL_ERR_EVENT_INVALID_FIELD'],
      [10, 'VIGIL_ERR_EVENT_INVALID_FIELD'],
    ]);
    expect(out.rejected[4]?.message).toBe('unknown field surprise');
  });

  it('trims long strings instead of rejecting, without splitting a surrogate pair, and drops NULs', () => {
    const long = `${'a'.repeat(LIMITS.maxMessageLength - 1)}😀tail`;
    const out = validateBatch(
      batch([{ type: 'error', ts: NOW, kind: 'system', message: long, name: 'Bad\u0000Name' }]),
      NOW,
    );
    const e = out.events[0] as { message: string; name: string };
    expect(e.message).toBe('a'.repeat(LIMITS.maxMessageLength - 1));
    expect(e.name).toBe('BadName');
  });

  it('bounds attribute depth and count without recursing through a deep input', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    const many = Object.fromEntries(Array.from({ length: LIMITS.maxAttrCount + 1 }, (_, i) => [`k${i}`, i]));
    const out = validateBatch(
      batch([
        { type: 'action', ts: NOW, phase: 'ui', name: 'a', attrs: deep },
        { type: 'action', ts: NOW, phase: 'ui', name: 'b', attrs: many },
        { type: 'action', ts: NOW, phase: 'ui', name: 'c', attrs: { a: { b: { c: 1 } }, list: Array(100).fill(1) } },
      ]),
      NOW,
    );
    expect(out.rejected.map((r) => r.code)).toEqual(['VIGIL_ERR_EVENT_ATTRS', 'VIGIL_ERR_EVENT_ATTRS']);
    expect(out.events[0]).toEqual({
      type: 'action',
      ts: NOW,
      phase: 'ui',
      name: 'c',
      attrs: { a: { b: { c: 1 } }, list: Array(LIMITS.maxAttrArrayLength).fill(1) },
    });
  });

  it('fails the whole batch on envelope problems, with a detail naming the field', () => {
    expect(codeOf(() => validateBatch([], NOW))).toBe('VIGIL_ERR_INVALID_BATCH');
    expect(codeOf(() => validateBatch(batch([], { batchId: 'short' }), NOW))).toBe('VIGIL_ERR_INVALID_BATCH');
    expect(codeOf(() => validateBatch(batch([], { extra: true }), NOW))).toBe('VIGIL_ERR_INVALID_BATCH');
    expect(codeOf(() => validateBatch(batch([], { source: { ...source, platform: 'ios' } }), NOW))).toBe(
      'VIGIL_ERR_INVALID_BATCH',
    );
    expect(codeOf(() => validateBatch(batch({} as unknown[]), NOW))).toBe('VIGIL_ERR_INVALID_BATCH');
    const tooMany = Array.from({ length: LIMITS.maxEventsPerBatch + 1 }, () => ({}));
    expect(codeOf(() => validateBatch(batch(tooMany), NOW))).toBe('VIGIL_ERR_BATCH_TOO_LARGE');
    expect(() =>
      validateBatch(batch([], { source: { service: 'x', environment: 'p', platform: 'node' } }), NOW),
    ).toThrow('source.sdk is required');
  });
});
