import type { VigilEvent } from '@vigil/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { estimateBytes } from '../src/core/estimate.js';
import { close, type Diagnostic, getStats, init, recordUserAction } from '../src/index.js';

const EVENTS: VigilEvent[] = [
  { type: 'api', ts: 1_700_000_000_000, route: '/api/courses/:id', method: 'GET', status: 200, durationMs: 150 },
  {
    type: 'action',
    ts: 1_700_000_000_000,
    sessionId: 's-0123456789',
    phase: 'content',
    name: 'video_start',
    userId: 'user-42',
    attrs: { courseId: 'c-17', videoId: 'v-3', position: 12.5, muted: false, tags: ['intro', 'free'], nested: null },
  },
  {
    type: 'error',
    ts: 1_700_000_000_000,
    kind: 'api',
    message: 'Server Error',
    stack: 'Error: Server Error\n    at load (app.js:1:2)',
    context: { endpoint: '/api/courses', status: 500, deep: { a: { b: { c: { d: 'four levels down' } } } } },
  },
];

afterEach(() => close());

describe('estimateBytes', () => {
  it.each(EVENTS.map((e) => [e.type, e] as const))('never underestimates an ASCII %s event', (_type, e) => {
    expect(estimateBytes(e)).toBeGreaterThanOrEqual(JSON.stringify(e).length);
  });

  it('refuses circular attributes at record time, reporting instead of throwing or queueing', () => {
    const diags: Diagnostic[] = [];
    init({
      endpoint: 'http://127.0.0.1:9',
      key: 'k',
      service: 's',
      request: () => new Promise(() => {}),
      onDiagnostic: (d) => diags.push(d),
    });
    const meta: Record<string, unknown> = { a: { b: { c: {} } } };
    ((meta.a as { b: { c: Record<string, unknown> } }).b.c as Record<string, unknown>).loop = meta;
    expect(() => recordUserAction('video_start', 'u1', meta as never)).not.toThrow();
    expect(getStats().queued).toBe(0);
    expect(diags.map((d) => d.type === 'error' && d.where)).toEqual(['recordAction']);
  });
});
