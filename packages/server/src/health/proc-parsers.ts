/**
 * Pure parsers of Linux `/proc` files, so the sampler's arithmetic is tested on fixed text
 * rather than on whatever host runs the tests.
 */

/** Aggregate CPU time counters (any unit, e.g. USER_HZ ticks or ms). */
export interface CpuTimes {
  /** Time doing nothing (idle + iowait). */
  idle: number;
  /** All time counted. */
  total: number;
}

/**
 * The aggregate `cpu` line of `/proc/stat` as idle and total ticks, or null when absent.
 * `guest` and `guest_nice` are left out: the kernel already counts them inside `user`/`nice`.
 *
 * @example
 * parseProcStat('cpu  100 0 50 800 50 0 0 0 0 0\n'); // { idle: 850, total: 1000 }
 */
export function parseProcStat(text: string): CpuTimes | null {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) return null;
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (v.length < 4 || v.some((n) => !Number.isFinite(n))) return null;
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { idle, total };
}

/**
 * CPU busy % between two readings of the counters (0 when no time passed).
 *
 * @example
 * cpuPercent({ idle: 850, total: 1000 }, { idle: 1000, total: 1200 }); // 25
 */
export function cpuPercent(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  if (total <= 0) return 0;
  const busy = total - (after.idle - before.idle);
  return Math.min(100, Math.max(0, (busy / total) * 100));
}

/**
 * Memory in use as a % of `MemTotal` from `/proc/meminfo`, counting `MemAvailable` as free (page
 * cache the kernel can drop is not "used"); null when the fields are missing (kernels < 3.14).
 *
 * @example
 * parseMeminfo('MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 250 kB\n'); // { totalBytes: 1024000, availableBytes: 256000, percent: 75 }
 */
export function parseMeminfo(text: string): { totalBytes: number; availableBytes: number; percent: number } | null {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s+(\d+)(?:\s+kB)?/.exec(line);
    if (m) fields.set(m[1] as string, Number(m[2]) * 1024);
  }
  const total = fields.get('MemTotal');
  const available = fields.get('MemAvailable');
  if (total === undefined || available === undefined || total <= 0) return null;
  return { totalBytes: total, availableBytes: available, percent: ((total - available) / total) * 100 };
}

/**
 * The `some avg10` of a `/proc/pressure/{cpu,memory,io}` file: the % of the last 10 s in which at
 * least one task was stalled on the resource. Null when the line is missing.
 *
 * @example
 * parsePressure('some avg10=1.50 avg60=0.80 avg300=0.20 total=12345\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n'); // 1.5
 */
export function parsePressure(text: string): number | null {
  const m = /^some\s.*?\bavg10=(\d+(?:\.\d+)?)/m.exec(text);
  return m ? Number(m[1]) : null;
}

/**
 * A mount path as a gauge-name segment (`[a-z0-9_]`): `/` → `root`, `/var/lib` → `var_lib`.
 * Gauge names must match the wire protocol's identifier pattern, and a series has no mount
 * dimension, so extra mounts become `disk.percent.<segment>` names.
 *
 * @example
 * mountSegment('/var/lib/Vigil'); // 'var_lib_vigil'
 */
export function mountSegment(mount: string): string {
  const s = mount
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return s === '' ? 'root' : s;
}

/**
 * Used % of a filesystem from `fs.statfs` numbers, as `df` shows it: blocks used over blocks
 * used plus blocks available to unprivileged users (root's reserve does not count as free).
 *
 * @example
 * diskPercent({ blocks: 1000, bfree: 300, bavail: 250 }); // 700 / 950 → 73.68…
 */
export function diskPercent(s: { blocks: number; bfree: number; bavail: number }): number {
  const used = s.blocks - s.bfree;
  const denominator = used + s.bavail;
  return denominator <= 0 ? 0 : (used / denominator) * 100;
}
