import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExportRecord } from '../../src/store/sql-exports.js';
import type { Store } from '../../src/store/store.js';
import { loadAdapters, type OpenedStore } from './store-adapters.js';

const ADAPTERS = await loadAdapters();
const T0 = 1_780_000_000_000;
const MIN = 60_000;

for (const adapter of ADAPTERS) {
  describe.skipIf(adapter.skipReason !== null)(
    `export pages: ${adapter.name}${adapter.skipReason ? ` (skipped: ${adapter.skipReason})` : ''}`,
    () => {
      let opened: OpenedStore;
      let store: Store;

      beforeEach(async () => {
        opened = await adapter.open(() => T0);
        store = opened.store;
        await store.migrate();
      });
      afterEach(async () => opened?.dispose());

      /** Every page from the start, `limit` rows at a time, following the cursor. */
      async function all(what: 'audit' | 'incidents', from: number, to: number, limit: number) {
        const out: ExportRecord[][] = [];
        let after: { ts: number; id: string | number } | null = null;
        for (;;) {
          const page = await store.exportPage({ what, project: 'p', from, to, after, limit });
          out.push(page);
          if (page.length < limit) return out;
          const last = page.at(-1) as ExportRecord & { ts?: number; openedAt?: number };
          after = { ts: (last.ts ?? last.openedAt) as number, id: last.id };
        }
      }

      it('pages the audit log by (ts, id) without skipping or repeating rows that share a time', async () => {
        for (let i = 0; i < 7; i++) {
          await store.access.appendAudit({
            ts: T0 + Math.floor(i / 3) * MIN,
            actor: `a${i}`,
            role: 'admin',
            action: 'POST /x',
            target: '',
            result: 'ok',
            status: 200,
            ip: '',
            userAgent: '',
          });
        }
        const pages = await all('audit', T0, T0 + 2 * MIN, 2);
        expect(pages.map((p) => p.map((r) => (r as { actor: string }).actor))).toEqual([
          ['a0', 'a1'],
          ['a2', 'a3'],
          ['a4', 'a5'],
          [],
        ]);
      });

      it('pages incidents of one project opened in the range', async () => {
        for (const [id, at, project] of [
          ['c', 0, 'p'],
          ['a', 0, 'p'],
          ['b', MIN, 'p'],
          ['x', MIN, 'other'],
          ['late', 5 * MIN, 'p'],
        ] as const) {
          await store.createIncident(
            {
              id,
              project,
              title: id,
              severity: 'low',
              source: 'manual',
              signal: `s-${id}`,
              openedAt: T0 + at,
              evidence: {},
            },
            'opened',
          );
        }
        const pages = await all('incidents', T0, T0 + 2 * MIN, 2);
        expect(pages.map((p) => p.map((r) => r.id))).toEqual([['a', 'c'], ['b']]);
      });
    },
  );
}
