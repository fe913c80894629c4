import type { FastifyBaseLogger } from 'fastify';
import { newId } from '../access/credentials.js';
import type { IncidentRecord } from '../store/incident-records.js';
import type { Store } from '../store/store.js';
import { DEFAULT_DETECTION, type DetectionOptions, detectSignals, type Signal } from './incident-detection.js';

/** What one detector run did. */
export interface DetectorRun {
  at: number;
  signals: Signal[];
  opened: IncidentRecord[];
  resolved: IncidentRecord[];
}

/**
 * Runs the incident detectors on an interval: reads the minute rollups of the last window and
 * baseline, opens an incident (source `detector`) with its evidence when a signal fires and no
 * unresolved incident has that signal, and resolves the detector's unresolved incidents whose
 * signal no longer fires. The store's one-unresolved-per-signal index makes a duplicate
 * impossible even if two servers run it. The clock is injected; tests call `runOnce(now)`.
 *
 * @example
 * const detector = new IncidentDetector(store, 'default', log, { intervalMillis: 60_000 });
 * detector.start();
 * await detector.runOnce(Date.now());
 */
export class IncidentDetector {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<DetectorRun | undefined> | undefined;
  readonly options: DetectionOptions;

  constructor(
    private readonly store: Store,
    private readonly project: string,
    private readonly log: FastifyBaseLogger,
    private readonly settings: { intervalMillis: number; detection?: Partial<DetectionOptions> },
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...DEFAULT_DETECTION, ...settings.detection };
  }

  start(): void {
    this.#timer = setInterval(() => void this.tick(), this.settings.intervalMillis);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }

  /** A timer run: failures are logged, and the next interval tries again. */
  private tick(): Promise<DetectorRun | undefined> {
    this.#running ??= this.runOnce(this.now())
      .catch((e: unknown) => {
        this.log.error({ err: e }, 'incident detection failed; it will be retried');
        return undefined;
      })
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }

  /** Evaluates every signal at `now` and opens or resolves incidents accordingly. */
  async runOnce(now: number): Promise<DetectorRun> {
    const o = this.options;
    const from = Math.floor((now - o.windowMillis - o.baselineMillis) / 60_000) * 60_000;
    const read = (metric: string) =>
      this.store.queryRollups({ project: this.project, metric, from, to: now, resolution: 'minute' });
    const [api, error, action, gauge] = await Promise.all([
      read('api'),
      read('error'),
      read('action'),
      this.store.queryRollups({
        project: this.project,
        metric: 'gauge',
        name: 'service.up',
        from,
        to: now,
        resolution: 'minute',
      }),
    ]);
    const signals = detectSignals({ api, error, action, gauge }, now, o);
    const unresolved = await this.store.listUnresolvedIncidents(this.project, 'detector');
    const openSignals = new Set(unresolved.map((i) => i.signal));
    const firing = new Map(signals.filter((s) => s.firing).map((s) => [s.signal, s]));
    const opened: IncidentRecord[] = [];
    for (const s of firing.values()) {
      if (openSignals.has(s.signal)) continue;
      const created = await this.store.createIncident(
        {
          id: newId(),
          project: this.project,
          title: s.title,
          severity: s.severity,
          source: 'detector',
          signal: s.signal,
          openedAt: now,
          evidence: s.evidence,
        },
        `Opened by the detector: ${s.title}`,
      );
      if (created !== null) opened.push(created);
    }
    const resolved: IncidentRecord[] = [];
    for (const incident of unresolved) {
      if (firing.has(incident.signal)) continue;
      const evidence = signals.find((s) => s.signal === incident.signal)?.evidence;
      const done = await this.store.transitionIncident({
        id: incident.id,
        status: 'resolved',
        at: now,
        message: 'Resolved by the detector: the signal recovered',
        ...(evidence === undefined ? {} : { data: evidence }),
      });
      if (done !== null) resolved.push(done);
    }
    if (opened.length + resolved.length > 0) {
      this.log.info(
        { opened: opened.map((i) => i.signal), resolved: resolved.map((i) => i.signal) },
        'incidents changed',
      );
    }
    return { at: now, signals, opened, resolved };
  }
}
