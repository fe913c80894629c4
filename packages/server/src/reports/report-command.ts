import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseRange } from '../http/query-params.js';
import type { ReportService } from './report-service.js';

/** Ranges at least this long show a progress bar. */
const LONG_RANGE_MILLIS = 7 * 86_400_000;
const BAR_WIDTH = 30;

/**
 * A one-line text progress bar, redrawn in place with `\r`.
 *
 * @example
 * progressBar(1, 4, 'building'); // '\r[#######.......................]  25 % building'
 */
export function progressBar(done: number, total: number, label: string): string {
  const filled = Math.round((BAR_WIDTH * done) / Math.max(1, total));
  const pct = String(Math.round((100 * done) / Math.max(1, total))).padStart(3);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${pct} % ${label}`;
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/**
 * `vigil report KIND [--from T] [--to T] [--format json|csv|pdf] [--table NAME] [--out FILE]`:
 * builds a report through the same service as the API and writes it to a file (default: its
 * download name in the current folder). Long ranges draw a progress bar on `stderr`.
 *
 * @example
 * await runReportCommand(reports, 'learning-portal', ['sla', '--from', '2026-01-01', '--format', 'pdf'], { now: Date.now(), stderr: process.stderr });
 */
export async function runReportCommand(
  reports: ReportService,
  project: string,
  args: string[],
  io: { now: number; stderr: { write(s: string): unknown } },
): Promise<string[]> {
  const [kind = ''] = args;
  const { from, to } = parseRange({ from: flag(args, 'from'), to: flag(args, 'to') }, io.now, LONG_RANGE_MILLIS);
  const long = to - from >= LONG_RANGE_MILLIS;
  const draw = (done: number, total: number, label: string) => {
    if (long) io.stderr.write(progressBar(done, total + 2, label));
  };
  const table = flag(args, 'table');
  const out = await reports.generate({
    kind,
    project,
    from,
    to,
    format: flag(args, 'format') ?? 'pdf',
    ...(table === undefined ? {} : { table }),
    onProgress: (done, total) => draw(done, total, done < total ? 'reading analytics' : 'rendering'),
  });
  const file = path.resolve(flag(args, 'out') ?? out.fileName);
  await writeFile(file, out.body);
  if (long) {
    draw(5, 3, 'written');
    io.stderr.write('\n');
  }
  return [`Wrote ${out.fileName.endsWith('.zip') ? 'CSV zip' : kind} report (${out.body.length} bytes) to ${file}`];
}
