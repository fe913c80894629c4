import type { CDPSession } from 'playwright-core';

/** Node types of a V8 heap snapshot that are the page's own JS data (not compiled code or browser internals). */
const JS_DATA = new Set([
  'object',
  'closure',
  'array',
  'string',
  'concatenated string',
  'sliced string',
  'number',
  'regexp',
]);

/** A heap snapshot reduced to what the bench compares: bytes of JS data and counts per constructor. */
export interface HeapCensus {
  /** Self size of every JS data node (objects, closures, arrays, strings, numbers). */
  jsDataBytes: number;
  /** Self size of compiled code, which grows while V8 optimises hot functions and then levels off. */
  codeBytes: number;
  /** Node count per `type:name` (the constructor for objects). */
  counts: Map<string, number>;
}

interface RawSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

/**
 * Forces a collection and takes a heap snapshot through CDP, then counts it by constructor.
 * DevTools-only objects (the network panel's buffers, timing entries) are native and left out
 * of `jsDataBytes`, so the figure is what the app itself retains.
 *
 * @example
 * const census = await heapCensus(await context.newCDPSession(page));
 */
export async function heapCensus(cdp: CDPSession): Promise<HeapCensus> {
  await cdp.send('HeapProfiler.collectGarbage');
  const chunks: string[] = [];
  const onChunk = (e: { chunk: string }) => chunks.push(e.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  const snap = JSON.parse(chunks.join('')) as RawSnapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [width, typeAt, nameAt, sizeAt] = [
    fields.length,
    ...['type', 'name', 'self_size'].map((f) => fields.indexOf(f)),
  ];
  const census: HeapCensus = { jsDataBytes: 0, codeBytes: 0, counts: new Map() };
  for (let i = 0; i < snap.nodes.length; i += width!) {
    const type = types[snap.nodes[i + typeAt!]!]!;
    const size = snap.nodes[i + sizeAt!]!;
    if (JS_DATA.has(type)) census.jsDataBytes += size;
    else if (type === 'code') census.codeBytes += size;
    // Strings are named by their text; one bucket per type keeps the table readable.
    const name = type === 'object' || type === 'native' ? snap.strings[snap.nodes[i + nameAt!]!]!.slice(0, 60) : '';
    const key = `${type}:${name}`;
    census.counts.set(key, (census.counts.get(key) ?? 0) + 1);
  }
  return census;
}

/**
 * The `top` constructors whose node count grew most from `before` to `after`, as `name +n` lines.
 *
 * @example
 * console.log(growth(a, b, 5).join(', '));
 */
export function growth(before: HeapCensus, after: HeapCensus, top: number): string[] {
  return [...after.counts]
    .map(([key, n]) => [key, n - (before.counts.get(key) ?? 0)] as const)
    .filter(([, d]) => d > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, d]) => `${key} +${d}`);
}
