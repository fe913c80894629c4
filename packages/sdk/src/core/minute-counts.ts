/** What {@link countEvent} and {@link eventsSince} read and write on a client. */
export interface MinuteCounts {
  perMinute: number[] | undefined;
  minute: number;
}

function advance(c: MinuteCounts, m: number): number[] {
  c.perMinute ??= new Array<number>(60).fill(0);
  const counts = c.perMinute;
  if (m > c.minute) {
    const steps = Math.min(60, m - c.minute);
    for (let i = 1; i <= steps; i++) counts[(c.minute + i) % 60] = 0;
    c.minute = m;
  }
  return counts;
}

/** Counts one event in its minute (a ring of the last 60 minutes). */
export function countEvent(c: MinuteCounts, ts: number): void {
  const m = Math.floor(ts / 60_000);
  const counts = advance(c, m);
  counts[m % 60] = (counts[m % 60] as number) + 1;
}

/**
 * Events counted since `from` (epoch ms) at minute resolution, at most one hour back; starts
 * counting on first use.
 *
 * @example
 * eventsSince(client, Date.now() - 300_000, Date.now());
 */
export function eventsSince(c: MinuteCounts, from: number, now: number): number {
  const counts = advance(c, Math.floor(now / 60_000));
  let n = 0;
  for (let m = Math.max(Math.floor(from / 60_000), c.minute - 59); m <= c.minute; m++) n += counts[m % 60] as number;
  return n;
}
