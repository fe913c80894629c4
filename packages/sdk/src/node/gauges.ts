import { cpus, freemem, hostname, totalmem } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getClient } from '../core/client.js';
import { report } from '../core/record.js';

function cpuTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const c of cpus()) {
    const t = c.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

/**
 * Records host and process gauges every `intervalMillis`: `memory.percent` (host memory in
 * use), `cpu.percent` (host CPU busy over the interval), `eventloop.delay_ms` (p99 event-loop
 * delay of this process) and `uptime` (process seconds). Returns a stop function. The timer is
 * unref'd and catches its own errors.
 *
 * @example
 * const stop = startGauges(60_000);
 */
export function startGauges(intervalMillis: number): () => void {
  const host = hostname();
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  let last = cpuTimes();
  const timer = setInterval(() => {
    try {
      const c = getClient();
      if (c === undefined) return;
      const ts = Date.now();
      const cur = cpuTimes();
      const busy = cur.total - last.total;
      const cpu = busy > 0 ? (1 - (cur.idle - last.idle) / busy) * 100 : 0;
      last = cur;
      const lag = Number.isFinite(delay.percentile(99)) ? delay.percentile(99) / 1e6 : 0;
      delay.reset();
      const total = totalmem();
      const gauges: Array<[string, number, string]> = [
        ['memory.percent', total > 0 ? ((total - freemem()) / total) * 100 : 0, '%'],
        ['cpu.percent', cpu, '%'],
        ['eventloop.delay_ms', lag, 'ms'],
        ['uptime', process.uptime(), 's'],
      ];
      for (const [name, value, unit] of gauges) {
        c.record({ type: 'gauge', ts, name, value: Math.round(value * 100) / 100, unit, host });
      }
    } catch (error) {
      report('gauges', error);
    }
  }, intervalMillis);
  timer.unref();
  return () => {
    clearInterval(timer);
    delay.disable();
  };
}
