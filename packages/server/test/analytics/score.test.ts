import { describe, expect, it } from 'vitest';
import { bandScore, computeScore, SCORE_WEIGHTS, vitalsAndResources } from '../../src/analytics/score.js';
import { rollup } from './rollup-builders.js';

describe('bandScore', () => {
  it('interpolates linearly between good (100) and poor (0), either direction', () => {
    expect(bandScore(100, { good: 100, poor: 1000 })).toBe(100);
    expect(bandScore(50, { good: 100, poor: 1000 })).toBe(100);
    expect(bandScore(550, { good: 100, poor: 1000 })).toBe(50);
    expect(bandScore(1000, { good: 100, poor: 1000 })).toBe(0);
    expect(bandScore(5000, { good: 100, poor: 1000 })).toBe(0);
    expect(bandScore(77.5, { good: 85, poor: 70 })).toBe(50);
    expect(bandScore(90, { good: 85, poor: 70 })).toBe(100);
  });
});

describe('computeScore', () => {
  it('has weights summing to 1', () => {
    expect(Object.values(SCORE_WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('pins the formula on a worked example with every component', () => {
    const s = computeScore({
      p95ResponseMillis: 550, // 50
      errorRate: 3, // 50
      availability: 99.45, // 50
      cacheHitRate: 77.5, // 50
      vitalsP75: { LCP: 2500, INP: 500, CLS: null, FCP: null, TTFB: null }, // (100 + 0) / 2 = 50
      resourceMeans: { 'memory.percent': 70, 'cpu.percent': 50, 'disk.percent': 85 }, // min(50, 100, 0) = 0
    });
    // .25·50 + .2·50 + .2·50 + .15·50 + .1·0 + .1·50 = 45
    expect(s.score).toBe(45);
    expect(s.excluded).toEqual([]);
    expect(s.components.map((c) => [c.key, c.score, c.effectiveWeight])).toEqual([
      ['responseTime', 50, 0.25],
      ['errorRate', 50, 0.2],
      ['availability', 50, 0.2],
      ['webVitals', 50, 0.15],
      ['resources', 0, 0.1],
      ['cacheHitRate', 50, 0.1],
    ]);
  });

  it('excludes components without data and renormalises the weights', () => {
    const s = computeScore({
      p95ResponseMillis: 550,
      errorRate: 1,
      availability: 99.9,
      cacheHitRate: null,
      vitalsP75: {},
      resourceMeans: { 'memory.percent': null },
    });
    // (.25·50 + .2·100 + .2·100) / .65 = 80.77
    expect(s.score).toBe(80.8);
    expect(s.excluded).toEqual(['webVitals', 'resources', 'cacheHitRate']);
    expect(s.components.map((c) => c.effectiveWeight)).toEqual([0.3846, 0.3077, 0.3077, 0, 0, 0]);
    expect(s.components[5]).toMatchObject({
      score: null,
      note: 'no data in the range: excluded, the other weights renormalised',
    });
  });

  it('is null when there is no data at all', () => {
    const s = computeScore({
      p95ResponseMillis: null,
      errorRate: null,
      availability: null,
      cacheHitRate: null,
      vitalsP75: {},
      resourceMeans: {},
    });
    expect(s.score).toBeNull();
    expect(s.excluded).toHaveLength(6);
  });

  it('reads vitals at P75 and resources as means from rollups', () => {
    const { vitalsP75, resourceMeans } = vitalsAndResources(
      [rollup('vital', { name: 'CLS', phase: '/' }, [0.01, 0.02, 0.05, 0.4])],
      [rollup('gauge', { name: 'memory.percent' }, [60, 70, 80])],
    );
    // P75 of four values is the lower quantile at rank 2.25: the third value's bin, 0.05 within 2 %.
    expect(vitalsP75.CLS).toBeGreaterThan(0.049);
    expect(vitalsP75.CLS).toBeLessThan(0.051);
    expect(vitalsP75.LCP).toBeNull();
    expect(resourceMeans).toEqual({ 'memory.percent': 70, 'cpu.percent': null, 'disk.percent': null });
  });
});
