import type { HealthCheckRecord, HealthResultRecord, Store } from '../store/store.js';
import type { GaugeReading } from './gauge-recorder.js';
import { type ServiceState, type ServiceStatus, statusAfter } from './health-status.js';
import { createProbe as defaultCreateProbe } from './probes/create-probe.js';
import type { HealthProbe } from './probes/health-probe.js';

/** What the scheduler needs; built once in `buildApp`. */
export interface HealthSchedulerOptions {
  store: Store;
  /** Records `service.up` and `service.latency_ms` of one check (the gauge recorder). */
  recordGauges: (service: string, readings: GaugeReading[]) => Promise<void>;
  /** Results older than this are pruned (the detailed retention period). */
  retentionMillis: number;
  now: () => number;
  onError: (error: unknown) => void;
  /** Tests may substitute probes. */
  createProbe?: (check: HealthCheckRecord) => HealthProbe;
  /** How often the timer looks for due checks. Default 1,000 ms. */
  tickMillis?: number;
}

interface CheckState {
  check: HealthCheckRecord;
  probe: HealthProbe;
  failures: number;
  status: ServiceStatus;
  last: HealthResultRecord | null;
  nextRunAt: number;
  running: Promise<HealthResultRecord> | undefined;
}

const PRUNE_EVERY_MILLIS = 3_600_000;

/**
 * Runs every configured service check on its own interval with its timeout, tracks consecutive
 * failures (up → degraded → down after `retries`), stores each result and records
 * `service.up` (1/0) and `service.latency_ms` gauges under the check's name. The clock is
 * injected, and `runOnce()` / `runDue()` let tests drive it without timers.
 *
 * @example
 * const scheduler = new HealthScheduler({ store, recordGauges, retentionMillis, now: Date.now, onError });
 * await scheduler.load();
 * scheduler.start();
 */
export class HealthScheduler {
  readonly #states = new Map<string, CheckState>();
  readonly #createProbe: (check: HealthCheckRecord) => HealthProbe;
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #lastPrune = 0;

  constructor(private readonly options: HealthSchedulerOptions) {
    this.#createProbe = options.createProbe ?? defaultCreateProbe;
  }

  /** (Re)reads the checks from the store; an unchanged check keeps its state, a changed one restarts. */
  async load(): Promise<void> {
    const checks = await this.options.store.listHealthChecks();
    const names = new Set(checks.map((c) => c.name));
    for (const name of this.#states.keys()) if (!names.has(name)) this.#states.delete(name);
    const now = this.options.now();
    for (const check of checks) {
      const old = this.#states.get(check.name);
      if (old !== undefined && JSON.stringify(old.check) === JSON.stringify(check)) continue;
      this.#states.set(check.name, {
        check,
        probe: this.#createProbe(check),
        failures: 0,
        status: 'unknown',
        last: null,
        nextRunAt: now,
        running: undefined,
      });
    }
  }

  /** Every check's current status and last result, by name. */
  states(): ServiceState[] {
    return [...this.#states.values()]
      .map((s) => ({ name: s.check.name, kind: s.check.kind, status: s.status, last: s.last }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Runs the named checks (default: all) now and resolves with their results. */
  async runOnce(names?: string[]): Promise<HealthResultRecord[]> {
    const states = [...this.#states.values()].filter((s) => names === undefined || names.includes(s.check.name));
    return Promise.all(states.map((s) => this.#run(s)));
  }

  /** Runs the checks whose interval has elapsed, and prunes old results once an hour. */
  async runDue(): Promise<void> {
    const now = this.options.now();
    const due = [...this.#states.values()].filter((s) => s.running === undefined && s.nextRunAt <= now);
    await Promise.all(due.map((s) => this.#run(s)));
    if (now - this.#lastPrune >= PRUNE_EVERY_MILLIS) {
      this.#lastPrune = now;
      await this.options.store.pruneHealthResults(now - this.options.retentionMillis);
    }
  }

  start(): void {
    if (this.#timer !== undefined) return;
    const tick = () => {
      if (this.#ticking !== undefined) return;
      this.#ticking = this.runDue()
        .catch(this.options.onError)
        .finally(() => {
          this.#ticking = undefined;
        });
    };
    this.#timer = setInterval(tick, this.options.tickMillis ?? 1_000);
    this.#timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#ticking;
    await Promise.all([...this.#states.values()].map((s) => s.running));
  }

  #run(state: CheckState): Promise<HealthResultRecord> {
    // A check still running (slow target) is not started twice; callers share its result.
    if (state.running !== undefined) return state.running;
    const running = this.#execute(state).finally(() => {
      state.running = undefined;
    });
    state.running = running;
    return running;
  }

  async #execute(state: CheckState): Promise<HealthResultRecord> {
    const { check } = state;
    const started = this.options.now();
    state.nextRunAt = started + check.intervalMillis;
    const outcome = await state.probe.check(AbortSignal.timeout(check.timeoutMillis));
    // The check may have been replaced or removed while it ran; its result still counts for history.
    state.failures = outcome.ok ? 0 : state.failures + 1;
    state.status = statusAfter(state.failures, check.retries);
    const result: HealthResultRecord = {
      check: check.name,
      ts: started,
      ok: outcome.ok,
      latencyMillis: outcome.latencyMillis,
      status: state.status,
      detail: outcome.detail ?? null,
    };
    state.last = result;
    try {
      await this.options.store.appendHealthResults([result]);
      await this.options.recordGauges(check.name, [
        { name: 'service.up', value: outcome.ok ? 1 : 0, unit: 'bool' },
        { name: 'service.latency_ms', value: outcome.latencyMillis, unit: 'ms' },
      ]);
    } catch (e) {
      this.options.onError(e);
    }
    return result;
  }
}
