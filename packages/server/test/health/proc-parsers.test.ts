import { describe, expect, it } from 'vitest';
import {
  cpuPercent,
  diskPercent,
  mountSegment,
  parseMeminfo,
  parsePressure,
  parseProcStat,
} from '../../src/health/proc-parsers.js';
import { systemGauges } from '../../src/health/system-sampler.js';

const STAT = `cpu  4705 356 584 3699 23 23 0 0 0 0
cpu0 1393 112 315 1764 10 12 0 0 0 0
intr 114930548 113199788 3 0 5 263 0 4 [...]
`;

const MEMINFO = `MemTotal:        8000000 kB
MemFree:          500000 kB
MemAvailable:    2000000 kB
Buffers:          100000 kB
`;

describe('proc parsers', () => {
  it('reads the aggregate cpu line of /proc/stat (idle = idle + iowait)', () => {
    expect(parseProcStat(STAT)).toEqual({ idle: 3722, total: 9390 });
    expect(parseProcStat('intr 1 2 3\n')).toBeNull();
  });

  it('computes CPU busy % from two readings', () => {
    expect(cpuPercent({ idle: 850, total: 1000 }, { idle: 1000, total: 1200 })).toBe(25);
    expect(cpuPercent({ idle: 5, total: 10 }, { idle: 5, total: 10 })).toBe(0);
  });

  it('reads memory use from MemTotal and MemAvailable', () => {
    expect(parseMeminfo(MEMINFO)).toEqual({ totalBytes: 8_192_000_000, availableBytes: 2_048_000_000, percent: 75 });
    expect(parseMeminfo('MemTotal: 100 kB\nMemFree: 10 kB\n')).toBeNull();
  });

  it('reads the some avg10 of a PSI file, null when there is none', () => {
    const text = 'some avg10=1.50 avg60=0.80 avg300=0.20 total=12345\nfull avg10=9.00 avg60=0.00 avg300=0.00 total=0\n';
    expect(parsePressure(text)).toBe(1.5);
    expect(parsePressure('full avg10=9.00 avg60=0.00 avg300=0.00 total=0\n')).toBeNull();
    expect(parsePressure('')).toBeNull();
  });

  it('computes disk use like df and turns mounts into gauge-name segments', () => {
    expect(diskPercent({ blocks: 1000, bfree: 300, bavail: 250 })).toBeCloseTo(73.684210526, 8);
    expect(diskPercent({ blocks: 0, bfree: 0, bavail: 0 })).toBe(0);
    expect(mountSegment('/')).toBe('root');
    expect(mountSegment('/var/lib/Vigil')).toBe('var_lib_vigil');
  });

  it('gives no pressure gauge where the kernel has no PSI', () => {
    const reading = {
      ts: 0,
      cpuPercent: 10,
      memoryPercent: 20,
      disks: [
        { mount: '/data', percent: 30, gauge: 'disk.percent' },
        { mount: '/', percent: 40, gauge: 'disk.percent.root' },
      ],
      pressure: { cpu: null, memory: 2.5, io: null },
      load1m: 0.5,
      eventLoopDelayMillis: 12,
      uptimeSeconds: 60,
    };
    expect(systemGauges(reading).map((g) => [g.name, g.value])).toEqual([
      ['cpu.percent', 10],
      ['memory.percent', 20],
      ['disk.percent', 30],
      ['disk.percent.root', 40],
      ['load.1m', 0.5],
      ['eventloop.delay_ms', 12],
      ['uptime', 60],
      ['pressure.memory', 2.5],
    ]);
  });
});
