import { parseArgs } from 'node:util';
import { parseMode, type SimulatorMode } from './scenario.js';

/** The settings of the simulator's command line, after defaults. */
export interface CliOptions {
  url: string;
  key: string;
  /** Events per second. */
  rate: number;
  /** Run time in milliseconds; undefined runs until Ctrl-C. */
  durationMillis: number | undefined;
  seed: number | undefined;
  mode: SimulatorMode | 'scheduled';
  batchSize: number | undefined;
}

/** The usage text printed by `--help` and after a bad option. */
export const USAGE = `Usage: npm run demo -- [options]

Sends simulated learning-portal traffic to a Vigil collector.

  --url <url>          collector base URL (default http://127.0.0.1:$PORT, PORT defaults to 4600)
  --key <key>          ingest key (default: $VIGIL_INGEST_KEY)
  --rate <n>           events per second (default 200)
  --duration <s>       seconds to run (default: until Ctrl-C)
  --seed <n>           seed for reproducible traffic (default: from the clock)
  --mode <mode>        normal | error-burst | slow | scheduled (default scheduled: an error burst
                       and a slow period every hour)
  --batch-size <n>     most events per batch (default: half a second of events)
  --help               show this text`;

/**
 * Parses the simulator's command line. Returns the options, `'help'`, or an error message fit
 * for the terminal.
 *
 * @example
 * parseCliOptions(['--rate', '50'], { VIGIL_INGEST_KEY: 'vk_1' });
 * // { ok: true, options: { url: 'http://127.0.0.1:4600', key: 'vk_1', rate: 50, … } }
 */
export function parseCliOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { ok: true; options: CliOptions } | { ok: false; error: string } | { ok: 'help' } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        url: { type: 'string' },
        key: { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        seed: { type: 'string' },
        mode: { type: 'string' },
        'batch-size': { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  if (values.help === true) return { ok: 'help' };
  const text = (name: string): string | undefined => {
    const v = values[name];
    return typeof v === 'string' ? v : undefined;
  };
  const key = text('key') ?? env.VIGIL_INGEST_KEY;
  if (key === undefined || key.trim() === '') {
    return {
      ok: false,
      error: 'no ingest key: pass --key <key> or set VIGIL_INGEST_KEY (the server prints it at start)',
    };
  }
  const number = (name: string, min: number): number | undefined | string => {
    const raw = text(name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    return Number.isFinite(n) && n >= min ? n : `--${name} must be a number of at least ${min}, got ${raw}`;
  };
  const rate = number('rate', 0.001);
  const duration = number('duration', 0);
  const seed = number('seed', 0);
  const batchSize = number('batch-size', 1);
  for (const v of [rate, duration, seed, batchSize]) if (typeof v === 'string') return { ok: false, error: v };
  const modeText = text('mode') ?? 'scheduled';
  const mode = modeText === 'scheduled' ? 'scheduled' : parseMode(modeText);
  if (mode === undefined)
    return { ok: false, error: `--mode must be normal, error-burst, slow or scheduled, got ${modeText}` };
  return {
    ok: true,
    options: {
      url: (text('url') ?? `http://127.0.0.1:${env.PORT ?? 4600}`).replace(/\/+$/, ''),
      key: key.trim(),
      rate: (rate as number | undefined) ?? 200,
      durationMillis: duration === undefined ? undefined : Math.round((duration as number) * 1000),
      seed: seed === undefined ? undefined : Math.floor(seed as number),
      mode,
      batchSize: batchSize === undefined ? undefined : Math.floor(batchSize as number),
    },
  };
}
