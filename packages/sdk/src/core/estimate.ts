import type { VigilEvent } from '@vigil/schema';

type Loose = {
  route?: string;
  name?: string;
  page?: string;
  message?: string;
  stack?: string;
  attrs?: unknown;
  context?: unknown;
};

/**
 * JSON length of an attribute value, walked rather than serialised (the record path's largest
 * cost otherwise): exact for plain ASCII strings, high for numbers. Past three levels it
 * serialises, which also throws on a cycle, as sending it would.
 */
function jsonLength(v: unknown, depth: number): number {
  if (typeof v === 'string') return v.length + 2;
  if (typeof v === 'number') return 24;
  if (typeof v !== 'object' || v === null) return 5;
  if (depth > 2) return JSON.stringify(v).length;
  let n = 2;
  if (Array.isArray(v)) for (const x of v) n += jsonLength(x, depth + 1) + 1;
  else for (const k in v) n += k.length + 4 + jsonLength((v as Record<string, unknown>)[k], depth + 1);
  return n;
}

/**
 * Estimates an event's JSON size in bytes: a fixed envelope plus its strings and attributes.
 * It errs high for ASCII text so the queue's byte bound holds.
 *
 * @example
 * estimateBytes({ type: 'api', ts: 0, route: '/a', method: 'GET', status: 200, durationMs: 1 }); // 162
 */
export function estimateBytes(e: VigilEvent): number {
  const x = e as Loose;
  let n = 160 + (x.route?.length ?? 0) + (x.name?.length ?? 0) + (x.page?.length ?? 0) + (x.message?.length ?? 0);
  if (x.stack !== undefined) n += x.stack.length * 1.1;
  const attrs = x.attrs ?? x.context;
  if (attrs !== undefined) n += jsonLength(attrs, 0);
  return n;
}
