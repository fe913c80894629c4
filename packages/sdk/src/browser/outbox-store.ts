import type { PreparedBatch } from '../core/transport.js';
import { storage } from './globals.js';

const KEY = 'vigil.outbox';

/** Default bound of the persisted offline queue, in characters of stored JSON. */
export const MAX_PERSIST_CHARS = 256 * 1024;

/**
 * Reads and removes the persisted batches (written at page hide while offline or when a beacon
 * was refused). Corrupt storage reads as empty.
 */
export function takePersisted(): PreparedBatch[] {
  const s = storage('localStorage');
  try {
    const raw = s?.getItem(KEY);
    if (raw === null || raw === undefined) return [];
    s?.removeItem(KEY);
    const list = JSON.parse(raw) as unknown;
    if (!Array.isArray(list)) return [];
    return list.filter(
      (b): b is PreparedBatch =>
        typeof b?.batchId === 'string' && typeof b.body === 'string' && typeof b.count === 'number',
    );
  } catch {
    return [];
  }
}

/**
 * Appends batches to the persisted queue, oldest kept first, up to `maxChars`. Returns the
 * number of events that did not fit (the caller counts them as dropped).
 */
export function persist(batches: PreparedBatch[], maxChars = MAX_PERSIST_CHARS): number {
  if (batches.length === 0) return 0;
  const kept = takePersisted();
  let used = JSON.stringify(kept).length;
  let lost = 0;
  for (const b of batches) {
    used += b.body.length + 80;
    if (used > maxChars) lost += b.count;
    else kept.push({ batchId: b.batchId, body: b.body, count: b.count, attempts: 0 });
  }
  try {
    storage('localStorage')!.setItem(KEY, JSON.stringify(kept));
    return lost;
  } catch {
    // No storage, or over its quota: everything that was to be kept is lost.
    return kept.reduce((n, b) => n + b.count, lost);
  }
}
