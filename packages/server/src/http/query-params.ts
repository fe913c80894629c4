import { VigilError } from '@vigil/schema';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses a time: epoch milliseconds or an ISO 8601 string. */
export function parseTime(name: string, raw: unknown, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (typeof raw !== 'string') throw new VigilError('VIGIL_ERR_INVALID_QUERY', `${name} must be given once`);
  // Date.parse alone is lenient (it reads "' OR '1'='1" as a date): accept ISO 8601 shapes only.
  const n = /^\d{1,15}$/.test(raw) ? Number(raw) : ISO_TIME.test(raw) ? Date.parse(raw) : Number.NaN;
  if (!Number.isFinite(n) || n < 0) {
    throw new VigilError('VIGIL_ERR_INVALID_QUERY', `${name} must be epoch milliseconds or an ISO 8601 time`);
  }
  return n;
}

/** A time range `[from, to)`, defaulting to the last `defaultSpan` ms; at most `maxSpan`. */
export function parseRange(
  query: Record<string, unknown>,
  now: number,
  defaultSpan: number,
  maxSpan = 400 * 86_400_000,
): { from: number; to: number } {
  const to = parseTime('to', query.to, now);
  const from = parseTime('from', query.from, to - defaultSpan);
  if (from >= to) throw new VigilError('VIGIL_ERR_INVALID_QUERY', 'from must be before to');
  if (to - from > maxSpan)
    throw new VigilError('VIGIL_ERR_INVALID_QUERY', `the range may span at most ${maxSpan / 86_400_000} days`);
  return { from, to };
}

/** An optional short string parameter (a dimension filter). */
export function parseDim(name: string, raw: unknown, max = 256): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw.length > max) {
    throw new VigilError('VIGIL_ERR_INVALID_QUERY', `${name} must be one string of at most ${max} characters`);
  }
  return raw;
}

/** An optional positive integer parameter within bounds. */
export function parseInteger(name: string, raw: unknown, min: number, max: number, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = typeof raw === 'string' && /^\d{1,12}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new VigilError('VIGIL_ERR_INVALID_QUERY', `${name} must be an integer from ${min} to ${max}`);
  }
  return n;
}
