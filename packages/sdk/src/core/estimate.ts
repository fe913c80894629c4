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
 * Estimates an event's JSON size in bytes: a fixed envelope plus its strings; attributes are
 * serialised. It errs high for ASCII text so the queue's byte bound holds.
 *
 * @example
 * estimateBytes({ type: 'api', ts: 0, route: '/a', method: 'GET', status: 200, durationMs: 1 }); // 162
 */
export function estimateBytes(e: VigilEvent): number {
  const x = e as Loose;
  let n = 160 + (x.route?.length ?? 0) + (x.name?.length ?? 0) + (x.page?.length ?? 0) + (x.message?.length ?? 0);
  if (x.stack !== undefined) n += x.stack.length * 1.1;
  const attrs = x.attrs ?? x.context;
  if (attrs !== undefined) n += JSON.stringify(attrs).length;
  return n;
}
