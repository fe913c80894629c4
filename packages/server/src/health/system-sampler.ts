import { readFile, statfs } from 'node:fs/promises';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { GaugeReading } from './gauge-recorder.js';
import {
  type CpuTimes,
  cpuPercent,
  diskPercent,
  mountSegment,
  parseMeminfo,
  parsePressure,
  parseProcStat,
} from './proc-parsers.js';

/** Used % of one mounted filesystem. */
export interface DiskReading {
  mount: string;
  percent: number;
  /** Gauge name: `disk.percent` for the data folder's filesystem, `disk.percent.<mount>` for others. */
  gauge: string;
}

/** One sample of the host. Pressure fields are null where the kernel has no PSI. */
export interface SystemReading {
  ts: number;
  cpuPercent: number;
  memoryPercent: number;
  disks: DiskReading[];
  pressure: { cpu: number | null; memory: number | null; io: number | null };
  load1m: number;
  /** P99 event-loop delay since the previous reading. */
  eventLoopDelayMillis: number;
  /** Seconds this server process has run (like the SDK's `uptime`). */
  uptimeSeconds: number;
}

/** Options of the sampler. */
export interface SystemSamplerOptions {
  /** Its filesystem is reported as `disk.percent`. */
  dataDir: string;
  /** Further mount points, each reported as `disk.percent.<mount>`. */
  mounts: string[];
  intervalMillis: number;
  /** Where readings go (the gauge recorder, as service `vigil`); errors are passed to `onError`. */
  emit: (readings: GaugeReading[]) => Promise<void>;
  onError: (error: unknown) => void;
  now: () => number;
  /** Reads a `/proc` file; tests pass fixed text. Default: `fs.readFile`. */
  readProc?: (file: string) => Promise<string>;
}

/** CPU counters from `/proc/stat`, or from `os.cpus()` where there is no procfs. */
async function cpuTimes(readProc: (file: string) => Promise<string>): Promise<CpuTimes> {
  const parsed = parseProcStat(await readProc('/proc/stat').catch(() => ''));
  if (parsed !== null) return parsed;
  let idle = 0;
  let total = 0;
  for (const c of cpus()) {
    idle += c.times.idle;
    total += c.times.user + c.times.nice + c.times.sys + c.times.idle + c.times.irq;
  }
  return { idle, total };
}

/**
 * Samples the host the server runs on — CPU, memory, disks, Linux PSI pressure, load, event-loop
 * delay and uptime — and records them as gauges of the service `vigil` on an interval. Names
 * match the SDK's Node gauges (`cpu.percent`, `memory.percent`, `eventloop.delay_ms`, `uptime`),
 * plus `disk.percent[.<mount>]`, `pressure.{cpu,memory,io}` (absent without PSI) and `load.1m`.
 *
 * @example
 * const sampler = new SystemSampler({ dataDir, mounts: [], intervalMillis: 10_000, emit, onError, now: Date.now });
 * sampler.start();
 */
export class SystemSampler {
  #timer: NodeJS.Timeout | undefined;
  #delay: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  #lastCpu: CpuTimes | undefined;
  #latest: SystemReading | undefined;
  #running: Promise<void> | undefined;
  readonly #readProc: (file: string) => Promise<string>;

  constructor(private readonly options: SystemSamplerOptions) {
    this.#readProc = options.readProc ?? ((file) => readFile(file, 'utf8'));
    this.#delay.enable();
  }

  /** The last reading taken, if any. */
  get latest(): SystemReading | undefined {
    return this.#latest;
  }

  /** Takes a reading (not recorded). CPU % covers the time since the previous reading, or since boot. */
  async sample(): Promise<SystemReading> {
    const read = this.#readProc;
    const cpu = await cpuTimes(read);
    const before = this.#lastCpu ?? { idle: 0, total: 0 };
    this.#lastCpu = cpu;
    const mem = parseMeminfo(await read('/proc/meminfo').catch(() => ''));
    const total = totalmem();
    const pressure = async (kind: string) => parsePressure(await read(`/proc/pressure/${kind}`).catch(() => ''));
    const p99 = this.#delay.percentile(99);
    this.#delay.reset();
    const reading: SystemReading = {
      ts: this.options.now(),
      cpuPercent: cpuPercent(before, cpu),
      memoryPercent: mem?.percent ?? (total > 0 ? ((total - freemem()) / total) * 100 : 0),
      disks: await this.#disks(),
      pressure: { cpu: await pressure('cpu'), memory: await pressure('memory'), io: await pressure('io') },
      load1m: loadavg()[0] ?? 0,
      eventLoopDelayMillis: Number.isFinite(p99) ? p99 / 1e6 : 0,
      uptimeSeconds: process.uptime(),
    };
    this.#latest = reading;
    return reading;
  }

  /** Takes a reading and records it; resolves once the gauges are durable. */
  async tick(): Promise<SystemReading> {
    const reading = await this.sample();
    await this.options.emit(systemGauges(reading));
    return reading;
  }

  /** Samples now and then every `intervalMillis`; an interval of 0 means the sampler is off. */
  start(): void {
    if (this.#timer !== undefined || this.options.intervalMillis === 0) return;
    const run = () => {
      if (this.#running !== undefined) return;
      this.#running = this.tick()
        .then(() => undefined, this.options.onError)
        .finally(() => {
          this.#running = undefined;
        });
    };
    run();
    this.#timer = setInterval(run, this.options.intervalMillis);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
    this.#delay.disable();
  }

  async #disks(): Promise<DiskReading[]> {
    const targets = [
      { mount: this.options.dataDir, gauge: 'disk.percent' },
      ...this.options.mounts.map((mount) => ({ mount, gauge: `disk.percent.${mountSegment(mount)}` })),
    ];
    const out: DiskReading[] = [];
    for (const t of targets) {
      try {
        const s = await statfs(t.mount);
        out.push({ ...t, percent: diskPercent({ blocks: s.blocks, bfree: s.bfree, bavail: s.bavail }) });
      } catch (e) {
        // A missing or unmounted path skips its gauge rather than stopping every other one.
        this.options.onError(new Error(`statfs ${t.mount} failed`, { cause: e }));
      }
    }
    return out;
  }
}

/**
 * The gauges of one reading; a missing PSI file means no pressure gauge, not a zero.
 *
 * @example
 * await recorder.record('vigil', systemGauges(reading));
 */
export function systemGauges(r: SystemReading): GaugeReading[] {
  const gauges: GaugeReading[] = [
    { name: 'cpu.percent', value: r.cpuPercent, unit: '%' },
    { name: 'memory.percent', value: r.memoryPercent, unit: '%' },
    ...r.disks.map((d) => ({ name: d.gauge, value: d.percent, unit: '%' })),
    { name: 'load.1m', value: r.load1m, unit: 'tasks' },
    { name: 'eventloop.delay_ms', value: r.eventLoopDelayMillis, unit: 'ms' },
    { name: 'uptime', value: r.uptimeSeconds, unit: 's' },
  ];
  for (const kind of ['cpu', 'memory', 'io'] as const) {
    const v = r.pressure[kind];
    if (v !== null) gauges.push({ name: `pressure.${kind}`, value: v, unit: '%' });
  }
  return gauges;
}
