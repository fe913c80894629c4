/**
 * Number and time formatting shared by the panels; `null` shows as an em dash so missing
 * data never reads as zero.
 *
 * @example
 * fmt(1234.5, 'ms'); // '1,235 ms'
 */
export function fmt(value: number | null | undefined, unit = '', digits?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const d = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  const text = value.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: 0 });
  if (unit === '') return text;
  return unit === '%' ? `${text} %` : `${text} ${unit}`;
}

/** A duration in milliseconds as `850 ms`, `12.5 s`, `4 min`, `3.2 h` or `2.1 d`. */
export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${fmt(ms / 1_000)} s`;
  if (ms < 3_600_000) return `${fmt(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${fmt(ms / 3_600_000)} h`;
  return `${fmt(ms / 86_400_000)} d`;
}

/** An instant as local `YYYY-MM-DD HH:MM:SS` (what operators compare with logs). */
export function fmtTime(ts: number | null | undefined): string {
  if (ts === null || ts === undefined) return '—';
  const d = new Date(ts);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** How long ago an instant was, relative to `now`. */
export function fmtAgo(ts: number | null | undefined, now = Date.now()): string {
  if (ts === null || ts === undefined) return '—';
  return `${fmtDuration(Math.max(0, now - ts))} ago`;
}
