import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JournalWriter } from '../../src/ingest/journal-writer.js';
import type { JournalEntry, Store } from '../../src/store/store.js';
import { loadAdapters, type OpenedStore } from '../store/store-adapters.js';

const entry = (batchId: string): JournalEntry => ({
  project: 'p',
  batchId,
  receivedAt: 1,
  answer: { accepted: 1, rejected: [] },
  payload: '{"source":{},"events":[]}',
  eventCount: 1,
});

for (const adapter of await loadAdapters()) {
  describe.skipIf(adapter.skipReason !== null)(`JournalWriter on ${adapter.name}`, () => {
    let opened: OpenedStore;
    let calls: number[];
    let store: Store;
    beforeAll(async () => {
      opened = await adapter.open(() => 1);
      calls = [];
      // Count the store's transactions without changing what they do.
      store = new Proxy(opened.store, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver);
          if (prop === 'appendBatches') {
            return (entries: JournalEntry[]) => {
              calls.push(entries.length);
              return (value as Store['appendBatches']).call(target, entries);
            };
          }
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    });
    afterAll(async () => opened.dispose());

    it('commits concurrent appends in a few group transactions and answers each after its commit', async () => {
      const writer = new JournalWriter(store, 100, 1000);
      const outcomes = await Promise.all(
        Array.from({ length: 250 }, (_, i) => writer.append(entry(`group-${i}-xxxxxx`))),
      );
      expect(outcomes.every((o) => o.duplicate === false)).toBe(true);
      expect(calls.reduce((a, b) => a + b, 0)).toBe(250);
      expect(calls.every((n) => n <= 100)).toBe(true);
      expect(calls.length).toBeLessThanOrEqual(adapter.concurrentWriters ? 6 : 3);
      expect((await opened.store.journalBacklog()).rows).toBe(250);
    });

    it('answers a duplicate with the first answer', async () => {
      const writer = new JournalWriter(store, 100, 1000);
      const [a, b] = await Promise.all([writer.append(entry('dup-batch-1')), writer.append(entry('dup-batch-1'))]);
      expect([a, b]).toEqual([{ duplicate: false }, { duplicate: true, answer: { accepted: 1, rejected: [] } }]);
    });

    it('refuses with a coded 503 once too many batches wait', async () => {
      const writer = new JournalWriter(store, 1, 3);
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, (_, i) => writer.append(entry(`over-${i}-xxxxxx`))),
      );
      const codes = results.map((r) => (r.status === 'fulfilled' ? 'stored' : (r.reason as { code: string }).code));
      expect(codes).toEqual(['stored', 'stored', 'stored', 'VIGIL_ERR_OVERLOADED', 'VIGIL_ERR_OVERLOADED']);
    });
  });
}
