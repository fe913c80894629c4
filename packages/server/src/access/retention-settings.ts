import { VigilError } from '@vigil/schema';
import type { RetentionJob } from '../maintenance/retention-job.js';
import type { Store } from '../store/store.js';

const SETTING = 'retention_days';

/** Retention in days: detailed data (minute rollups, error samples) and aggregates (hour rollups). */
export interface RetentionDays {
  detailedDays: number;
  aggregatedDays: number;
}

/**
 * Validates retention days: whole days from 1 to 3650, aggregates kept at least as long as
 * details.
 *
 * @example
 * checkRetentionDays({ detailedDays: 90, aggregatedDays: 365 });
 */
export function checkRetentionDays(value: Partial<Record<keyof RetentionDays, unknown>>): RetentionDays {
  const { detailedDays, aggregatedDays } = value;
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 3650;
  if (!ok(detailedDays) || !ok(aggregatedDays)) {
    throw new VigilError('VIGIL_ERR_INVALID_INPUT', 'detailedDays and aggregatedDays must be integers from 1 to 3650');
  }
  if (aggregatedDays < detailedDays) {
    throw new VigilError('VIGIL_ERR_INVALID_INPUT', 'aggregatedDays must be at least detailedDays');
  }
  return { detailedDays, aggregatedDays };
}

/**
 * Retention settings: the configured defaults, overridable by admins and persisted in the
 * store's settings, pushed into the retention job that enforces them.
 *
 * @example
 * const settings = new RetentionSettings(store, job, config.retention);
 * await settings.load();
 */
export class RetentionSettings {
  constructor(
    private readonly store: Store,
    private readonly job: RetentionJob,
    readonly defaults: RetentionDays,
  ) {}

  /** Applies a stored override, if any, to the job. */
  async load(): Promise<RetentionDays> {
    const stored = await this.store.getSetting(SETTING);
    let days = this.defaults;
    if (stored !== null) {
      try {
        days = checkRetentionDays(JSON.parse(stored) as Partial<RetentionDays>);
      } catch {
        // A damaged setting falls back to the configured defaults rather than stopping the server.
      }
    }
    this.job.setRetention(days);
    return days;
  }

  current(): RetentionDays {
    return this.job.days;
  }

  async save(days: RetentionDays): Promise<void> {
    const checked = checkRetentionDays(days);
    await this.store.access.putSetting(SETTING, JSON.stringify(checked));
    this.job.setRetention(checked);
  }
}
