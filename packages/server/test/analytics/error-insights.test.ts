import { describe, expect, it } from 'vitest';
import { analyzeErrorData, pearson, trendsFromHalves } from '../../src/analytics/error-insights.js';
import type { ErrorGroupRecord, ErrorMinuteRecord } from '../../src/store/store.js';
import { rollup, times } from './rollup-builders.js';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = 10 * DAY;

const group = (fingerprint: string, firstSeen: number, count: number, kind = 'javascript'): ErrorGroupRecord => ({
  fingerprint,
  kind,
  errorName: 'TypeError',
  message: `boom ${fingerprint}`,
  phase: 'content',
  service: 'portal-web',
  environment: 'production',
  firstSeen,
  lastSeen: T0 + 9 * MIN,
  count,
});

const minutesOf = (fingerprint: string, counts: readonly number[], start = T0): ErrorMinuteRecord[] =>
  counts.flatMap((count, i) => (count === 0 ? [] : [{ fingerprint, bucket: start + i * MIN, count }]));

describe('pearson', () => {
  it('is 1 for proportional series, −1 for opposite ones, null for a constant one', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
  });
});

describe('analyzeErrorData', () => {
  // Ten minutes from T0, one-minute buckets.
  const a = minutesOf('aaaa1111', [0, 1, 2, 0, 1, 3, 5, 8, 9, 10]); // 39, rising, new
  const b = minutesOf('bbbb2222', [0, 2, 4, 0, 2, 6, 10, 16, 18, 20]); // 2 × a: correlated
  const c = minutesOf('cccc3333', [5, 5, 5, 5, 5, 0, 0, 0, 0, 0]); // falling
  // d: seen 3 days ago, silent since, back at minute 4 — regressed.
  const d = [{ fingerprint: 'dddd4444', bucket: T0 - 3 * DAY, count: 2 }, ...minutesOf('dddd4444', [0, 0, 0, 0, 4])];
  const groups = [
    group('bbbb2222', T0 + MIN, 78),
    group('aaaa1111', T0 + MIN, 39),
    group('cccc3333', T0 - 2 * DAY, 25),
    group('dddd4444', T0 - 3 * DAY, 4, 'api'),
  ];
  // c also occurred just before the range: it is not regressed.
  const cBefore = { fingerprint: 'cccc3333', bucket: T0 - 30 * MIN, count: 1 };
  const serviceUp = [
    ...[0, 1, 2, 3, 4].map((i) => rollup('gauge', { name: 'service.up', service: 'db' }, [1], T0 + i * MIN)),
    ...[5, 6, 7].map((i) => rollup('gauge', { name: 'service.up', service: 'db' }, [0, 0], T0 + i * MIN)),
  ];
  const errorRollups = [
    rollup('error', { name: 'javascript', phase: 'content' }, times(142, 1)),
    rollup('error', { name: 'api', phase: 'auth' }, times(4, 1)),
  ];
  const result = analyzeErrorData(
    { errorRollups, groups, minutes: [cBefore, ...a, ...b, ...c, ...d], serviceUp },
    { from: T0, to: T0 + 10 * MIN, step: MIN },
  );

  it('distributes by every kind and by phase', () => {
    expect(result.total).toBe(146);
    expect(result.byKind).toEqual({ javascript: 142, api: 4, auth: 0, validation: 0, system: 0 });
    expect(result.byPhase).toEqual({ content: 142, auth: 4 });
  });

  it('gives the top groups per-bucket counts and the SDK trend rule', () => {
    expect(result.top.map((g) => [g.fingerprint, g.trend])).toEqual([
      ['bbbb2222', 'rising'],
      ['aaaa1111', 'rising'],
      ['cccc3333', 'falling'],
      ['dddd4444', 'falling'], // its 4 came at minute 4, in the first half
    ]);
    expect(result.top[1]?.buckets).toEqual([0, 1, 2, 0, 1, 3, 5, 8, 9, 10]);
  });

  it('finds new, regressed and correlated groups', () => {
    expect(result.newGroups.map((g) => g.fingerprint)).toEqual(['bbbb2222', 'aaaa1111']);
    expect(result.regressedGroups.map((g) => [g.fingerprint, g.quietSince, g.returnedAt])).toEqual([
      ['dddd4444', T0 - 3 * DAY, T0 + 4 * MIN],
    ]);
    expect(result.correlations).toEqual([{ a: 'bbbb2222', b: 'aaaa1111', r: 1 }]);
  });

  it('lists the groups that rose in the five minutes after a service went down', () => {
    // db down at minute 5: a had 1+2+0+1 = 4 before, 3+5+8+9+10 = 35 after; b 8 → 70; c 25 → 0.
    expect(result.afterServiceDown).toEqual([
      {
        service: 'db',
        downAt: T0 + 5 * MIN,
        groups: [
          { fingerprint: 'bbbb2222', before: 8, after: 70 },
          { fingerprint: 'aaaa1111', before: 4, after: 35 },
        ],
      },
    ]);
  });
});

describe('trendsFromHalves', () => {
  it('applies the shared trend rule to a range total and its first-half total', () => {
    const groups = [group('aaaa1111', T0, 30), group('bbbb2222', T0, 20), group('cccc3333', T0, 10)];
    const first = new Map([
      ['aaaa1111', 10], // 10 → 20: rising
      ['bbbb2222', 10], // 10 → 10: stable
      ['cccc3333', 9], // 9 → 1: falling
    ]);
    expect(trendsFromHalves(groups, first).map((g) => [g.fingerprint, g.trend, g.buckets])).toEqual([
      ['aaaa1111', 'rising', []],
      ['bbbb2222', 'stable', []],
      ['cccc3333', 'falling', []],
    ]);
    expect(trendsFromHalves([group('dddd4444', T0, 3)], new Map())[0]?.trend).toBe('rising');
  });
});
