import type { RollupRecord } from '../store/store.js';
import type { WindowData } from './load-window.js';
import type { WindowMeasures } from './measures.js';
import { meanOf, mergeDistribution, quantileOf, round } from './rollup-math.js';

/** A good/poor pair: at or better than `good` scores 100, at or worse than `poor` scores 0. */
export interface Band {
  good: number;
  poor: number;
}

/**
 * Linear score between a good and a poor value, 0–100; works for either direction
 * (`good < poor`: lower is better; `good > poor`: higher is better).
 *
 * @example
 * bandScore(550, { good: 100, poor: 1000 }); // 50
 * bandScore(77.5, { good: 85, poor: 70 }); // 50
 */
export function bandScore(value: number, band: Band): number {
  const t = (value - band.good) / (band.poor - band.good);
  return 100 * Math.min(1, Math.max(0, 1 - t));
}

/** Response time: the spec's 100 ms target and 1000 ms alert threshold (P95 of API calls). */
export const RESPONSE_BAND: Band = { good: 100, poor: 1000 };
/** Error rate %: the spec's < 1 % goal and its 5 % alert threshold. */
export const ERROR_RATE_BAND: Band = { good: 1, poor: 5 };
/** Availability %: the spec's 99.9 % target; 99 % (7 hours a month down) scores 0. */
export const AVAILABILITY_BAND: Band = { good: 99.9, poor: 99 };
/** Cache hit rate %: the spec's 85 % target and its 70 % minimum. */
export const CACHE_BAND: Band = { good: 85, poor: 70 };
/** web-vitals' good / poor thresholds, scored at the 75th percentile as web-vitals does. */
export const VITAL_BANDS: Readonly<Record<string, Band>> = {
  LCP: { good: 2500, poor: 4000 },
  INP: { good: 200, poor: 500 },
  CLS: { good: 0.1, poor: 0.25 },
  FCP: { good: 1800, poor: 3000 },
  TTFB: { good: 800, poor: 1800 },
};
/** Resource gauges (mean over the range): the spec's alert thresholds are poor, 20 points below good. */
export const RESOURCE_BANDS: Readonly<Record<string, Band>> = {
  'memory.percent': { good: 60, poor: 80 },
  'cpu.percent': { good: 60, poor: 80 },
  'disk.percent': { good: 65, poor: 85 },
};

/** Component weights; they sum to 1. */
export const SCORE_WEIGHTS = {
  responseTime: 0.25,
  errorRate: 0.2,
  availability: 0.2,
  webVitals: 0.15,
  resources: 0.1,
  cacheHitRate: 0.1,
} as const;

/** The inputs of the score beyond the KPI measures. */
export interface ScoreInputs {
  p95ResponseMillis: number | null;
  errorRate: number | null;
  availability: number | null;
  cacheHitRate: number | null;
  /** P75 per vital name (LCP, INP, CLS, FCP, TTFB). */
  vitalsP75: Record<string, number | null>;
  /** Mean per resource gauge name. */
  resourceMeans: Record<string, number | null>;
}

/** One component of the score. */
export interface ScoreComponent {
  key: keyof typeof SCORE_WEIGHTS;
  /** 0–100, or null when there was no data (the component is then excluded). */
  score: number | null;
  weight: number;
  /** The weight after renormalising over the components with data (0 when excluded). */
  effectiveWeight: number;
  /** The measured values behind the score. */
  inputs: Record<string, number | null>;
  note?: string;
}

/** What {@link computeScore} returns. */
export interface PerformanceScore {
  /** 0–100 (one decimal), or null when no component had data. */
  score: number | null;
  components: ScoreComponent[];
  /** Components left out for lack of data. */
  excluded: string[];
}

/** Mean of the band scores of the values that exist; null when none does. */
function meanBandScore(values: Record<string, number | null>, bands: Readonly<Record<string, Band>>): number | null {
  const scores = Object.entries(values).flatMap(([k, v]) => {
    const band = bands[k];
    return v === null || band === undefined ? [] : [bandScore(v, band)];
  });
  return scores.length === 0 ? null : scores.reduce((a, b) => a + b, 0) / scores.length;
}

/**
 * The performance score: a weighted mean of six components, each 0–100 by linear interpolation
 * between its good and poor values. Web vitals average their five vitals; resources take the
 * worst of memory, CPU and disk (the tightest resource is what hurts). A component without data
 * is excluded and the other weights are renormalised to sum to 1.
 *
 * @example
 * computeScore({ p95ResponseMillis: 550, errorRate: 1, availability: 99.9, cacheHitRate: null,
 *   vitalsP75: {}, resourceMeans: {} }).score; // 80.8 = (50·.25 + 100·.2 + 100·.2) / .65
 */
export function computeScore(inputs: ScoreInputs): PerformanceScore {
  const resources = Object.entries(inputs.resourceMeans).flatMap(([k, v]) => {
    const band = RESOURCE_BANDS[k];
    return v === null || band === undefined ? [] : [bandScore(v, band)];
  });
  const raw: Record<keyof typeof SCORE_WEIGHTS, { score: number | null; inputs: Record<string, number | null> }> = {
    responseTime: {
      score: inputs.p95ResponseMillis === null ? null : bandScore(inputs.p95ResponseMillis, RESPONSE_BAND),
      inputs: { p95ResponseMillis: inputs.p95ResponseMillis },
    },
    errorRate: {
      score: inputs.errorRate === null ? null : bandScore(inputs.errorRate, ERROR_RATE_BAND),
      inputs: { errorRate: inputs.errorRate },
    },
    availability: {
      score: inputs.availability === null ? null : bandScore(inputs.availability, AVAILABILITY_BAND),
      inputs: { availability: inputs.availability },
    },
    webVitals: { score: meanBandScore(inputs.vitalsP75, VITAL_BANDS), inputs: inputs.vitalsP75 },
    resources: { score: resources.length === 0 ? null : Math.min(...resources), inputs: inputs.resourceMeans },
    cacheHitRate: {
      score: inputs.cacheHitRate === null ? null : bandScore(inputs.cacheHitRate, CACHE_BAND),
      inputs: { cacheHitRate: inputs.cacheHitRate },
    },
  };
  const keys = Object.keys(SCORE_WEIGHTS) as (keyof typeof SCORE_WEIGHTS)[];
  const present = keys.filter((k) => raw[k].score !== null);
  const totalWeight = present.reduce((a, k) => a + SCORE_WEIGHTS[k], 0);
  const components = keys.map((key): ScoreComponent => {
    const { score, inputs: used } = raw[key];
    const c: ScoreComponent = {
      key,
      score: round(score, 1),
      weight: SCORE_WEIGHTS[key],
      effectiveWeight: score === null ? 0 : (round(SCORE_WEIGHTS[key] / totalWeight, 4) as number),
      inputs: Object.fromEntries(Object.entries(used).map(([k, v]) => [k, round(v)])),
    };
    if (score === null) c.note = 'no data in the range: excluded, the other weights renormalised';
    return c;
  });
  const total = present.reduce((a, k) => a + SCORE_WEIGHTS[k] * (raw[k].score as number), 0);
  return {
    score: present.length === 0 ? null : round(total / totalWeight, 1),
    components,
    excluded: keys.filter((k) => raw[k].score === null),
  };
}

/**
 * P75 of each vital (all pages) and the mean of each resource gauge, from a window's rollups.
 *
 * @example
 * vitalsAndResources(data.rollups.vital, data.rollups.gauge).vitalsP75.LCP; // 2310
 */
export function vitalsAndResources(
  vitals: readonly RollupRecord[],
  gauges: readonly RollupRecord[],
): Pick<ScoreInputs, 'vitalsP75' | 'resourceMeans'> {
  const vitalsP75: Record<string, number | null> = {};
  for (const name of Object.keys(VITAL_BANDS)) {
    vitalsP75[name] = quantileOf(
      mergeDistribution(vitals, (k) => k.name === name),
      0.75,
    );
  }
  const resourceMeans: Record<string, number | null> = {};
  for (const name of Object.keys(RESOURCE_BANDS)) resourceMeans[name] = meanOf(gauges, (k) => k.name === name);
  return { vitalsP75, resourceMeans };
}

/**
 * The score inputs of a window, from its measures and rollups.
 *
 * @example
 * computeScore(scoreInputs(measureWindow(data), data));
 */
export function scoreInputs(m: WindowMeasures, data: WindowData): ScoreInputs {
  return {
    p95ResponseMillis: m.p95ResponseMillis,
    errorRate: m.errorRate,
    availability: m.availability,
    cacheHitRate: m.cacheHitRate,
    ...vitalsAndResources(data.rollups.vital, data.rollups.gauge),
  };
}
