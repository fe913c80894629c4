import { type Batch, type BatchSource, LIMITS, type Platform, type VigilEvent } from '@vigil/schema';
import { type ApiHost, hostGauges } from './host-gauges.js';
import { Rng } from './rng.js';
import {
  dailyLoadFactor,
  hourlyEpisodes,
  MODE_EFFECTS,
  type ModeEffects,
  type Scenario,
  type SimulatorMode,
} from './scenario.js';
import { type EventRole, type JourneyContext, SessionJourney } from './session-journey.js';
import { SessionQueue, type SimSession } from './session-queue.js';

/**
 * The `sdk` field of every batch the simulator builds, so stored data shows it is simulated.
 *
 * @example
 * batch.source.sdk === SIMULATOR_SDK;
 */
export const SIMULATOR_SDK = '@vigil/simulator/0.1.0';

/** A service the simulator reports as. `role` defaults to `client` for browsers, `server` otherwise. */
export interface SimulatedService {
  name: string;
  platform: Platform;
  role?: EventRole;
}

/**
 * The learning portal's two services: the browser app and its API.
 *
 * @example
 * new PortalSimulator({ services: DEFAULT_SERVICES });
 */
export const DEFAULT_SERVICES: readonly SimulatedService[] = [
  { name: 'portal-web', platform: 'browser' },
  { name: 'portal-api', platform: 'node' },
];

/**
 * Options of {@link PortalSimulator}. Every default gives a realistic portal.
 *
 * @example
 * const options: PortalSimulatorOptions = { seed: 3, users: 500, scenario: 'normal', apiHosts: 3 };
 */
export interface PortalSimulatorOptions {
  /** Seed of the generator; the same seed and calls give the same events (default 1). */
  seed?: number;
  /** Size of the pseudonymous user pool, ids `u-000001`… (default 5,000). */
  users?: number;
  /** Services to report as (default {@link DEFAULT_SERVICES}). */
  services?: readonly SimulatedService[];
  /** `source.environment` of every batch (default `production`). */
  environment?: string;
  /** `source.release` of every batch (default `2025.01.2`). */
  release?: string;
  /** The mode over simulated time, or one fixed mode (default {@link hourlyEpisodes}()). */
  scenario?: Scenario | SimulatorMode;
  /** Number of `portal-api` hosts reporting resource gauges (default 2). */
  apiHosts?: number;
  /** Simulated time between two gauge reports of one host (default 10,000 ms). */
  gaugeIntervalMillis?: number;
  /** `nextBatch` sends a service's pending events once the oldest is this old (default 5,000 ms). */
  flushIntervalMillis?: number;
  /** Offset of the portal's local time from UTC, for the daily load curve (default 0). */
  utcOffsetHours?: number;
}

/** Options of {@link PortalSimulator.batchesFor}. */
export interface BatchesForOptions {
  /** Event rate at the daily peak (or always, without the load curve). */
  eventsPerSecond: number;
  /** Most events per batch (default 500). */
  batchSize?: number;
  /** Simulated time covered by one round of batches (default 5,000 ms). */
  stepMillis?: number;
  /** Scale the rate by {@link dailyLoadFactor} (default true). */
  followLoadCurve?: boolean;
}

interface Tagged {
  service: number;
  event: VigilEvent;
}

/**
 * Generates the traffic of the learning portal as wire protocol v1 events: tab sessions that
 * sign in, browse the catalogue, watch lessons, install the PWA and rate the portal, plus the
 * API hosts' resource gauges. Time is whatever the caller passes, so a day of traffic takes
 * seconds to produce; modes (normal, error burst, slow) follow the scenario or {@link setMode}.
 *
 * @example
 * const sim = new PortalSimulator({ seed: 7, users: 2_000 });
 * const batch = sim.nextBatch(200, Date.now()); // one service's events of the last seconds
 * sim.setMode('error-burst'); // force a breach for a demo or test
 */
export class PortalSimulator {
  private readonly rng: Rng;
  private readonly users: number;
  private readonly services: readonly SimulatedService[];
  private readonly sources: BatchSource[];
  private readonly clientServices: number[];
  private readonly hosts: (ApiHost & { nextTick: number })[];
  private readonly scenario: Scenario;
  private readonly gaugeInterval: number;
  private readonly flushInterval: number;
  private readonly utcOffsetHours: number;
  private readonly queue = new SessionQueue();
  private readonly outboxes: VigilEvent[][];
  private readonly batchPrefix: string;
  private forced: SimulatorMode | undefined;
  private batchCount = 0;
  private sessionSeq = 0;
  private lastNow: number | undefined;

  constructor(options: PortalSimulatorOptions = {}) {
    this.rng = new Rng(options.seed ?? 1);
    this.users = Math.max(1, Math.floor(options.users ?? 5_000));
    this.services = options.services && options.services.length > 0 ? options.services : DEFAULT_SERVICES;
    const release = options.release ?? '2025.01.2';
    this.sources = this.services.map((s) => ({
      service: s.name,
      environment: options.environment ?? 'production',
      release,
      platform: s.platform,
      sdk: SIMULATOR_SDK,
    }));
    const roleOf = (s: SimulatedService): EventRole => s.role ?? (s.platform === 'browser' ? 'client' : 'server');
    const indexes = (role: EventRole): number[] => {
      const found = this.services.flatMap((s, i) => (roleOf(s) === role ? [i] : []));
      return found.length > 0 ? found : [0];
    };
    this.clientServices = indexes('client');
    const serverServices = indexes('server');
    this.gaugeInterval = options.gaugeIntervalMillis ?? 10_000;
    this.flushInterval = options.flushIntervalMillis ?? 5_000;
    this.utcOffsetHours = options.utcOffsetHours ?? 0;
    this.hosts = Array.from({ length: Math.max(0, options.apiHosts ?? 2) }, (_, index) => ({
      host: `api-${index + 1}`,
      sessionId: this.rng.uuid(),
      serviceIndex: serverServices[index % serverServices.length] ?? 0,
      phaseMillis: Math.floor((index * 3_337) % this.gaugeInterval),
      index,
      nextTick: Number.NEGATIVE_INFINITY,
    }));
    const scenario = options.scenario ?? hourlyEpisodes();
    this.scenario = typeof scenario === 'string' ? () => scenario : scenario;
    this.outboxes = this.services.map(() => []);
    this.batchPrefix = `sim-${this.rng.hex(10)}-`;
  }

  /** Forces a mode from now on, or `'scheduled'` to follow the scenario again. */
  setMode(mode: SimulatorMode | 'scheduled'): void {
    this.forced = mode === 'scheduled' ? undefined : mode;
  }

  /** The mode in force at a simulated instant. */
  modeAt(ts: number): SimulatorMode {
    return this.forced ?? this.scenario(ts);
  }

  /** Tab sessions in progress. */
  get activeSessions(): number {
    return this.queue.size;
  }

  /**
   * Exactly `count` events with timestamps in `[fromTs, toTs]`, sorted by time, from all
   * services. Host gauges due in the window come first, up to half of `count`.
   */
  nextEvents(count: number, fromTs: number, toTs: number): VigilEvent[] {
    return this.generate(count, fromTs, toTs).map((t) => t.event);
  }

  /**
   * One batch of at most `count` events for one service, stamped `sentAt: now`. Each call
   * generates the events since the previous call (at most five seconds' worth), keeps them
   * per service, and returns the service whose events are due: a full batch, or events older
   * than `flushIntervalMillis`, like an SDK's flush timer.
   */
  nextBatch(count: number, now: number): Batch {
    const size = Math.max(1, Math.min(Math.floor(count), LIMITS.maxEventsPerBatch));
    let index = this.dueOutbox(size, now);
    if (index === undefined) {
      const from = Math.min(now, Math.max(this.lastNow ?? now - 1_000, now - 5_000));
      this.lastNow = now;
      for (const t of this.generate(size, from, now)) this.outboxes[t.service]?.push(t.event);
      index = this.dueOutbox(size, now) ?? this.fullestOutbox();
    }
    const events = (this.outboxes[index] ?? []).splice(0, size);
    return this.batch(index, events, now);
  }

  /**
   * Batches covering simulated time `[fromTs, toTs)`, step by step, following the daily load
   * curve: the way to fill a store with a day of traffic in seconds.
   *
   * @example
   * for (const batch of sim.batchesFor(dayStart, dayStart + 86_400_000, { eventsPerSecond: 50 })) {
   *   await store.write(batch);
   * }
   */
  *batchesFor(fromTs: number, toTs: number, options: BatchesForOptions): Generator<Batch, void, void> {
    const step = Math.max(1, options.stepMillis ?? 5_000);
    const size = Math.max(1, Math.min(options.batchSize ?? 500, LIMITS.maxEventsPerBatch));
    let carry = 0;
    for (let t = fromTs; t < toTs; t += step) {
      const end = Math.min(t + step, toTs);
      const load = options.followLoadCurve === false ? 1 : dailyLoadFactor(t, this.utcOffsetHours);
      const exact = options.eventsPerSecond * load * ((end - t) / 1000) + carry;
      const n = Math.floor(exact);
      carry = exact - n;
      if (n === 0) continue;
      const byService: VigilEvent[][] = this.services.map(() => []);
      for (const e of this.generate(n, t, end - 1)) byService[e.service]?.push(e.event);
      for (const [index, events] of byService.entries()) {
        for (let i = 0; i < events.length; i += size) yield this.batch(index, events.slice(i, i + size), end);
      }
    }
  }

  private generate(count: number, fromTs: number, toTs: number): Tagged[] {
    if (!(toTs >= fromTs)) throw new RangeError(`toTs (${toTs}) must not be before fromTs (${fromTs})`);
    const wanted = Math.max(0, Math.floor(count));
    const out: Tagged[] = this.gauges(Math.floor(wanted / 2), fromTs, toTs);
    const queue = this.queue;
    while (out.length < wanted) {
      const top = queue.peek();
      if (top === undefined || top.pending.event.ts > toTs) {
        queue.push(this.startSession(this.rng.uniform(fromTs, toTs)));
        continue;
      }
      queue.pop();
      if (top.pending.event.ts < fromTs) {
        // The session is behind the window (the caller asked for fewer events than it had):
        // its user idled, so its timeline moves forward as a whole.
        const delta = Math.round(this.rng.uniform(fromTs, toTs)) - top.pending.event.ts;
        const event = top.pending.event;
        top.ctx.clock += delta;
        event.ts += delta;
        if (event.type === 'session' && event.durationMs !== undefined) event.durationMs += delta;
        queue.push(top);
        continue;
      }
      const { role, event } = top.pending;
      out.push({ service: role === 'client' ? top.service : this.serverService(event), event });
      const next = top.journey.next();
      if (!next.done) {
        top.pending = next.value;
        queue.push(top);
      }
    }
    return out.sort((a, b) => a.event.ts - b.event.ts);
  }

  private gauges(budget: number, fromTs: number, toTs: number): Tagged[] {
    const out: Tagged[] = [];
    for (const host of this.hosts) {
      const aligned =
        fromTs + ((((host.phaseMillis - fromTs) % this.gaugeInterval) + this.gaugeInterval) % this.gaugeInterval);
      let tick = Math.max(host.nextTick, aligned);
      for (; tick <= toTs; tick += this.gaugeInterval) {
        if (out.length + 4 > budget) continue;
        const fx = this.effects(tick);
        const load = dailyLoadFactor(tick, this.utcOffsetHours);
        for (const event of hostGauges(this.rng, host, tick, fx, load)) out.push({ service: host.serviceIndex, event });
      }
      host.nextTick = tick;
    }
    return out;
  }

  private startSession(startTs: number): SimSession {
    const rng = this.rng;
    const userIndex = Math.floor(this.users * rng.next() ** 2) + 1;
    const width = Math.max(6, String(this.users).length);
    const ctx: JourneyContext = {
      rng,
      sessionId: rng.uuid(),
      userId: `u-${String(userIndex).padStart(width, '0')}`,
      clock: Math.round(startTs),
      effects: (ts) => this.effects(ts),
      pickHost: () => {
        const host = this.hosts.length > 0 ? rng.pick(this.hosts) : undefined;
        return host ? { host: host.host, sessionId: host.sessionId } : { host: 'api-1', sessionId: ctx.sessionId };
      },
    };
    const journey = new SessionJourney(ctx).run();
    const first = journey.next();
    if (first.done) throw new Error('a session journey must yield its start event');
    return { seq: this.sessionSeq++, ctx, journey, pending: first.value, service: rng.pick(this.clientServices) };
  }

  private serverService(event: VigilEvent): number {
    const host = this.hosts.find((h) => h.sessionId === event.sessionId);
    return host?.serviceIndex ?? this.hosts[0]?.serviceIndex ?? 0;
  }

  private effects(ts: number): ModeEffects {
    return MODE_EFFECTS[this.modeAt(ts)];
  }

  private dueOutbox(size: number, now: number): number | undefined {
    let best: number | undefined;
    let bestTs = Number.POSITIVE_INFINITY;
    for (const [i, box] of this.outboxes.entries()) {
      const oldest = box[0]?.ts;
      if (oldest === undefined) continue;
      if ((box.length >= size || oldest <= now - this.flushInterval) && oldest < bestTs) {
        best = i;
        bestTs = oldest;
      }
    }
    return best;
  }

  private fullestOutbox(): number {
    let best = 0;
    for (const [i, box] of this.outboxes.entries()) if (box.length > (this.outboxes[best]?.length ?? 0)) best = i;
    return best;
  }

  private batch(serviceIndex: number, events: VigilEvent[], sentAt: number): Batch {
    const source = this.sources[serviceIndex] ?? this.sources[0];
    if (source === undefined) throw new Error('the simulator has no service');
    this.batchCount++;
    return {
      batchId: `${this.batchPrefix}${this.batchCount.toString(36).padStart(6, '0')}`,
      sentAt,
      source: { ...source },
      events,
    };
  }
}
