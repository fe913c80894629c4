import type { ApiEvent, Batch, VigilEvent } from '@vigil/schema';
import { validateBatch } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { PortalSimulator } from '../src/portal-simulator.js';
import type { SimulatorMode } from '../src/scenario.js';

/** Monday 6 January 2025, 12:00 UTC: mid-day traffic. */
const NOON = Date.UTC(2025, 0, 6, 12);

/** Drives `nextBatch` like a live sender: `count` events every `stepMillis` of simulated time. */
function drive(sim: PortalSimulator, from: number, minutes: number, count = 100, stepMillis = 500): Batch[] {
  const out: Batch[] = [];
  for (let now = from; now < from + minutes * 60_000; now += stepMillis) out.push(sim.nextBatch(count, now));
  return out;
}

const eventsOf = (batches: Batch[]): VigilEvent[] => batches.flatMap((b) => b.events);
const apis = (events: VigilEvent[]): ApiEvent[] => events.filter((e): e is ApiEvent => e.type === 'api');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

describe('PortalSimulator', () => {
  it('is deterministic for a seed', () => {
    const run = (seed: number) => JSON.stringify(drive(new PortalSimulator({ seed }), NOON, 1));
    expect(run(7)).toBe(run(7));
    expect(run(7)).not.toBe(run(8));
  });

  it('returns exactly count events inside the window, sorted by time', () => {
    const sim = new PortalSimulator({ seed: 2 });
    for (let i = 0; i < 50; i++) {
      const from = NOON + i * 2_000;
      const events = sim.nextEvents(137, from, from + 2_000);
      expect(events.length).toBe(137);
      const ts = events.map((e) => e.ts);
      expect(ts).toEqual([...ts].sort((a, b) => a - b));
      expect(Math.min(...ts)).toBeGreaterThanOrEqual(from);
      expect(Math.max(...ts)).toBeLessThanOrEqual(from + 2_000);
    }
  });

  it('produces only events that validateBatch accepts, for several seeds and modes', () => {
    const modes: (SimulatorMode | 'scheduled')[] = ['normal', 'error-burst', 'slow', 'scheduled'];
    let total = 0;
    for (const seed of [1, 2, 3]) {
      for (const mode of modes) {
        const sim = new PortalSimulator({ seed, users: 300 + seed });
        sim.setMode(mode);
        for (const batch of drive(sim, NOON + seed * 3_600_000, 2, 200)) {
          const result = validateBatch(JSON.parse(JSON.stringify(batch)), batch.sentAt);
          expect(result.rejected).toEqual([]);
          expect(result.events.length).toBe(batch.events.length);
          total += batch.events.length;
        }
      }
    }
    expect(total).toBeGreaterThan(100_000);
  });

  it('builds batches like an SDK: unique ids, one service, recent events, sentAt = now', () => {
    const sim = new PortalSimulator({ seed: 4, release: '2025.02.0' });
    const ids = new Set<string>();
    const services = new Set<string>();
    for (let now = NOON; now < NOON + 120_000; now += 500) {
      const batch = sim.nextBatch(100, now);
      ids.add(batch.batchId);
      services.add(`${batch.source.service}/${batch.source.platform}`);
      expect(batch.sentAt).toBe(now);
      expect(batch.source.environment).toBe('production');
      expect(batch.source.release).toBe('2025.02.0');
      expect(batch.source.sdk).toBe('@vigil/simulator/0.1.0');
      expect(batch.events.length).toBeGreaterThan(0);
      expect(batch.events.length).toBeLessThanOrEqual(100);
      for (const e of batch.events) {
        expect(e.ts).toBeLessThanOrEqual(now);
        expect(e.ts).toBeGreaterThanOrEqual(now - 11_000);
      }
    }
    expect(ids.size).toBe(240);
    expect([...services].sort()).toEqual(['portal-api/node', 'portal-web/browser']);
  });

  it('keeps the mean serialized event near 250 bytes', () => {
    const events = eventsOf(drive(new PortalSimulator({ seed: 5, scenario: 'normal' }), NOON, 30, 100, 1_000));
    const mean = events.reduce((n, e) => n + JSON.stringify(e).length, 0) / events.length;
    expect(mean).toBeGreaterThan(150);
    expect(mean).toBeLessThan(400);
  });

  it('reports four resource gauges per API host every 10 s of simulated time', () => {
    const sim = new PortalSimulator({ seed: 6, apiHosts: 3 });
    const events = sim.nextEvents(400, NOON, NOON + 59_999);
    const gauges = events.filter((e) => e.type === 'gauge' && e.host !== undefined);
    expect(gauges.length).toBe(3 * 6 * 4);
    const names = new Set(gauges.map((g) => (g.type === 'gauge' ? g.name : '')));
    expect([...names].sort()).toEqual(['cpu.percent', 'disk.percent', 'eventloop.delay_ms', 'memory.percent']);
    const hosts = new Set(gauges.map((g) => (g.type === 'gauge' ? g.host : '')));
    expect([...hosts].sort()).toEqual(['api-1', 'api-2', 'api-3']);
  });

  it('raises the error share in an error burst', () => {
    const share = (mode: SimulatorMode) => {
      const events = eventsOf(drive(new PortalSimulator({ seed: 9, scenario: mode }), NOON, 20));
      const api = apis(events);
      return {
        errors: events.filter((e) => e.type === 'error').length / events.length,
        server5xx: api.filter((a) => a.status >= 500).length / api.length,
      };
    };
    const normal = share('normal');
    const burst = share('error-burst');
    expect(normal.server5xx).toBeLessThan(0.015);
    expect(burst.server5xx).toBeGreaterThan(0.06);
    expect(burst.errors / normal.errors).toBeGreaterThan(5);
  });

  it('raises the API median about four times in a slow period', () => {
    const apiMedian = (mode: SimulatorMode) => {
      const sim = new PortalSimulator({ seed: 10 });
      sim.setMode(mode);
      const plain = apis(eventsOf(drive(sim, NOON, 20))).filter(
        (a) => a.status === 200 && a.method === 'GET' && !a.route.startsWith('/api/search'),
      );
      return median(plain.map((a) => a.durationMs));
    };
    const normal = apiMedian('normal');
    expect(normal).toBeGreaterThan(40);
    expect(normal).toBeLessThan(50);
    const ratio = apiMedian('slow') / normal;
    expect(ratio).toBeGreaterThan(3.5);
    expect(ratio).toBeLessThan(4.5);
  });

  it('follows the default schedule: a burst at minutes 15-18 of each hour', () => {
    const sim = new PortalSimulator({ seed: 1 });
    expect(sim.modeAt(NOON + 16 * 60_000)).toBe('error-burst');
    expect(sim.modeAt(NOON + 42 * 60_000)).toBe('slow');
    expect(sim.modeAt(NOON + 5 * 60_000)).toBe('normal');
    sim.setMode('slow');
    expect(sim.modeAt(NOON + 16 * 60_000)).toBe('slow');
    sim.setMode('scheduled');
    expect(sim.modeAt(NOON + 16 * 60_000)).toBe('error-burst');
  });

  it('simulates the portal journeys with the rates of the spec', () => {
    const sim = new PortalSimulator({ seed: 12, scenario: 'normal' });
    const events: VigilEvent[] = [];
    for (const batch of sim.batchesFor(NOON, NOON + 2 * 3_600_000, { eventsPerSecond: 80, followLoadCurve: false })) {
      events.push(...batch.events);
    }
    const count = (pred: (e: VigilEvent) => boolean) => events.filter(pred).length;
    const action = (name: string) => count((e) => e.type === 'action' && e.name === name);
    const sessions = count((e) => e.type === 'session' && e.action === 'start');
    const logins = count((e) => e.type === 'api' && e.route === '/api/auth/login');
    const authFailures = count((e) => e.type === 'error' && e.kind === 'auth' && e.message === 'invalid_credentials');
    expect(authFailures).toBe(count((e) => e.type === 'api' && e.route === '/api/auth/login' && e.status === 401));
    expect(authFailures / logins).toBeGreaterThan(0.025);
    expect(authFailures / logins).toBeLessThan(0.055);
    expect(action('video_complete') / action('video_start')).toBeGreaterThan(0.7);
    expect(action('video_complete') / action('video_start')).toBeLessThan(0.9);
    expect(action('pwa_install') / sessions).toBeGreaterThan(0.03);
    expect(action('pwa_install') / sessions).toBeLessThan(0.07);
    const ratings = events.flatMap((e) => (e.type === 'rating' ? [e.score] : []));
    expect(ratings.length / sessions).toBeGreaterThan(0.02);
    expect(ratings.length / sessions).toBeLessThan(0.04);
    const meanScore = ratings.reduce((a, b) => a + b, 0) / ratings.length;
    expect(meanScore).toBeGreaterThan(4.2);
    expect(meanScore).toBeLessThan(4.6);
    const gauge = (name: string) =>
      events.reduce((n, e) => n + (e.type === 'gauge' && e.name === name ? e.value : 0), 0);
    const hitRate = gauge('cache.hits') / (gauge('cache.hits') + gauge('cache.misses'));
    expect(hitRate).toBeGreaterThan(0.83);
    expect(hitRate).toBeLessThan(0.87);
    const videoLoad = events.flatMap((e) => (e.type === 'timing' && e.name === 'video_load' ? [e.durationMs] : []));
    expect(median(videoLoad)).toBeGreaterThan(270);
    expect(median(videoLoad)).toBeLessThan(330);
    const api = apis(events);
    const share4xx = api.filter((a) => a.status >= 400 && a.status < 500).length / api.length;
    expect(share4xx).toBeGreaterThan(0.015);
    expect(share4xx).toBeLessThan(0.035);
    for (const e of events) {
      if (e.type === 'api')
        expect(e.route).toMatch(
          /^\/api\/(auth\/login|courses(\/\d+(\/lessons(\/\d+)?)?)?(\?page=\d)?|progress|search\?q=.+)$/,
        );
      if (e.type === 'action' || e.type === 'timing') expect(e.phase).toMatch(/^(auth|content|pwa)$/);
    }
  });

  it('reports each session end with its duration from start to end', () => {
    const sim = new PortalSimulator({ seed: 13 });
    const starts = new Map<string, number>();
    let ends = 0;
    for (let now = NOON; now < NOON + 90 * 60_000; now += 1_000) {
      for (const e of sim.nextEvents(60, now - 1_000, now)) {
        if (e.type !== 'session' || e.sessionId === undefined) continue;
        if (e.action === 'start') starts.set(e.sessionId, e.ts);
        const start = starts.get(e.sessionId);
        if (e.action === 'end' && start !== undefined) {
          expect(e.durationMs).toBe(e.ts - start);
          ends++;
        }
      }
    }
    expect(ends).toBeGreaterThan(100);
  });

  it('follows the daily load curve in batchesFor', () => {
    const sim = new PortalSimulator({ seed: 14 });
    const day = Date.UTC(2025, 0, 7);
    const perHour = new Array<number>(24).fill(0);
    for (const batch of sim.batchesFor(day, day + 86_400_000, { eventsPerSecond: 5 })) {
      for (const e of batch.events)
        perHour[new Date(e.ts).getUTCHours()] = (perHour[new Date(e.ts).getUTCHours()] ?? 0) + 1;
      expect(batch.sentAt).toBeGreaterThanOrEqual(Math.max(...batch.events.map((e) => e.ts)));
    }
    expect((perHour[20] ?? 0) / (perHour[4] ?? 1)).toBeGreaterThan(5);
    expect((perHour[11] ?? 0) / (perHour[4] ?? 1)).toBeGreaterThan(3);
  });
});
