import type { FastifyBaseLogger } from 'fastify';
import { newId } from '../access/credentials.js';
import type { ChannelConfig } from '../notify/channel-config.js';
import { validateChannel } from '../notify/channel-config.js';
import { createChannel } from '../notify/create-channel.js';
import type { LiveBus } from '../notify/live-bus.js';
import { type Notification, type NotificationChannel, summarize } from '../notify/notification.js';
import type { OutboxDispatcher } from '../notify/outbox-dispatcher.js';
import type { AlertChange, AlertRecord, NewOutboxEntry } from '../store/alert-records.js';
import type { Store } from '../store/store.js';
import { type AlertAction, applyAction, fingerprintOf, stepAlert, type Transition } from './alert-lifecycle.js';
import { type AlertRule, validateRule } from './alert-rule.js';
import { validateEscalation } from './alerting-config.js';
import { defaultRules, serviceDownRule } from './default-rules.js';
import {
  type DueNotification,
  defaultEscalation,
  digests,
  type EscalationConfig,
  escalate,
  followUps,
} from './escalation.js';
import { IncidentLinker } from './incident-linker.js';
import { evaluateRule, rollupQueryFor } from './rule-evaluation.js';

/** What the engine needs from the rest of the server. */
export interface AlertEngineDeps {
  store: Store;
  project: string;
  bus: LiveBus;
  log: FastifyBaseLogger;
  allowPrivateTargets: boolean;
  now: () => number;
}

/** What one evaluation changed. */
export interface EvaluationRun {
  at: number;
  changed: AlertRecord[];
  queued: number;
}

/**
 * The alerting pipeline's driver: rules → evaluation → lifecycle → correlation (incidents) →
 * escalation → durable outbox. The stages are pure (`rule-evaluation`, `alert-lifecycle`,
 * `correlation`, `escalation`); this class reads the store, runs them and writes each alert's
 * new state, history and notifications in one transaction, so a crash loses nothing that fired.
 * All changes pass through one queue, so evaluation and people's actions never interleave.
 *
 * @example
 * const engine = new AlertEngine(deps);
 * await engine.load();
 * await engine.evaluate(); // tests: at the injected clock's now
 */
export class AlertEngine {
  rules = new Map<string, AlertRule>();
  channelConfigs = new Map<string, ChannelConfig>();
  channels = new Map<string, NotificationChannel>();
  escalation: EscalationConfig = defaultEscalation();
  dispatcher: OutboxDispatcher | undefined;
  readonly #linker: IncidentLinker;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: AlertEngineDeps) {
    this.#linker = new IncidentLinker(deps.store, () => this.escalation.correlationWindowMillis);
  }

  /** Seeds the default rules on first start, then reads rules, channels and escalation from the store. */
  async load(): Promise<void> {
    const a = this.deps.store.alerts;
    if ((await a.getSetting('rules_seeded')) === null) {
      for (const r of defaultRules()) await a.putDoc('rule', { id: r.id, doc: { ...r } }, this.deps.now());
      await a.putSetting('rules_seeded', '1');
    }
    this.rules = new Map((await a.listDocs('rule')).map((d) => [d.id, validateRule(d.doc)]));
    this.channelConfigs = new Map((await a.listDocs('channel')).map((d) => [d.id, validateChannel(d.doc)]));
    this.channels = new Map(
      [...this.channelConfigs.values()].map((c) => [
        c.name,
        createChannel(c, { allowPrivateTargets: this.deps.allowPrivateTargets, bus: this.deps.bus }),
      ]),
    );
    const stored = await a.getSetting('escalation');
    this.escalation = stored === null ? defaultEscalation() : validateEscalation(JSON.parse(stored));
  }

  /** Runs `work` after every change queued before it. */
  serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => {});
    return run;
  }

  /** The enabled rules plus one service-down rule per health check. */
  async activeRules(): Promise<AlertRule[]> {
    const checks = await this.deps.store.listHealthChecks();
    return [...[...this.rules.values()].filter((r) => r.enabled), ...checks.map((c) => serviceDownRule(c.name))];
  }

  /** Evaluates every rule at `now` and moves alerts through their lifecycle, escalation and digests. */
  evaluate(now = this.deps.now()): Promise<EvaluationRun> {
    return this.serial(() => this.#evaluate(now));
  }

  async #evaluate(now: number): Promise<EvaluationRun> {
    const { store, project } = this.deps;
    const active = await store.alerts.listActiveAlerts(project);
    const byFingerprint = new Map(active.map((a) => [a.fingerprint, a]));
    const transitions: Transition[] = [];
    const rules = await this.activeRules();
    const seen = new Set<string>();
    for (const rule of rules) {
      const fingerprint = fingerprintOf(rule);
      seen.add(fingerprint);
      const records = await store.queryRollups(rollupQueryFor(rule, project, now));
      const t = stepAlert(
        byFingerprint.get(fingerprint) ?? null,
        rule,
        evaluateRule(rule, records, now),
        project,
        newId(),
        now,
      );
      if (t) transitions.push(t);
    }
    for (const a of active) {
      if (seen.has(a.fingerprint) || a.held) continue;
      const alert: AlertRecord = {
        ...a,
        status: a.status === 'dismissed' ? 'dismissed' : 'resolved',
        resolvedAt: now,
        updatedAt: now,
      };
      transitions.push({
        alert,
        events: [
          {
            alertId: a.id,
            ts: now,
            type: 'resolved',
            actor: 'system',
            message: 'Resolved: its rule was removed or disabled',
            data: null,
          },
        ],
        change: 'resolved',
      });
    }
    const changed = new Map(transitions.map((t) => [t.alert.id, t]));
    // Alerts whose state did not change still climb the escalation ladder.
    const idle = new Set<string>();
    for (const a of active) {
      if (changed.has(a.id) || a.status !== 'firing') continue;
      changed.set(a.id, { alert: a, events: [], change: null });
      idle.add(a.id);
    }
    const changes: AlertChange[] = [];
    const current = [...active.filter((a) => !changed.has(a.id)), ...[...changed.values()].map((t) => t.alert)];
    for (const t of changed.values()) {
      const change = await this.#advance(t, current, now, idle.has(t.alert.id));
      if (change) changes.push(change);
    }
    changes.push(...(await this.#digests(now)));
    await this.#commit(changes, transitions);
    return {
      at: now,
      changed: transitions.map((t) => t.alert),
      queued: changes.reduce((n, c) => n + c.outbox.length, 0),
    };
  }

  /** Correlation and escalation for one alert after its lifecycle step; null when nothing to write. */
  async #advance(t: Transition, current: AlertRecord[], now: number, idle: boolean): Promise<AlertChange | null> {
    let alert = t.alert;
    const events = [...t.events];
    if (
      alert.status === 'firing' &&
      alert.incidentId === null &&
      (alert.severity === 'critical' || alert.severity === 'high')
    ) {
      const linked = await this.#linker.link(alert, current, now);
      alert = linked.alert;
      events.push(...linked.events);
      if (linked.opened)
        this.deps.bus.publish({ type: 'incident', data: { event: 'opened', incident: linked.opened } });
    }
    const due: DueNotification[] = [];
    if (t.change === 'resolved') {
      due.push(...followUps(alert, 'resolved'));
      const done = await this.#linker.settle(alert, current, now);
      if (done) this.deps.bus.publish({ type: 'incident', data: { event: 'resolved', incident: done } });
    }
    const climbed = escalate(alert, this.escalation, now);
    due.push(...climbed.due);
    if (climbed.step !== alert.escalationStep || climbed.due.length > 0) {
      const notified = [...new Set([...alert.notified, ...climbed.due.map((d) => d.destination)])].sort();
      alert = { ...alert, escalationStep: climbed.step, notified, updatedAt: now };
      for (const d of climbed.due) {
        events.push({
          alertId: alert.id,
          ts: now,
          type: 'notified',
          actor: 'system',
          message: `Escalation step ${d.step}: queued for ${d.destination}`,
          data: { dedupeKey: d.dedupeKey },
        });
      }
    }
    if (idle && alert === t.alert && events.length === 0 && due.length === 0) return null;
    return { alert, events, outbox: due.map((d) => this.#entry(alert, d, now)) };
  }

  #entry(alert: AlertRecord, d: DueNotification, now: number): NewOutboxEntry {
    const payload: Notification = {
      version: 1,
      id: d.dedupeKey,
      kind: d.kind,
      project: alert.project,
      createdAt: now,
      step: d.step,
      alerts: [summarize(alert)],
    };
    return {
      dedupeKey: d.dedupeKey,
      destination: d.destination,
      alertId: alert.id,
      kind: d.kind,
      payload: payload as unknown as Record<string, unknown>,
      createdAt: now,
    };
  }

  async #digests(now: number): Promise<AlertChange[]> {
    const undigested = await this.deps.store.alerts.listUndigested(this.deps.project, now);
    const due = digests(undigested, this.escalation, now);
    if (due.length === 0) return [];
    const listed = new Map<string, AlertRecord>();
    for (const d of due) for (const a of d.alerts) listed.set(a.id, a);
    const changes: AlertChange[] = [...listed.values()].map((a) => ({
      alert: { ...a, digestedAt: now, updatedAt: now },
      events: [
        { alertId: a.id, ts: now, type: 'digested', actor: 'system', message: 'Listed in the digest', data: null },
      ],
      outbox: [],
    }));
    const first = changes[0] as AlertChange;
    for (const d of due) {
      const payload: Notification = {
        version: 1,
        id: d.dedupeKey,
        kind: 'digest',
        project: this.deps.project,
        createdAt: now,
        step: -1,
        alerts: d.alerts.map(summarize),
      };
      first.outbox.push({
        dedupeKey: d.dedupeKey,
        destination: d.destination,
        alertId: null,
        kind: 'digest',
        payload: payload as unknown as Record<string, unknown>,
        createdAt: now,
      });
    }
    return changes;
  }

  async #commit(changes: AlertChange[], transitions: Transition[]): Promise<void> {
    if (changes.length === 0) return;
    await this.deps.store.alerts.saveAlerts(changes);
    for (const t of transitions) {
      if (t.change !== null)
        this.deps.bus.publish({ type: 'alert', data: { event: t.change, alert: summarize(t.alert) } });
    }
    if (changes.some((c) => c.outbox.length > 0)) this.dispatcher?.kick();
  }

  /** Creates or replaces a rule (validated by the caller). */
  putRule(rule: AlertRule): Promise<void> {
    return this.serial(async () => {
      await this.deps.store.alerts.putDoc('rule', { id: rule.id, doc: { ...rule } }, this.deps.now());
      this.rules.set(rule.id, rule);
    });
  }

  /** Deletes a rule; false when none had this id. Its unresolved alert resolves at the next evaluation. */
  deleteRule(id: string): Promise<boolean> {
    return this.serial(async () => {
      this.rules.delete(id);
      return this.deps.store.alerts.deleteDoc('rule', id);
    });
  }

  /** Creates or replaces a channel (validated by the caller). */
  putChannel(config: ChannelConfig): Promise<void> {
    return this.serial(async () => {
      await this.deps.store.alerts.putDoc('channel', { id: config.name, doc: { ...config } }, this.deps.now());
      this.channelConfigs.set(config.name, config);
      this.channels.set(
        config.name,
        createChannel(config, { allowPrivateTargets: this.deps.allowPrivateTargets, bus: this.deps.bus }),
      );
    });
  }

  /** Deletes a channel; false when none had this name. Its queued notifications are given up. */
  deleteChannel(name: string): Promise<boolean> {
    return this.serial(async () => {
      this.channelConfigs.delete(name);
      this.channels.delete(name);
      return this.deps.store.alerts.deleteDoc('channel', name);
    });
  }

  /** Replaces the escalation matrix, contacts and correlation window (validated by the caller). */
  putEscalation(config: EscalationConfig): Promise<void> {
    return this.serial(async () => {
      await this.deps.store.alerts.putSetting('escalation', JSON.stringify(config));
      this.escalation = config;
    });
  }

  /** A person's action on an alert (acknowledge, dismiss, note, reopen, resolve); null when no such alert. */
  act(id: string, action: AlertAction, actor: string): Promise<AlertRecord | null> {
    return this.serial(async () => {
      const now = this.deps.now();
      const a = await this.deps.store.alerts.getAlert(id);
      if (a === null) return null;
      const t = applyAction(a, action, actor, now);
      const due =
        action.type === 'acknowledge'
          ? followUps(t.alert, 'acknowledged')
          : t.change === 'resolved'
            ? followUps(t.alert, 'resolved')
            : [];
      if (action.type === 'acknowledge') await this.#linker.acknowledge(t.alert, now);
      if (action.type === 'dismiss' || t.change === 'resolved') {
        await this.#linker.settle(t.alert, await this.deps.store.alerts.listActiveAlerts(a.project), now);
      }
      const change: AlertChange = {
        alert: t.alert,
        events: t.events,
        outbox: due.map((d) => this.#entry(t.alert, d, now)),
      };
      await this.deps.store.alerts.saveAlerts([change]);
      this.deps.bus.publish({
        type: 'alert',
        data: { event: t.events[0]?.type ?? action.type, alert: summarize(t.alert) },
      });
      if (change.outbox.length > 0) this.dispatcher?.kick();
      return t.alert;
    });
  }

  /** Opens an incident by hand from any alert; null when no such alert. */
  openIncident(id: string, actor: string): Promise<AlertRecord | null> {
    return this.serial(async () => {
      const now = this.deps.now();
      const a = await this.deps.store.alerts.getAlert(id);
      if (a === null) return null;
      const linked = await this.#linker.link(a, [], now, true);
      for (const e of linked.events) e.actor = actor;
      await this.deps.store.alerts.saveAlerts([{ alert: linked.alert, events: linked.events, outbox: [] }]);
      if (linked.opened)
        this.deps.bus.publish({ type: 'incident', data: { event: 'opened', incident: linked.opened } });
      return linked.alert;
    });
  }
}
