import { type Notification, subjectOf } from './notification.js';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
const when = (ms: number | null): string =>
  ms === null ? '—' : `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC`;

const INTRO: Record<Notification['kind'], string> = {
  firing: 'An alert is firing and has not been acknowledged.',
  acknowledged: 'An alert you were told about has been acknowledged.',
  resolved: 'An alert you were told about has resolved.',
  digest: 'Low-severity alerts of the last period (dashboard only; no one was paged).',
  report: 'A scheduled report is attached.',
};

/**
 * The email of a notification: subject, a plain-text body and a simple HTML body with the same
 * facts (title, severity, value against threshold, times, who acknowledged), one block per alert.
 *
 * @example
 * const { subject, text, html } = renderEmail(notification);
 */
export function renderEmail(n: Notification): { subject: string; text: string; html: string } {
  const rows = n.alerts.map((a) => ({
    title: a.title,
    facts: [
      ['Severity', a.severity],
      ['Type', a.type],
      ['Status', a.status],
      ['Value', `${a.value ?? 'no data'} (threshold ${a.threshold})`],
      ['Fired', when(a.firedAt)],
      ['Resolved', when(a.resolvedAt)],
      ['Acknowledged', a.acknowledgedBy === null ? '—' : `${a.acknowledgedBy} at ${when(a.acknowledgedAt)}`],
      [
        'Labels',
        Object.entries(a.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ') || '—',
      ],
      ['Alert id', a.id],
    ] as Array<[string, string]>,
  }));
  const text = [
    INTRO[n.kind],
    '',
    ...rows.flatMap((r) => [r.title, ...r.facts.map(([k, v]) => `  ${k}: ${v}`), '']),
    `Notification ${n.id}`,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1a1a1a">
<p>${escapeHtml(INTRO[n.kind])}</p>
${rows
  .map(
    (r) => `<h2 style="font-size:16px;margin:16px 0 4px">${escapeHtml(r.title)}</h2>
<table style="border-collapse:collapse">${r.facts
      .map(
        ([k, v]) =>
          `<tr><th style="text-align:left;padding:2px 12px 2px 0">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`,
      )
      .join('')}</table>`,
  )
  .join('\n')}
<p style="color:#666;font-size:12px">Notification ${escapeHtml(n.id)}</p>
</body></html>`;
  return { subject: subjectOf(n), text, html };
}
