/**
 * The traffic modes: healthy traffic, an error burst (5xx and JS errors ×20), a slow period (latencies ×4).
 *
 * @example
 * for (const mode of SIMULATOR_MODES) sim.setMode(mode);
 */
export const SIMULATOR_MODES = ['normal', 'error-burst', 'slow'] as const;

/** One of {@link SIMULATOR_MODES}. */
export type SimulatorMode = (typeof SIMULATOR_MODES)[number];

/**
 * Decides the mode at a simulated instant. Must be a pure function of `ts` so runs stay
 * deterministic.
 *
 * @example
 * const incident: Scenario = (ts) => (ts >= incidentStart && ts < incidentEnd ? 'slow' : 'normal');
 */
export type Scenario = (ts: number) => SimulatorMode;

/** How a mode changes the generated traffic. */
export interface ModeEffects {
  /** Multiplies the probability of 5xx answers, JavaScript errors and server-side system errors. */
  errorFactor: number;
  /** Multiplies API latencies, the sign-in timing and TTFB (video loads get half of it). */
  latencyFactor: number;
}

/**
 * The effects of each mode.
 *
 * @example
 * MODE_EFFECTS['slow'].latencyFactor; // 4
 */
export const MODE_EFFECTS: Readonly<Record<SimulatorMode, ModeEffects>> = {
  normal: { errorFactor: 1, latencyFactor: 1 },
  'error-burst': { errorFactor: 20, latencyFactor: 1 },
  slow: { errorFactor: 1, latencyFactor: 4 },
};

/** Where the episodes of {@link hourlyEpisodes} fall inside each simulated hour. */
export interface HourlyEpisodesOptions {
  /** Minute of the hour an error burst starts (default 15). */
  burstStartMinute?: number;
  /** Length of the error burst in minutes (default 3; 0 disables it). */
  burstMinutes?: number;
  /** Minute of the hour a slow period starts (default 40). */
  slowStartMinute?: number;
  /** Length of the slow period in minutes (default 5; 0 disables it). */
  slowMinutes?: number;
}

/**
 * A scenario with one error burst and one slow period in every simulated hour (UTC minutes
 * 15–18 and 40–45 by default), normal traffic otherwise. The default scenario of the simulator.
 *
 * @example
 * const scenario = hourlyEpisodes({ burstStartMinute: 0, burstMinutes: 10 });
 * scenario(Date.UTC(2025, 0, 1, 9, 5)); // 'error-burst'
 */
export function hourlyEpisodes(options: HourlyEpisodesOptions = {}): Scenario {
  const burstStart = options.burstStartMinute ?? 15;
  const burstEnd = burstStart + (options.burstMinutes ?? 3);
  const slowStart = options.slowStartMinute ?? 40;
  const slowEnd = slowStart + (options.slowMinutes ?? 5);
  return (ts) => {
    const minute = (((ts % 3_600_000) + 3_600_000) % 3_600_000) / 60_000;
    if (minute >= burstStart && minute < burstEnd) return 'error-burst';
    if (minute >= slowStart && minute < slowEnd) return 'slow';
    return 'normal';
  };
}

/**
 * A scenario that is always the same mode.
 *
 * @example
 * const sim = new PortalSimulator({ seed: 1, scenario: constantMode('normal') });
 */
export function constantMode(mode: SimulatorMode): Scenario {
  return () => mode;
}

/**
 * The daily load curve: a factor in (0, 1] for a simulated instant, lowest around 04:00 and
 * highest late morning and in the evening (study after work), in the portal's local time.
 *
 * @example
 * dailyLoadFactor(Date.UTC(2025, 0, 1, 4)); // about 0.1
 * dailyLoadFactor(Date.UTC(2025, 0, 1, 20)); // about 1
 */
export function dailyLoadFactor(ts: number, utcOffsetHours = 0): number {
  const hour = (((ts / 3_600_000 + utcOffsetHours) % 24) + 24) % 24;
  const bump = (center: number, width: number): number => {
    const d = Math.min(Math.abs(hour - center), 24 - Math.abs(hour - center));
    return Math.exp(-(d * d) / (2 * width * width));
  };
  const raw = 0.08 + 0.75 * bump(11, 2.5) + 0.95 * bump(20, 2.2) + 0.45 * bump(15, 2);
  return Math.min(1, raw);
}

/**
 * Parses a mode name as given on a command line.
 *
 * @example
 * parseMode('slow'); // 'slow'
 * parseMode('fast'); // undefined
 */
export function parseMode(value: string): SimulatorMode | undefined {
  return (SIMULATOR_MODES as readonly string[]).includes(value) ? (value as SimulatorMode) : undefined;
}
