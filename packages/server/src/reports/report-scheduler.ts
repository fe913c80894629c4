import type { FastifyBaseLogger } from 'fastify';
import type { AuditLog } from '../access/audit-log.js';
import type { Notification } from '../notify/notification.js';
import type { Store } from '../store/store.js';
import type { ArchivedReport, ReportArchive } from './report-archive.js';
import type { ReportService } from './report-service.js';

/** Config `reports.schedules[]`: a report mailed every day, week or month. */
export interface ReportSchedule {
  /** Lowercase letters, digits and `-`; names the kept files. */
  name: string;
  kind: string;
  every: 'daily' | 'weekly' | 'monthly';
  format: 'pdf' | 'csv' | 'json';
  /** An email channel of `alerting.channels`: its server and sender (and recipients, unless `recipients`). */
  channel: string;
  recipients: string[];
}

const DAY = 86_400_000;

/**
 * The last complete period of a schedule at `now`, in UTC: yesterday, last week (Monday to
 * Monday) or last month.
 *
 * @example
 * lastPeriod('weekly', Date.UTC(2026, 10, 25, 9)); // { from: Date.UTC(2026, 10, 16), to: Date.UTC(2026, 10, 23) }
 */
export function lastPeriod(every: ReportSchedule['every'], now: number): { from: number; to: number } {
  const day = Math.floor(now / DAY);
  if (every === 'daily') return { from: (day - 1) * DAY, to: day * DAY };
  if (every === 'weekly') {
    // 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays.
    const monday = (day - ((day + 3) % 7)) * DAY;
    return { from: monday - 7 * DAY, to: monday };
  }
  const d = new Date(now);
  return {
    from: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1),
    to: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1),
  };
}

/**
 * Scheduled reports. Each run, for every schedule whose last complete period has no report yet:
 * builds it (through the same service as the API), keeps the file in the archive, queues the
 * mail in the alerting outbox (dedupe key per schedule, period and channel, so a repeat run or
 * a second server queues nothing new; the outbox delivers at least once) and audits it (actor
 * `system`). A run after a crash finds the kept file and queues it again (the dedupe key drops
 * the repeat). Clock-driven: `start()` runs every minute, tests call `runDue(now)`.
 *
 * @example
 * const scheduler = new ReportScheduler({ schedules, reports, archive, store, audit, project, log, now: Date.now });
 * await scheduler.runDue(Date.UTC(2026, 10, 23, 0, 1)); // the weekly report of Nov 16–23
 */
export class ReportScheduler {
  readonly #done = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(
    private readonly o: {
      schedules: readonly ReportSchedule[];
      reports: ReportService;
      archive: ReportArchive;
      store: Store;
      audit: AuditLog;
      project: string;
      log: FastifyBaseLogger;
      now: () => number;
      intervalMillis?: number;
    },
  ) {}

  start(): void {
    if (this.o.schedules.length === 0) return;
    this.#timer = setInterval(() => {
      this.#running ??= this.runDue(this.o.now())
        .catch((e: unknown) => this.o.log.error({ err: e }, 'scheduled reports failed; they will be retried'))
        .finally(() => {
          this.#running = undefined;
        });
    }, this.o.intervalMillis ?? 60_000);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }

  /** Generates and queues every report due at `now`; returns the ids it queued. */
  async runDue(now: number): Promise<string[]> {
    const queued: string[] = [];
    for (const s of this.o.schedules) {
      const period = lastPeriod(s.every, now);
      const id = `${s.name}-${period.from}`;
      if (this.#done.has(id)) continue;
      const kept = (await this.o.archive.get(id)) ?? (await this.#generate(s, id, period, now));
      await this.#queue(s, kept.meta, kept.body, now);
      this.#done.add(id);
      queued.push(id);
    }
    return queued;
  }

  async #generate(s: ReportSchedule, id: string, period: { from: number; to: number }, now: number) {
    const out = await this.o.reports.generate({
      kind: s.kind,
      project: this.o.project,
      ...period,
      format: s.format,
      now,
    });
    const meta: ArchivedReport = {
      id,
      schedule: s.name,
      kind: s.kind,
      format: s.format,
      from: out.report.range.from,
      to: out.report.range.to,
      generatedAt: now,
      fileName: out.fileName,
      contentType: out.contentType,
      bytes: out.body.length,
    };
    await this.o.archive.put(meta, out.body);
    return { meta, body: out.body };
  }

  async #queue(s: ReportSchedule, meta: ArchivedReport, body: Buffer, now: number): Promise<void> {
    const dedupeKey = `report:${meta.id}:${s.channel}`;
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const notification: Notification = {
      version: 1,
      id: dedupeKey,
      kind: 'report',
      project: this.o.project,
      createdAt: now,
      step: -1,
      alerts: [],
      report: {
        subject: `[Vigil] ${s.every} ${s.kind} report, ${day(meta.from)} to ${day(meta.to)}`,
        text: `The ${s.every} ${s.kind} report of project ${this.o.project} for ${day(meta.from)} 00:00 to ${day(meta.to)} 00:00 UTC is attached (${meta.fileName}).\nIt is also kept for download: GET /api/v1/reports/archive/${meta.id}\n`,
        recipients: s.recipients,
        fileName: meta.fileName,
        contentType: meta.contentType.split(';')[0] as string,
        contentBase64: body.toString('base64'),
      },
    };
    const auditId = await this.o.audit.begin({
      actor: 'system',
      role: '',
      action: 'report schedule send',
      target: `report:${meta.id}`,
      result: 'pending',
      status: 0,
      ip: '',
      userAgent: 'vigil-report-scheduler',
    });
    try {
      await this.o.store.alerts.enqueueOutbox([
        {
          dedupeKey,
          destination: s.channel,
          alertId: null,
          kind: 'report',
          payload: notification as unknown as Record<string, unknown>,
          createdAt: now,
        },
      ]);
      await this.o.audit.settle(auditId, 200);
    } catch (e) {
      await this.o.audit.settle(auditId, 500);
      throw e;
    }
  }
}
