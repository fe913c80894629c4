import type { FastifyBaseLogger } from 'fastify';
import { LiveBus } from '../notify/live-bus.js';
import { OutboxDispatcher } from '../notify/outbox-dispatcher.js';
import type { Store } from '../store/store.js';
import { AlertEngine } from './alert-engine.js';
import type { AlertingConfig } from './alerting-config.js';

/**
 * The cluster-wide duty that evaluation, escalation, digests and delivery run under.
 *
 * @example
 * if (await store.tryAcquireLeadership(ALERTING_DUTY)) await engine.evaluate();
 */
export const ALERTING_DUTY = 'alerting';

/**
 * Alerting as the app runs it: the engine, the outbox dispatcher and the live bus, with the
 * evaluation timer (`intervalMillis`) and `kick()` for the pipeline to call after it folded new
 * data, so a breach is seen within a second of landing rather than at the next scrape.
 * Timer and kicks evaluate only while this node leads (`store.tryAcquireLeadership`): with
 * several nodes on one PostgreSQL database exactly one evaluates, escalates and delivers, and
 * another takes over when it stops or loses its connection. People's actions run on any node.
 *
 * @example
 * const alerting = await createAlerting({ store, config: config.alerting, project, log, now });
 * pipeline.onRun = () => alerting.kick();
 * alerting.start();
 */
export class AlertingRuntime {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #again = false;
  #stopped = true;
  /** Whether the last leadership check succeeded (for tests and logs). */
  leader = false;
  /** Evaluations this node has run from its timer and kicks. */
  evaluations = 0;
  /** How often the live stream sends a keep-alive comment (`alerting.streamHeartbeatMillis`). */
  streamHeartbeatMillis = 15_000;

  constructor(
    readonly engine: AlertEngine,
    readonly dispatcher: OutboxDispatcher,
    readonly bus: LiveBus,
    private readonly intervalMillis: number,
    private readonly log: FastifyBaseLogger,
    private readonly leadership: Pick<Store, 'tryAcquireLeadership' | 'releaseLeadership'>,
  ) {
    dispatcher.mayDeliver = () => this.#lead();
  }

  /** Checks leadership; logs when it changes hands. */
  async #lead(): Promise<boolean> {
    const leader = await this.leadership.tryAcquireLeadership(ALERTING_DUTY).catch(() => false);
    if (leader !== this.leader) {
      this.log.info({ leader }, leader ? 'this node now evaluates alerts' : 'another node evaluates alerts');
    }
    this.leader = leader;
    return leader;
  }

  start(): void {
    this.#stopped = false;
    this.#timer = setInterval(() => this.kick(), this.intervalMillis);
    this.#timer.unref();
    this.dispatcher.start();
    this.kick();
  }

  /** Asks for an evaluation soon; runs never overlap, and a kick during a run asks for one more. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#lead()
      .then(async (leader) => {
        if (!leader || this.#stopped) return;
        await this.engine.evaluate();
        this.evaluations++;
      })
      .catch((e: unknown) => this.log.error({ err: e }, 'alert evaluation failed; it will be retried'))
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.kick();
        }
      });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
    await this.dispatcher.stop();
    if (this.leader) await this.leadership.releaseLeadership(ALERTING_DUTY).catch(() => {});
    this.leader = false;
  }
}

/**
 * Builds alerting: applies the configured rules, channels and escalation to the store (config
 * wins at every start; the default rules are seeded on the first), then loads the engine.
 *
 * @example
 * const alerting = await createAlerting({ store, config: config.alerting, project: 'learning-portal', log, now: Date.now });
 */
export async function createAlerting(deps: {
  store: Store;
  config: AlertingConfig;
  project: string;
  log: FastifyBaseLogger;
  now: () => number;
}): Promise<AlertingRuntime> {
  const { store, config, now } = deps;
  const bus = new LiveBus();
  const engine = new AlertEngine({
    store,
    project: deps.project,
    bus,
    log: deps.log,
    allowPrivateTargets: config.allowPrivateTargets,
    now,
  });
  await engine.load();
  for (const rule of config.rules) await store.alerts.putDoc('rule', { id: rule.id, doc: { ...rule } }, now());
  for (const channel of config.channels)
    await store.alerts.putDoc('channel', { id: channel.name, doc: { ...channel } }, now());
  if (config.escalation !== null) await store.alerts.putSetting('escalation', JSON.stringify(config.escalation));
  await engine.load();
  const dispatcher = new OutboxDispatcher(store, () => engine.channels, config.delivery, deps.log, now);
  engine.dispatcher = dispatcher;
  const runtime = new AlertingRuntime(engine, dispatcher, bus, config.intervalMillis, deps.log, store);
  runtime.streamHeartbeatMillis = config.streamHeartbeatMillis;
  return runtime;
}
