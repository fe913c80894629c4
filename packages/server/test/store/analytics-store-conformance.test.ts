import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HyperLogLog } from '../../src/pipeline/hll.js';
import type { NewIncident } from '../../src/store/incident-records.js';
import type { Store } from '../../src/store/store.js';
import { loadAdapters, type OpenedStore } from './store-adapters.js';
import { errorDelta, HOUR, journalEntry, MINUTE, pipelineCommit, T0 } from './store-fixtures.js';

const ADAPTERS = await loadAdapters();

const incident = (id: string, overrides: Partial<NewIncident> = {}): NewIncident => ({
  id,
  project: 'portal',
  title: `Incident ${id}`,
  severity: 'high',
  source: 'detector',
  signal: 'error_rate',
  openedAt: T0,
  evidence: { errorRate: 12.5, operations: 400 },
  ...overrides,
});

for (const adapter of ADAPTERS) {
  describe.skipIf(adapter.skipReason !== null)(
    `Analytics store conformance (incidents, error minutes, session hours): ${adapter.name}`,
    () => {
      let opened: OpenedStore | undefined;
      let store: Store;

      beforeEach(async () => {
        opened = await adapter.open(() => T0);
        store = opened.store;
      });
      afterEach(async () => {
        await opened?.dispose();
      });

      it('opens an incident with its timeline and refuses a second unresolved one for the same signal', async () => {
        const created = await store.createIncident(incident('i1'), 'opened by the detector');
        expect(created).toEqual({ ...incident('i1'), status: 'open', acknowledgedAt: null, resolvedAt: null });
        expect(await store.createIncident(incident('i2', { openedAt: T0 + MINUTE }), 'again')).toBeNull();
        expect(await store.getIncident('i2')).toBeNull();
        expect(await store.getIncident('i1')).toEqual(created);
        // Another signal, or another project, is a different incident.
        expect(await store.createIncident(incident('i3', { signal: 'latency:api' }), 'x')).not.toBeNull();
        expect(await store.createIncident(incident('i4', { project: 'other' }), 'x')).not.toBeNull();
        expect(await store.listIncidentEvents('i1')).toEqual([
          {
            incidentId: 'i1',
            ts: T0,
            type: 'opened',
            message: 'opened by the detector',
            data: { errorRate: 12.5, operations: 400 },
          },
        ]);
      });

      it('acknowledges only open incidents, resolves once, and allows a new incident after resolving', async () => {
        await store.createIncident(incident('i1'), 'opened');
        const acked = await store.transitionIncident({
          id: 'i1',
          status: 'acknowledged',
          at: T0 + MINUTE,
          message: 'on it',
        });
        expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedAt: T0 + MINUTE, resolvedAt: null });
        expect(
          await store.transitionIncident({ id: 'i1', status: 'acknowledged', at: T0 + 2 * MINUTE, message: 'x' }),
        ).toBeNull();
        const resolved = await store.transitionIncident({
          id: 'i1',
          status: 'resolved',
          at: T0 + 5 * MINUTE,
          message: 'recovered',
          data: { errorRate: 0.4 },
        });
        expect(resolved).toMatchObject({
          status: 'resolved',
          acknowledgedAt: T0 + MINUTE,
          resolvedAt: T0 + 5 * MINUTE,
        });
        expect(
          await store.transitionIncident({ id: 'i1', status: 'resolved', at: T0 + 6 * MINUTE, message: 'x' }),
        ).toBeNull();
        expect(await store.transitionIncident({ id: 'nope', status: 'resolved', at: T0, message: 'x' })).toBeNull();
        await store.addIncidentEvent({
          incidentId: 'i1',
          ts: T0 + 7 * MINUTE,
          type: 'note',
          message: 'postmortem',
          data: null,
        });
        expect((await store.listIncidentEvents('i1')).map((e) => [e.type, e.ts, e.message, e.data])).toEqual([
          ['opened', T0, 'opened', { errorRate: 12.5, operations: 400 }],
          ['acknowledged', T0 + MINUTE, 'on it', null],
          ['resolved', T0 + 5 * MINUTE, 'recovered', { errorRate: 0.4 }],
          ['note', T0 + 7 * MINUTE, 'postmortem', null],
        ]);
        expect(await store.createIncident(incident('i2', { openedAt: T0 + 10 * MINUTE }), 'again')).not.toBeNull();
      });

      it('lists incidents overlapping a range with status and source filters, and the unresolved ones', async () => {
        await store.createIncident(incident('a', { signal: 's1', openedAt: T0 }), 'o');
        await store.transitionIncident({ id: 'a', status: 'resolved', at: T0 + 10 * MINUTE, message: 'r' });
        await store.createIncident(incident('b', { signal: 's2', openedAt: T0 + 20 * MINUTE, source: 'alert' }), 'o');
        await store.createIncident(incident('c', { signal: 's3', openedAt: T0 + 30 * MINUTE }), 'o');
        const list = (q: Partial<Parameters<Store['listIncidents']>[0]> = {}) =>
          store
            .listIncidents({ project: 'portal', from: T0, to: T0 + 60 * MINUTE, limit: 100, ...q })
            .then((l) => l.map((i) => i.id));
        expect(await list()).toEqual(['c', 'b', 'a']);
        expect(await list({ from: T0 + 11 * MINUTE })).toEqual(['c', 'b']);
        expect(await list({ to: T0 + 25 * MINUTE })).toEqual(['b', 'a']);
        expect(await list({ status: 'resolved' })).toEqual(['a']);
        expect(await list({ source: 'alert' })).toEqual(['b']);
        expect(await list({ limit: 1 })).toEqual(['c']);
        expect((await store.listUnresolvedIncidents('portal', 'detector')).map((i) => i.id)).toEqual(['c']);
      });

      it('reads per-minute error counts of every group in a range', async () => {
        await store.appendBatches([journalEntry('e1')]);
        const rows = await store.readJournal(10);
        await store.commitPipeline(
          pipelineCommit({
            seqs: rows.map((r) => r.seq),
            errors: [
              errorDelta('fp-b', [
                [T0, 2],
                [T0 + MINUTE, 1],
              ]),
              errorDelta('fp-a', [[T0 + MINUTE, 4]]),
              errorDelta('fp-c', [[T0 + 5 * MINUTE, 9]]),
            ],
          }),
        );
        expect(await store.queryErrorMinutes({ project: 'portal', from: T0, to: T0 + 5 * MINUTE })).toEqual([
          { fingerprint: 'fp-b', bucket: T0, count: 2 },
          { fingerprint: 'fp-a', bucket: T0 + MINUTE, count: 4 },
          { fingerprint: 'fp-b', bucket: T0 + MINUTE, count: 1 },
        ]);
        expect(await store.queryErrorMinutes({ project: 'other', from: T0, to: T0 + 9 * MINUTE })).toEqual([]);
      });

      it('keeps session sketches per hour as the union of the minutes, across commits', async () => {
        const hll = (ids: string[]) => {
          const h = new HyperLogLog(9);
          for (const id of ids) h.add(id);
          return h.encode();
        };
        const commit = async (bucket: number, sessions: string[], users: string[]) => {
          await store.appendBatches([journalEntry(`s-${bucket}`)]);
          const rows = await store.readJournal(10);
          await store.commitPipeline(
            pipelineCommit({
              seqs: rows.map((r) => r.seq),
              sessions: [{ project: 'portal', bucket, sessions: hll(sessions), users: hll(users) }],
            }),
          );
        };
        await commit(T0, ['a', 'b'], ['u1']);
        await commit(T0 + 5 * MINUTE, ['b', 'c'], ['u1', 'u2']);
        await commit(T0 + HOUR, ['d'], ['u3']);
        const hours = await store.querySessions({ project: 'portal', from: T0, to: T0 + 2 * HOUR, resolution: 'hour' });
        expect(hours.map((h) => h.bucket)).toEqual([T0, T0 + HOUR]);
        expect(
          hours.map((h) => [HyperLogLog.decode(h.sessions).estimate(), HyperLogLog.decode(h.users).estimate()]),
        ).toEqual([
          [3, 2],
          [1, 1],
        ]);
        expect(await store.querySessions({ project: 'portal', from: T0, to: T0 + 2 * HOUR })).toHaveLength(3);
      });
    },
  );
}
