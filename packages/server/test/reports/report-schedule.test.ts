import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAlertingConfig } from '../../src/alerting/alerting-config.js';
import type { VigilApp } from '../../src/app.js';
import { lastPeriod } from '../../src/reports/report-scheduler.js';
import { DEFAULT_SLA } from '../../src/reports/sla-report.js';
import { SmtpReceiver } from '../alerting/receivers.js';
import { ADMIN_TOKEN, testApp } from '../helpers/test-app.js';
import { HOUR, loadPortal } from './report-fixture.js';

const DAY = 24 * HOUR;
/** Monday 2026-11-23 00:00 UTC: the weekly report covers Monday 16 to Monday 23. */
const MONDAY = Date.UTC(2026, 10, 23);
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** The attachment of a raw MIME mail (nodemailer writes base64 parts). */
function attachment(raw: string): { name: string; type: string; body: Buffer } {
  const m =
    /Content-Type: ([^;\r\n]+);?\s*name=("?)([^"\r\n]+)\2\r?\n(?:[^\r\n]+\r?\n)*?Content-Disposition: attachment[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/.exec(
      raw,
    );
  if (m === null) throw new Error('no attachment in the mail');
  return {
    type: m[1] as string,
    name: m[3] as string,
    body: Buffer.from((m[4] as string).replace(/\s+/g, ''), 'base64'),
  };
}

describe('scheduled reports', () => {
  let vigil: VigilApp;
  const smtp = new SmtpReceiver();
  let clock = MONDAY - 3 * DAY;

  beforeAll(async () => {
    const port = await smtp.start();
    vigil = await testApp(
      {
        alerting: {
          ...defaultAlertingConfig(),
          allowPrivateTargets: true,
          channels: [
            {
              name: 'reports-mail',
              type: 'email',
              host: '127.0.0.1',
              port,
              secure: false,
              username: null,
              password: null,
              from: 'vigil@example.com',
              to: ['ops@example.com'],
            },
          ],
          delivery: {
            timeoutMillis: 5_000,
            baseBackoffMillis: 1_000,
            maxBackoffMillis: 8_000,
            maxAttempts: 5,
            pollMillis: 1_000,
          },
        },
        reports: {
          sla: DEFAULT_SLA,
          schedules: [
            {
              name: 'weekly-perf',
              kind: 'performance',
              every: 'weekly',
              format: 'pdf',
              channel: 'reports-mail',
              recipients: ['cto@example.com', 'sre@example.com'],
            },
          ],
        },
      },
      { now: () => clock },
    );
    // Three hours of traffic on Sunday 22 (inside last week).
    await loadPortal(vigil.store, 'learning-portal', MONDAY - 2 * HOUR, 3, 2);
  }, 60_000);
  afterAll(async () => {
    await vigil?.close();
    await smtp.stop();
  });

  it('computes the last complete day, week and month in UTC', () => {
    const wed = Date.UTC(2026, 10, 25, 9, 30);
    expect(lastPeriod('daily', wed)).toEqual({ from: Date.UTC(2026, 10, 24), to: Date.UTC(2026, 10, 25) });
    expect(lastPeriod('weekly', wed)).toEqual({ from: Date.UTC(2026, 10, 16), to: Date.UTC(2026, 10, 23) });
    expect(lastPeriod('weekly', MONDAY)).toEqual({ from: Date.UTC(2026, 10, 16), to: MONDAY });
    expect(lastPeriod('monthly', wed)).toEqual({ from: Date.UTC(2026, 9, 1), to: Date.UTC(2026, 10, 1) });
    expect(lastPeriod('monthly', Date.UTC(2026, 0, 3))).toEqual({
      from: Date.UTC(2025, 11, 1),
      to: Date.UTC(2026, 0, 1),
    });
  });

  it('mails the weekly report with its PDF once the week is over, keeps it and audits it', async () => {
    // Monday 00:01: last week's report (Nov 16–23, with Sunday's traffic) is due.
    clock = MONDAY + 1 * 60_000;
    const id = `weekly-perf-${Date.UTC(2026, 10, 16)}`;
    expect(await vigil.reports.scheduler.runDue(clock)).toEqual([id]);
    // A second run in the same week queues nothing new.
    expect(await vigil.reports.scheduler.runDue(clock + HOUR)).toEqual([]);
    await vigil.alerting.dispatcher.deliverDue();

    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0] as (typeof smtp.mails)[number];
    expect(mail.from).toBe('vigil@example.com');
    expect(mail.to).toEqual(['cto@example.com', 'sre@example.com']);
    expect(mail.raw).toContain('Subject: [Vigil] weekly performance report, 2026-11-16 to 2026-11-23');
    const file = attachment(mail.raw);
    expect(file).toMatchObject({ type: 'application/pdf', name: 'vigil-performance-2026-11-16-2026-11-23.pdf' });
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-mail-'));
    try {
      writeFileSync(path.join(dir, 'a.pdf'), file.body);
      const text = execFileSync('pdftotext', [path.join(dir, 'a.pdf'), '-'], { encoding: 'utf8' });
      expect(text).toContain('Performance report');
      expect(text).toContain('2026-11-16 00:00 – 2026-11-23 00:00 UTC');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const list = (await vigil.app.inject({ url: '/api/v1/reports/archive', headers: auth })).json();
    expect(list.reports.map((r: { id: string; bytes: number }) => [r.id, r.bytes])).toEqual([[id, file.body.length]]);
    const kept = await vigil.app.inject({ url: `/api/v1/reports/archive/${id}`, headers: auth });
    expect(kept.headers['content-type']).toBe('application/pdf');
    expect(kept.rawPayload.equals(file.body)).toBe(true);
    expect((await vigil.app.inject({ url: '/api/v1/reports/archive/nope', headers: auth })).statusCode).toBe(404);

    const audit = await vigil.access.audit.query({
      from: 0,
      to: clock + DAY,
      action: 'report schedule send',
      limit: 10,
      order: 'asc',
    });
    expect(audit.map((a) => [a.actor, a.target, a.result])).toEqual([['system', `report:${id}`, 'ok']]);
    const outbox = await vigil.store.alerts.listOutbox({ limit: 10 });
    expect(outbox.map((o) => [o.dedupeKey, o.kind, o.status])).toEqual([
      [`report:${id}:reports-mail`, 'report', 'sent'],
    ]);
  });
});
