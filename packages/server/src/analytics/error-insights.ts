import { ERROR_KINDS, type ErrorKind, errorTrend } from '@vigil/schema';
import type { ErrorGroupRecord, ErrorMinuteRecord, RollupRecord } from '../store/store.js';
import { round } from './rollup-math.js';

/** A group with its counts per bucket and trend (second half of the range against the first). */
export interface GroupTrend extends ErrorGroupRecord {
  buckets: number[];
  trend: 'rising' | 'falling' | 'stable';
}

/** Two groups whose per-bucket counts move together. */
export interface GroupCorrelation {
  a: string;
  b: string;
  /** Pearson correlation of the two groups' bucket counts. */
  r: number;
}

/** Errors that rose right after a service's health check went down. */
export interface ServiceDownFollowers {
  service: string;
  downAt: number;
  groups: { fingerprint: string; before: number; after: number }[];
}

/** What {@link analyzeErrorData} returns. */
export interface ErrorInsights {
  from: number;
  to: number;
  step: number;
  total: number;
  byKind: Record<ErrorKind, number>;
  byPhase: Record<string, number>;
  top: GroupTrend[];
  /** Groups first seen inside the range. */
  newGroups: ErrorGroupRecord[];
  /** Groups seen before that had been quiet for `quietMillis` and came back inside the range. */
  regressedGroups: (ErrorGroupRecord & { quietSince: number | null; returnedAt: number })[];
  correlations: GroupCorrelation[];
  afterServiceDown: ServiceDownFollowers[];
}

/** Options of {@link analyzeErrorData}. */
export interface ErrorInsightOptions {
  from: number;
  to: number;
  step: number;
  /** Silence before a return that makes a group "regressed" (default 24 h). */
  quietMillis?: number;
  /** Pearson r at or above which two groups count as correlated (default 0.8). */
  minCorrelation?: number;
  /** Groups given trends and correlations (default 10). */
  top?: number;
  /** Before/after window around a service going down (default 5 minutes). */
  followMillis?: number;
}

/**
 * Pearson correlation of two equally long series; null when either is constant.
 *
 * @example
 * pearson([1, 2, 3], [2, 4, 7]); // 0.993
 */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  const mx = xs.slice(0, n).reduce((a, b) => a + b, 0) / n;
  const my = ys.slice(0, n).reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

function bucketCounts(minutes: readonly ErrorMinuteRecord[], o: ErrorInsightOptions): Map<string, number[]> {
  const n = Math.max(1, Math.ceil((o.to - o.from) / o.step));
  const out = new Map<string, number[]>();
  for (const m of minutes) {
    if (m.bucket < o.from || m.bucket >= o.to) continue;
    let arr = out.get(m.fingerprint);
    if (arr === undefined) {
      arr = new Array<number>(n).fill(0);
      out.set(m.fingerprint, arr);
    }
    const i = Math.floor((m.bucket - o.from) / o.step);
    arr[i] = (arr[i] ?? 0) + m.count;
  }
  return out;
}

function halves(
  minutes: readonly ErrorMinuteRecord[],
  fingerprint: string,
  from: number,
  to: number,
): [number, number] {
  const mid = from + (to - from) / 2;
  let first = 0;
  let second = 0;
  for (const m of minutes) {
    if (m.fingerprint !== fingerprint || m.bucket < from || m.bucket >= to) continue;
    if (m.bucket < mid) first += m.count;
    else second += m.count;
  }
  return [first, second];
}

/** Groups back after `quiet` ms of silence: first occurrence in range with none in the quiet window before it. */
function regressed(groups: readonly ErrorGroupRecord[], minutes: readonly ErrorMinuteRecord[], o: ErrorInsightOptions) {
  const quiet = o.quietMillis ?? 86_400_000;
  const out: ErrorInsights['regressedGroups'] = [];
  for (const g of groups) {
    const own = minutes.filter((m) => m.fingerprint === g.fingerprint && m.count > 0);
    const back = own.find((m) => m.bucket >= o.from && m.bucket < o.to);
    if (back === undefined || g.firstSeen >= back.bucket - quiet) continue;
    const before = own.filter((m) => m.bucket < back.bucket);
    const last = before.at(-1);
    if (last !== undefined && last.bucket >= back.bucket - quiet) continue;
    out.push({ ...g, quietSince: last === undefined ? null : last.bucket, returnedAt: back.bucket });
  }
  return out;
}

/** Down transitions of each service's `service.up` gauge (minute mean below 0.5 after an up minute). */
function downTransitions(serviceUp: readonly RollupRecord[]): { service: string; at: number }[] {
  const byService = new Map<string, Map<number, { sum: number; count: number }>>();
  for (const r of serviceUp) {
    if (r.key.name !== 'service.up') continue;
    let m = byService.get(r.key.service);
    if (m === undefined) {
      m = new Map();
      byService.set(r.key.service, m);
    }
    const acc = m.get(r.bucket) ?? { sum: 0, count: 0 };
    acc.sum += r.sum;
    acc.count += r.count;
    m.set(r.bucket, acc);
  }
  const out: { service: string; at: number }[] = [];
  for (const [service, buckets] of byService) {
    let wasUp = true;
    for (const [ts, acc] of [...buckets.entries()].sort((a, b) => a[0] - b[0])) {
      const up = acc.sum / acc.count >= 0.5;
      if (wasUp && !up) out.push({ service, at: ts });
      wasUp = up;
    }
  }
  return out.sort((a, b) => a.at - b.at || (a.service < b.service ? -1 : 1));
}

function followers(
  serviceUp: readonly RollupRecord[],
  minutes: readonly ErrorMinuteRecord[],
  o: ErrorInsightOptions,
): ServiceDownFollowers[] {
  const span = o.followMillis ?? 300_000;
  return downTransitions(serviceUp)
    .filter((d) => d.at >= o.from && d.at < o.to)
    .map(({ service, at }) => {
      const counts = new Map<string, { before: number; after: number }>();
      for (const m of minutes) {
        if (m.bucket < at - span || m.bucket >= at + span) continue;
        const c = counts.get(m.fingerprint) ?? { before: 0, after: 0 };
        if (m.bucket < at) c.before += m.count;
        else c.after += m.count;
        counts.set(m.fingerprint, c);
      }
      const groups = [...counts.entries()]
        .filter(([, c]) => c.after >= 3 && c.after >= 2 * c.before)
        .map(([fingerprint, c]) => ({ fingerprint, ...c }))
        .sort((a, b) => b.after - a.after || (a.fingerprint < b.fingerprint ? -1 : 1));
      return { service, downAt: at, groups };
    })
    .filter((f) => f.groups.length > 0);
}

/**
 * Top groups with the shared trend rule from two totals per group (the whole range and its
 * first half), without per-minute counts: what recommendations need over long ranges.
 *
 * @example
 * trendsFromHalves(groups, new Map([['ab12cd34', 3]])); // [{ …, trend: 'rising', buckets: [] }]
 */
export function trendsFromHalves(
  groups: readonly ErrorGroupRecord[],
  firstHalf: ReadonlyMap<string, number>,
): GroupTrend[] {
  return groups.map((g) => {
    const first = firstHalf.get(g.fingerprint) ?? 0;
    return { ...g, buckets: [], trend: errorTrend(first, g.count - first) };
  });
}

/**
 * Error analysis over stored data: distribution by kind (every kind of the protocol, as in the
 * SDK's `analyzeErrors`) and phase from the error rollups; the top groups with per-bucket counts
 * and the SDK's trend rule (`errorTrend` on the range's halves); new and regressed groups;
 * groups whose bucket counts correlate (Pearson ≥ 0.8); and groups that rose within five
 * minutes after a `service.up` gauge went down. `minutes` must cover `[from − quietMillis, to)`.
 *
 * @example
 * analyzeErrorData({ errorRollups, groups, minutes, serviceUp }, { from, to, step: 300_000 }).top[0].trend; // 'rising'
 */
export function analyzeErrorData(
  data: {
    errorRollups: readonly RollupRecord[];
    groups: readonly ErrorGroupRecord[];
    minutes: readonly ErrorMinuteRecord[];
    serviceUp: readonly RollupRecord[];
  },
  o: ErrorInsightOptions,
): ErrorInsights {
  const byKind = Object.fromEntries(ERROR_KINDS.map((k) => [k, 0])) as Record<ErrorKind, number>;
  const byPhase: Record<string, number> = {};
  let total = 0;
  for (const r of data.errorRollups) {
    total += r.count;
    if (r.key.name in byKind) byKind[r.key.name as ErrorKind] += r.count;
    const phase = r.key.phase === '' ? 'none' : r.key.phase;
    byPhase[phase] = (byPhase[phase] ?? 0) + r.count;
  }
  const counts = bucketCounts(data.minutes, o);
  const top = data.groups.slice(0, o.top ?? 10).map((g): GroupTrend => {
    const [first, second] = halves(data.minutes, g.fingerprint, o.from, o.to);
    return { ...g, buckets: counts.get(g.fingerprint) ?? [], trend: errorTrend(first, second) };
  });
  const correlations: GroupCorrelation[] = [];
  const active = top.filter((g) => g.buckets.filter((c) => c > 0).length >= 3);
  for (let i = 0; i < active.length; i++) {
    for (let j = i + 1; j < active.length; j++) {
      const r = pearson(active[i]!.buckets, active[j]!.buckets);
      if (r !== null && r >= (o.minCorrelation ?? 0.8)) {
        correlations.push({ a: active[i]!.fingerprint, b: active[j]!.fingerprint, r: round(r, 3) as number });
      }
    }
  }
  return {
    from: o.from,
    to: o.to,
    step: o.step,
    total,
    byKind,
    byPhase,
    top,
    newGroups: data.groups.filter((g) => g.firstSeen >= o.from && g.firstSeen < o.to),
    regressedGroups: regressed(data.groups, data.minutes, o),
    correlations: correlations.sort((a, b) => b.r - a.r),
    afterServiceDown: followers(data.serviceUp, data.minutes, o),
  };
}
