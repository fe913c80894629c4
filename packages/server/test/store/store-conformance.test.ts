import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DDSketch } from '../../src/pipeline/ddsketch.js';
import { HyperLogLog } from '../../src/pipeline/hll.js';
import { MAX_SAMPLES_PER_GROUP } from '../../src/store/plan-commit.js';
import type { ErrorGroupDelta, RollupQuery, RollupRecord, Store } from '../../src/store/store.js';
import { loadAdapters, type OpenedStore } from './store-adapters.js';
import {
  DAY,
  errorDelta,
  HOUR,
  journalEntry,
  MINUTE,
  occurrence,
  pipelineCommit,
  rollupOf,
  seriesKey,
  sketchOf,
  T0,
} from './store-fixtures.js';

const ADAPTERS = await loadAdapters();

function hllOf(values: string[]): HyperLogLog {
  const hll = new HyperLogLog();
  for (const value of values) hll.add(value);
  return hll;
}

function range(prefix: string, from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);
}

/** The comparable part of a rollup: everything but the sketch bytes. */
function totals(record: RollupRecord): Omit<RollupRecord, 'sketch'> {
  const { sketch: _sketch, ...rest } = record;
  return rest;
}

for (const adapter of ADAPTERS) {
  const title =
    adapter.skipReason === null
      ? `Store conformance: ${adapter.name}`
      : `Store conformance: ${adapter.name} (skipped: ${adapter.skipReason})`;
  if (adapter.skipReason !== null) console.warn(`[store-conformance] ${title}`);

  describe.skipIf(adapter.skipReason !== null)(title, () => {
    let clock = T0;
    let opened: OpenedStore | undefined;
    let store: Store;

    const query = (q: Partial<RollupQuery> = {}): Promise<RollupRecord[]> =>
      store.queryRollups({ project: 'portal', metric: 'api', from: T0, to: T0 + DAY, resolution: 'minute', ...q });

    /** Appends entries and consumes them in one commit carrying `parts`. */
    const ingest = async (parts: Parameters<typeof pipelineCommit>[0]): Promise<void> => {
      const id = `c-${Math.random().toString(36).slice(2)}`;
      await store.appendBatches([journalEntry(id)]);
      const rows = await store.readJournal(1_000);
      await store.commitPipeline(pipelineCommit({ ...parts, seqs: rows.map((r) => r.seq) }));
    };

    beforeEach(async () => {
      clock = T0;
      opened = await adapter.open(() => clock);
      store = opened.store;
    });

    afterEach(async () => {
      await opened?.dispose();
      opened = undefined;
    });

    it('names itself and reports its capabilities', async () => {
      expect(store.name).toBe(adapter.name);
      expect(store.supportsConcurrentWriters).toBe(adapter.concurrentWriters);
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('migrates idempotently, also from several instances at once on a fresh database', async () => {
      await store.migrate();
      await store.migrate();
      const fresh = await adapter.open(() => clock, false);
      try {
        const siblings = [fresh.openSibling(), fresh.openSibling()];
        await Promise.all([fresh.store.migrate(), ...siblings.map((s) => s.migrate())]);
        await fresh.store.migrate();
        expect(await fresh.store.initSetting('secret', 'a')).toBe('a');
        expect(await siblings[1]!.getSetting('secret')).toBe('a');
      } finally {
        await fresh.dispose();
      }
    });

    it('stores a setting once and returns the stored value', async () => {
      expect(await store.getSetting('pseudonym-secret')).toBeNull();
      expect(await store.initSetting('pseudonym-secret', 'first')).toBe('first');
      expect(await store.initSetting('pseudonym-secret', 'second')).toBe('first');
      expect(await store.getSetting('pseudonym-secret')).toBe('first');
      const racers = await Promise.all([store.initSetting('race', 'x'), store.initSetting('race', 'y')]);
      expect(racers[0]).toBe(racers[1]);
      expect(await store.getSetting('race')).toBe(racers[0]);
    });

    it('upserts projects keeping their creation time', async () => {
      expect(await store.upsertProject({ name: 'portal', allowedOrigins: ['https://a.example'] })).toEqual({
        name: 'portal',
        allowedOrigins: ['https://a.example'],
        createdAt: T0,
      });
      clock = T0 + 1_000;
      expect(
        await store.upsertProject({ name: 'portal', allowedOrigins: ['https://b.example', 'https://c.example'] }),
      ).toEqual({
        name: 'portal',
        allowedOrigins: ['https://b.example', 'https://c.example'],
        createdAt: T0,
      });
      await store.upsertProject({ name: 'Admin', allowedOrigins: [] });
      expect(await store.listProjects()).toEqual([
        { name: 'Admin', allowedOrigins: [], createdAt: T0 + 1_000 },
        { name: 'portal', allowedOrigins: ['https://b.example', 'https://c.example'], createdAt: T0 },
      ]);
    });

    it('creates and lists ingest keys; a key hash is unique', async () => {
      const first = await store.createIngestKey({
        id: 'k1',
        project: 'portal',
        keyHash: 'h1',
        environment: null,
        label: 'web',
      });
      clock = T0 + 5;
      const second = await store.createIngestKey({
        id: 'k2',
        project: 'portal',
        keyHash: 'h2',
        environment: 'prod',
        label: 'api',
      });
      expect(first).toEqual({
        id: 'k1',
        project: 'portal',
        keyHash: 'h1',
        environment: null,
        label: 'web',
        createdAt: T0,
        revokedAt: null,
      });
      expect(await store.listIngestKeys()).toEqual([first, second]);
      await expect(
        store.createIngestKey({ id: 'k3', project: 'portal', keyHash: 'h1', environment: null, label: 'dup' }),
      ).rejects.toThrow();
      expect(await store.listIngestKeys()).toHaveLength(2);
    });

    it('creates, finds and counts tokens', async () => {
      expect(await store.countTokens()).toBe(0);
      const token = await store.createToken({ id: 't1', tokenHash: 'th1', label: 'first admin', role: 'admin' });
      expect(token).toEqual({
        id: 't1',
        tokenHash: 'th1',
        label: 'first admin',
        role: 'admin',
        createdAt: T0,
        revokedAt: null,
      });
      await store.createToken({ id: 't2', tokenHash: 'th2', label: 'ci', role: 'admin' });
      expect(await store.findToken('th1')).toEqual(token);
      expect(await store.findToken('nope')).toBeNull();
      expect(await store.countTokens()).toBe(2);
    });

    it('appends batches once and replays the original answer for duplicates', async () => {
      expect(await store.appendBatches([])).toEqual([]);
      expect(
        await store.appendBatches([
          journalEntry('b1', { receivedAt: T0 + 2 }),
          journalEntry('b2', {
            receivedAt: T0 + 1,
            answer: { accepted: 2, rejected: [{ index: 1, code: 'VIGIL_ERR_X', message: 'bad' }] },
          }),
        ]),
      ).toEqual([{ duplicate: false }, { duplicate: false }]);
      const outcomes = await store.appendBatches([
        journalEntry('b2', { answer: { accepted: 99, rejected: [] } }),
        journalEntry('b3', { receivedAt: T0 + 3, answer: { accepted: 7, rejected: [] } }),
        journalEntry('b3', { receivedAt: T0 + 4, answer: { accepted: 8, rejected: [] } }),
        journalEntry('b1', { project: 'lms', receivedAt: T0 + 5 }),
      ]);
      expect(outcomes).toEqual([
        { duplicate: true, answer: { accepted: 2, rejected: [{ index: 1, code: 'VIGIL_ERR_X', message: 'bad' }] } },
        { duplicate: false },
        { duplicate: true, answer: { accepted: 7, rejected: [] } },
        { duplicate: false },
      ]);
      const rows = await store.readJournal(100);
      expect(rows.map((r) => [r.project, r.receivedAt, JSON.parse(r.payload).source.batchId])).toEqual([
        ['portal', T0 + 2, 'b1'],
        ['portal', T0 + 1, 'b2'],
        ['portal', T0 + 3, 'b3'],
        ['lms', T0 + 5, 'b1'],
      ]);
      expect(await store.journalBacklog()).toEqual({ rows: 4, oldestReceivedAt: T0 + 1 });
    });

    it('appends a very large array in one call, replaying a duplicate from far earlier in it', async () => {
      const entries = Array.from({ length: 12_000 }, (_, i) =>
        journalEntry(`big-${i}`, { payload: '{}', eventCount: 1 }),
      );
      entries.push(journalEntry('big-0', { answer: { accepted: 0, rejected: [] } }));
      const outcomes = await store.appendBatches(entries);
      expect(outcomes.filter((o) => !o.duplicate)).toHaveLength(12_000);
      expect(outcomes[12_000]).toEqual({ duplicate: true, answer: { accepted: 3, rejected: [] } });
      expect(await store.journalBacklog()).toEqual({ rows: 12_000, oldestReceivedAt: T0 });
      const rows = await store.readJournal(20_000);
      expect(rows).toHaveLength(12_000);
      expect(rows.map((r) => r.payload)).toEqual(Array(12_000).fill('{}'));
      const forget = { detailedMillis: DAY, aggregatedMillis: DAY, batchIdMillis: DAY };
      expect((await store.applyRetention(forget, T0 + 2 * DAY)).batchIds).toBe(12_000);
      expect(await store.appendBatches([journalEntry('big-1')])).toEqual([{ duplicate: false }]);
    });

    it('reads the journal oldest first, up to the limit', async () => {
      expect(await store.journalBacklog()).toEqual({ rows: 0, oldestReceivedAt: null });
      await store.appendBatches([journalEntry('j1'), journalEntry('j2')]);
      await store.appendBatches([journalEntry('j3')]);
      await store.appendBatches([journalEntry('j4'), journalEntry('j5')]);
      const firstThree = await store.readJournal(3);
      expect(firstThree.map((r) => JSON.parse(r.payload).source.batchId)).toEqual(['j1', 'j2', 'j3']);
      const all = await store.readJournal(10);
      expect(all.map((r) => JSON.parse(r.payload).source.batchId)).toEqual(['j1', 'j2', 'j3', 'j4', 'j5']);
      const seqs = all.map((r) => r.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(5);
      expect(seqs.every(Number.isSafeInteger)).toBe(true);
    });

    it('commits a pipeline step: deletes exactly the given rows and merges the rollups', async () => {
      await store.appendBatches([journalEntry('a'), journalEntry('b'), journalEntry('c')]);
      const [a, b, c] = await store.readJournal(10);
      await store.commitPipeline(pipelineCommit({ seqs: [a!.seq, c!.seq], rollups: [rollupOf(T0, [10, 20])] }));
      expect((await store.readJournal(10)).map((r) => r.seq)).toEqual([b!.seq]);
      expect(await store.journalBacklog()).toEqual({ rows: 1, oldestReceivedAt: T0 });
      expect((await query()).map(totals)).toEqual([
        { project: 'portal', bucket: T0, key: seriesKey(), count: 2, sum: 30, min: 10, max: 20 },
      ]);
    });

    it('rejects a commit naming a journal row that is gone, changing nothing', async () => {
      await store.appendBatches([journalEntry('a')]);
      const [a] = await store.readJournal(10);
      await expect(
        store.commitPipeline(pipelineCommit({ seqs: [a!.seq, a!.seq + 1_000], rollups: [rollupOf(T0, [1])] })),
      ).rejects.toThrow(/expected 2 journal rows but found 1/);
      expect(await store.readJournal(10)).toEqual([a]);
      expect(await query()).toEqual([]);
    });

    it('rolls a failing commit back entirely, and a retry then succeeds', async () => {
      await store.appendBatches([journalEntry('a'), journalEntry('b')]);
      const [a, b] = await store.readJournal(10);
      await store.commitPipeline(pipelineCommit({ seqs: [a!.seq], rollups: [rollupOf(T0, [10])] }));
      const before = await query();
      const newKey = seriesKey({ name: '/videos/:id' });
      const broken = errorDelta('fp-broken', [[T0, 1]], { kind: null as unknown as string });
      const failing = pipelineCommit({
        seqs: [b!.seq],
        rollups: [rollupOf(T0, [30]), rollupOf(T0, [5], { key: newKey })],
        errors: [errorDelta('fp-ok', [[T0, 1]]), broken],
        sessions: [{ project: 'portal', bucket: T0, sessions: hllOf(['s1']).encode(), users: hllOf(['u1']).encode() }],
      });
      await expect(store.commitPipeline(failing)).rejects.toThrow();
      expect(await store.readJournal(10)).toEqual([b]);
      expect(await query()).toEqual(before);
      expect(await store.countEvents({ project: 'portal', from: T0, to: T0 + DAY })).toBe(1);
      expect(await store.listErrorGroups({ project: 'portal', from: T0, to: T0 + DAY, limit: 10 })).toEqual([]);
      expect(await store.querySessions({ project: 'portal', from: T0, to: T0 + DAY })).toEqual([]);

      await store.commitPipeline({ ...failing, errors: [errorDelta('fp-ok', [[T0, 1]])] });
      expect(await store.readJournal(10)).toEqual([]);
      expect((await query()).map(totals)).toEqual([
        { project: 'portal', bucket: T0, key: seriesKey(), count: 2, sum: 40, min: 10, max: 30 },
        { project: 'portal', bucket: T0, key: newKey, count: 1, sum: 5, min: 5, max: 5 },
      ]);
    });

    it('merges counts, sums, extremes and sketches across commits and within one', async () => {
      const bucket = T0 + MINUTE;
      await ingest({ rollups: [rollupOf(bucket, [10, 20, 30])] });
      await ingest({ rollups: [rollupOf(bucket, [5, 40]), rollupOf(bucket, [25])] });
      const [row, ...rest] = await query();
      expect(rest).toEqual([]);
      expect(totals(row!)).toEqual({
        project: 'portal',
        bucket,
        key: seriesKey(),
        count: 6,
        sum: 130,
        min: 5,
        max: 40,
      });
      const reference = DDSketch.decode(sketchOf([10, 20, 30, 5, 40, 25]));
      const merged = DDSketch.decode(row!.sketch!);
      expect(merged.count).toBe(6);
      for (const q of [0, 0.25, 0.5, 0.9, 1]) expect(merged.quantile(q)).toBe(reference.quantile(q));

      const action = seriesKey({ metric: 'action', phase: 'content', name: 'play', method: '', statusClass: '' });
      await ingest({ rollups: [rollupOf(bucket, [1], { key: action, sketch: null })] });
      await ingest({ rollups: [rollupOf(bucket, [1, 1], { key: action, sketch: null })] });
      expect(await query({ metric: 'action' })).toEqual([
        { project: 'portal', bucket, key: action, count: 3, sum: 3, min: 1, max: 1, sketch: null },
      ]);
    });

    it('also merges every rollup into the hour table at its hour', async () => {
      await ingest({ rollups: [rollupOf(T0 + MINUTE, [1, 2]), rollupOf(T0 + 59 * MINUTE, [3])] });
      await ingest({ rollups: [rollupOf(T0 + 60 * MINUTE, [4]), rollupOf(T0 + 2 * MINUTE, [0.5])] });
      const hours = await query({ resolution: 'hour' });
      expect(hours.map(totals)).toEqual([
        { project: 'portal', bucket: T0, key: seriesKey(), count: 4, sum: 6.5, min: 0.5, max: 3 },
        { project: 'portal', bucket: T0 + HOUR, key: seriesKey(), count: 1, sum: 4, min: 4, max: 4 },
      ]);
      const reference = DDSketch.decode(sketchOf([1, 2, 3, 0.5]));
      const merged = DDSketch.decode(hours[0]!.sketch!);
      for (const q of [0, 0.5, 1]) expect(merged.quantile(q)).toBe(reference.quantile(q));
      expect((await query()).map((r) => [r.bucket, r.count])).toEqual([
        [T0 + MINUTE, 2],
        [T0 + 2 * MINUTE, 1],
        [T0 + 59 * MINUTE, 1],
        [T0 + 60 * MINUTE, 1],
      ]);
    });

    it('filters rollups by every dimension and by [from, to)', async () => {
      const variants = [
        { phase: 'auth' },
        { name: '/login' },
        { method: 'POST' },
        { statusClass: '5xx' },
        { service: 'api' },
        { environment: 'staging' },
      ] as const;
      await ingest({
        rollups: [
          rollupOf(T0, [1]),
          rollupOf(T0 + MINUTE, [1, 1]),
          rollupOf(T0 + 2 * MINUTE, [1, 1, 1]),
          ...variants.map((v, i) => rollupOf(T0, Array(10 + i).fill(1), { key: seriesKey(v) })),
          rollupOf(T0, [7], { key: seriesKey({ metric: 'timing' }) }),
          rollupOf(T0, [8], { project: 'lms' }),
        ],
      });
      expect((await query()).map((r) => [r.bucket, r.count])).toEqual([
        [T0, 14],
        [T0, 1],
        [T0, 15],
        [T0, 13],
        [T0, 12],
        [T0, 11],
        [T0, 10],
        [T0 + MINUTE, 2],
        [T0 + 2 * MINUTE, 3],
      ]);
      for (const [i, variant] of variants.entries()) {
        const rows = await query(variant);
        expect(rows.map((r) => [r.key, r.count])).toEqual([[seriesKey(variant), 10 + i]]);
      }
      expect((await query({ phase: 'api', statusClass: '2xx', method: 'GET' })).map((r) => r.count)).toEqual([
        14, 1, 15, 11, 2, 3,
      ]);
      expect((await query({ from: T0 + MINUTE, to: T0 + 2 * MINUTE })).map((r) => r.count)).toEqual([2]);
      expect((await query({ metric: 'timing' })).map((r) => r.count)).toEqual([1]);
      expect((await query({ project: 'lms' })).map((r) => r.count)).toEqual([1]);
      expect((await query({ project: 'lms' }))[0]!.sum).toBe(8);
      expect(await query({ from: T0 + 3 * MINUTE })).toEqual([]);
      expect(
        (await query({ resolution: 'hour', name: '/courses/:id', service: 'web', environment: 'prod' })).map(totals),
      ).toEqual([
        { project: 'portal', bucket: T0, key: seriesKey(), count: 6, sum: 6, min: 1, max: 1 },
        { project: 'portal', bucket: T0, key: seriesKey({ statusClass: '5xx' }), count: 13, sum: 13, min: 1, max: 1 },
        { project: 'portal', bucket: T0, key: seriesKey({ method: 'POST' }), count: 12, sum: 12, min: 1, max: 1 },
        { project: 'portal', bucket: T0, key: seriesKey({ phase: 'auth' }), count: 10, sum: 10, min: 1, max: 1 },
      ]);
      expect(await query({ resolution: 'hour', from: T0 + MINUTE })).toEqual([]);
    });

    it('counts the events stored in a range of minute rollups', async () => {
      await ingest({
        rollups: [
          rollupOf(T0, [1, 2, 3]),
          rollupOf(T0 + MINUTE, [1, 2], { key: seriesKey({ metric: 'timing' }) }),
          rollupOf(T0 + 2 * MINUTE, [1, 2, 3, 4]),
          rollupOf(T0, Array(10).fill(1), { project: 'lms' }),
        ],
      });
      expect(await store.countEvents({ project: 'portal', from: T0, to: T0 + 2 * MINUTE })).toBe(5);
      expect(await store.countEvents({ project: 'portal', from: T0, to: T0 + DAY })).toBe(9);
      expect(await store.countEvents({ project: 'lms', from: T0, to: T0 + DAY })).toBe(10);
      expect(await store.countEvents({ project: 'portal', from: T0 + 3 * MINUTE, to: T0 + DAY })).toBe(0);
    });

    it('counts error groups inside [from, to), most frequent first, ties by fingerprint', async () => {
      await ingest({
        errors: [
          errorDelta('fp-a', [
            [T0, 2],
            [T0 + MINUTE, 1],
          ]),
          errorDelta('fp-b', [[T0, 3]]),
          errorDelta('fp-c', [[T0 + 2 * MINUTE, 5]]),
          errorDelta('fp-a', [[T0, 100]], { project: 'lms' }),
        ],
      });
      await ingest({
        errors: [
          errorDelta('fp-a', [[T0 + MINUTE, 2]], {
            firstSeen: T0 - MINUTE,
            lastSeen: T0 + 10 * MINUTE,
            message: 'later',
          }),
          errorDelta('fp-0', [[T0, 3]]),
        ],
      });
      const group = (fingerprint: string, count: number, extra: Partial<ErrorGroupDelta> = {}) => ({
        fingerprint,
        kind: 'js',
        errorName: 'TypeError',
        message: "Cannot read properties of undefined (reading '<str>')",
        phase: 'content',
        service: 'web',
        environment: 'prod',
        firstSeen: T0,
        lastSeen: T0 + 59_000,
        count,
        ...extra,
      });
      const fpA = { firstSeen: T0 - MINUTE, lastSeen: T0 + 10 * MINUTE };
      expect(await store.listErrorGroups({ project: 'portal', from: T0, to: T0 + 2 * MINUTE, limit: 10 })).toEqual([
        group('fp-a', 5, fpA),
        group('fp-0', 3),
        group('fp-b', 3),
      ]);
      expect(await store.listErrorGroups({ project: 'portal', from: T0, to: T0 + MINUTE, limit: 10 })).toEqual([
        group('fp-0', 3),
        group('fp-b', 3),
        group('fp-a', 2, fpA),
      ]);
      expect(await store.listErrorGroups({ project: 'portal', from: T0, to: T0 + DAY, limit: 1 })).toEqual([
        group('fp-a', 5, fpA),
      ]);
      expect(
        await store.listErrorGroups({ project: 'portal', from: T0 + 2 * MINUTE, to: T0 + DAY, limit: 10 }),
      ).toEqual([group('fp-c', 5, { firstSeen: T0 + 2 * MINUTE, lastSeen: T0 + 2 * MINUTE + 59_000 })]);
      expect(await store.listErrorGroups({ project: 'lms', from: T0, to: T0 + DAY, limit: 10 })).toEqual([
        group('fp-a', 100),
      ]);
    });

    it(`keeps the newest ${MAX_SAMPLES_PER_GROUP} samples per error group`, async () => {
      expect(MAX_SAMPLES_PER_GROUP).toBe(20);
      const ts = (i: number) => T0 + i * 1_000;
      await ingest({
        errors: [errorDelta('fp-a', [[T0, 15]], { samples: range('', 0, 14).map((i) => occurrence(ts(Number(i)))) })],
      });
      const shuffled = [22, 15, 24, 18, 16, 23, 17, 21, 19, 20];
      await ingest({ errors: [errorDelta('fp-a', [[T0, 10]], { samples: shuffled.map((i) => occurrence(ts(i))) })] });
      const kept = await store.listOccurrences({ project: 'portal', fingerprint: 'fp-a', limit: 100 });
      expect(kept.map((o) => o.ts)).toEqual(Array.from({ length: 20 }, (_, i) => ts(24 - i)));
      expect(
        (await store.listOccurrences({ project: 'portal', fingerprint: 'fp-a', limit: 3 })).map((o) => o.ts),
      ).toEqual([ts(24), ts(23), ts(22)]);
      expect(kept[0]).toEqual(occurrence(ts(24)));

      const sparse = occurrence(ts(1), { stack: null, context: null, sessionId: null, userHash: null, release: null });
      const many = Array.from({ length: 25 }, (_, i) => occurrence(ts(100 + i)));
      await ingest({ errors: [errorDelta('fp-b', [[T0, 26]], { samples: [sparse, ...many] })] });
      const b = await store.listOccurrences({ project: 'portal', fingerprint: 'fp-b', limit: 100 });
      expect(b.map((o) => o.ts)).toEqual(Array.from({ length: 20 }, (_, i) => ts(124 - i)));
      await ingest({ errors: [errorDelta('fp-c', [[T0, 1]], { samples: [sparse] })] });
      expect(await store.listOccurrences({ project: 'portal', fingerprint: 'fp-c', limit: 100 })).toEqual([sparse]);
      expect(await store.listOccurrences({ project: 'lms', fingerprint: 'fp-a', limit: 100 })).toEqual([]);
    });

    it('merges session sketches per minute', async () => {
      const minute = (bucket: number, sessions: string[], users: string[]) => ({
        project: 'portal',
        bucket,
        sessions: hllOf(sessions).encode(),
        users: hllOf(users).encode(),
      });
      await ingest({ sessions: [minute(T0, range('s', 1, 50), range('u', 1, 10))] });
      await ingest({
        sessions: [
          minute(T0, range('s', 26, 90), range('u', 5, 20)),
          minute(T0, range('s', 80, 100), range('u', 20, 20)),
          minute(T0 + MINUTE, ['s1'], ['u1']),
          { ...minute(T0, ['x'], ['y']), project: 'lms' },
        ],
      });
      const rows = await store.querySessions({ project: 'portal', from: T0, to: T0 + 2 * MINUTE });
      expect(rows.map((r) => [r.project, r.bucket])).toEqual([
        ['portal', T0],
        ['portal', T0 + MINUTE],
      ]);
      expect(HyperLogLog.decode(rows[0]!.sessions).estimate()).toBe(hllOf(range('s', 1, 100)).estimate());
      expect(HyperLogLog.decode(rows[0]!.users).estimate()).toBe(hllOf(range('u', 1, 20)).estimate());
      expect(HyperLogLog.decode(rows[1]!.sessions).estimate()).toBe(1);
      expect(await store.querySessions({ project: 'portal', from: T0 + MINUTE, to: T0 + 2 * MINUTE })).toEqual([
        rows[1],
      ]);
      expect((await store.querySessions({ project: 'lms', from: T0, to: T0 + DAY })).length).toBe(1);
    });

    it('applies retention and reports exact counts', async () => {
      const now = T0 + 8 * DAY;
      const policy = { detailedMillis: 7 * DAY, aggregatedMillis: 8 * DAY - HOUR, batchIdMillis: 6 * DAY };
      await store.appendBatches([
        journalEntry('old', { receivedAt: T0 }),
        journalEntry('edge', { receivedAt: T0 + 2 * DAY - 1 }),
        journalEntry('kept', { receivedAt: T0 + 2 * DAY }),
      ]);
      await ingest({
        rollups: [
          rollupOf(T0, [1]),
          rollupOf(T0 + MINUTE, [1]),
          rollupOf(T0 + HOUR + MINUTE, [1]),
          rollupOf(T0 + DAY, [1]),
        ],
        errors: [
          errorDelta(
            'fp-a',
            [
              [T0, 1],
              [T0 + DAY - MINUTE, 1],
              [T0 + DAY, 1],
            ],
            { samples: [occurrence(T0), occurrence(T0 + DAY - 1), occurrence(T0 + DAY)] },
          ),
        ],
        sessions: [
          { project: 'portal', bucket: T0, sessions: hllOf(['a']).encode(), users: hllOf(['b']).encode() },
          { project: 'portal', bucket: T0 + DAY, sessions: hllOf(['a']).encode(), users: hllOf(['b']).encode() },
        ],
      });
      expect(await store.applyRetention(policy, now)).toEqual({
        minuteRollups: 3,
        hourRollups: 1,
        occurrences: 2,
        errorMinutes: 2,
        sessionMinutes: 1,
        sessionHours: 1,
        // 'old', 'edge' and the batch the ingest helper appended at T0.
        batchIds: 3,
      });
      expect((await query({ to: now })).map((r) => r.bucket)).toEqual([T0 + DAY]);
      expect((await query({ to: now, resolution: 'hour' })).map((r) => r.bucket)).toEqual([T0 + HOUR, T0 + DAY]);
      expect(
        (await store.listOccurrences({ project: 'portal', fingerprint: 'fp-a', limit: 10 })).map((o) => o.ts),
      ).toEqual([T0 + DAY]);
      expect(
        (await store.listErrorGroups({ project: 'portal', from: 0, to: now, limit: 10 })).map((g) => g.count),
      ).toEqual([1]);
      expect((await store.querySessions({ project: 'portal', from: 0, to: now })).map((s) => s.bucket)).toEqual([
        T0 + DAY,
      ]);
      expect(
        await store.appendBatches([
          journalEntry('old', { receivedAt: now }),
          journalEntry('kept', { receivedAt: now }),
        ]),
      ).toEqual([{ duplicate: false }, { duplicate: true, answer: { accepted: 3, rejected: [] } }]);
      expect(await store.applyRetention(policy, now)).toEqual({
        minuteRollups: 0,
        hourRollups: 0,
        occurrences: 0,
        errorMinutes: 0,
        sessionMinutes: 0,
        sessionHours: 0,
        batchIds: 0,
      });
    });

    it('reports a positive, integral size on disk', async () => {
      await store.appendBatches([journalEntry('size', { payload: 'x'.repeat(50_000) })]);
      const size = await store.sizeBytes();
      expect(size).toBeGreaterThan(0);
      expect(Number.isSafeInteger(size)).toBe(true);
    });

    it.runIf(adapter.concurrentWriters)(
      'stores each batch once when two instances append the same ids at once',
      async () => {
        const other = opened!.openSibling();
        const ids = Array.from({ length: 200 }, (_, i) => i);
        const chunks = Array.from({ length: 10 }, (_, c) => ids.slice(c * 20, c * 20 + 40));
        const entry = (i: number) => journalEntry(`cc-${i}`, { answer: { accepted: i, rejected: [] } });
        const calls = [store, other].flatMap((s, n) =>
          (n === 0 ? chunks : [...chunks].reverse()).map(async (chunk) => ({
            chunk,
            outcomes: await s.appendBatches(chunk.map(entry)),
          })),
        );
        const results = await Promise.all(calls);
        const stored = new Map<number, number>();
        for (const { chunk, outcomes } of results) {
          for (const [j, outcome] of outcomes.entries()) {
            const i = chunk[j]!;
            if (outcome.duplicate) expect(outcome.answer).toEqual({ accepted: i, rejected: [] });
            else stored.set(i, (stored.get(i) ?? 0) + 1);
          }
        }
        expect([...stored.keys()].sort((a, b) => a - b)).toEqual(ids);
        expect([...stored.values()].every((n) => n === 1)).toBe(true);
        expect(await store.journalBacklog()).toEqual({ rows: 200, oldestReceivedAt: T0 });
      },
    );
  });
}
