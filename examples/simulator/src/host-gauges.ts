import type { GaugeEvent } from '@vigil/schema';
import type { Rng } from './rng.js';
import type { ModeEffects } from './scenario.js';

/** One simulated `portal-api` host: its name, process session id and place in the service list. */
export interface ApiHost {
  host: string;
  sessionId: string;
  /** Index of the server service (among the simulator's services) this host reports as. */
  serviceIndex: number;
  /** Where in each 10-second period this host reports, so hosts do not report in lockstep. */
  phaseMillis: number;
  /** Position of this host, used to give each host its own baseline. */
  index: number;
}

const SIX_HOURS = 6 * 3_600_000;
const DAY = 24 * 3_600_000;

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const round2 = (v: number): number => Math.round(v * 100) / 100;

/**
 * The four resource gauges one API host reports at `ts`: `memory.percent` (a slow leak that a
 * restart every six hours resets), `cpu.percent` (follows load), `disk.percent` (creeps up day
 * by day) and `eventloop.delay_ms`. Error bursts and slow periods push them up.
 *
 * @example
 * const events = hostGauges(new Rng(1), host, Date.now(), MODE_EFFECTS.normal, 0.6);
 * events.map((e) => e.name); // ['memory.percent', 'cpu.percent', 'disk.percent', 'eventloop.delay_ms']
 */
export function hostGauges(rng: Rng, host: ApiHost, ts: number, fx: ModeEffects, load: number): GaugeEvent[] {
  const slow = fx.latencyFactor > 1;
  const burst = fx.errorFactor > 1;
  const sinceRestart = (((ts + host.index * 5_400_000) % SIX_HOURS) + SIX_HOURS) % SIX_HOURS;
  const memory = 48 + 4 * host.index + 20 * (sinceRestart / SIX_HOURS) + 8 * load + (burst ? 9 : 0) + rng.normal(0, 1);
  const cpu = 8 + 52 * load + (slow ? 28 : 0) + (burst ? 12 : 0) + rng.normal(0, 3);
  const dayOfMonth = Math.floor(ts / DAY) % 30;
  const disk = 61 + 2.5 * host.index + 0.35 * dayOfMonth + ((ts % DAY) / DAY) * 0.3 + rng.normal(0, 0.05);
  const delay = rng.lognormal(3 + 4 * load, 12 + 10 * load) * (slow ? 9 : 1);
  const base = { type: 'gauge' as const, ts, sessionId: host.sessionId, host: host.host };
  return [
    { ...base, name: 'memory.percent', value: round2(clamp(memory, 1, 99.9)), unit: '%' },
    { ...base, name: 'cpu.percent', value: round2(clamp(cpu, 0.5, 100)), unit: '%' },
    { ...base, name: 'disk.percent', value: round2(clamp(disk, 1, 99.9)), unit: '%' },
    { ...base, name: 'eventloop.delay_ms', value: round2(Math.min(delay, 5_000)), unit: 'ms' },
  ];
}
