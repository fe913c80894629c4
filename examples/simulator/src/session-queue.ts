import type { JourneyContext, SimEvent } from './session-journey.js';

/** A tab session in progress: its journey and the next event it will emit. */
export interface SimSession {
  /** Creation order; breaks timestamp ties so runs are deterministic. */
  seq: number;
  ctx: JourneyContext;
  journey: Generator<SimEvent, void, void>;
  pending: SimEvent;
  /** Index of the client service this session reports as. */
  service: number;
}

/**
 * A binary min-heap of sessions ordered by the timestamp of their pending event, then by
 * creation order.
 *
 * @example
 * const queue = new SessionQueue();
 * queue.push(session);
 * const earliest = queue.pop();
 */
export class SessionQueue {
  private readonly heap: SimSession[] = [];

  /** Number of queued sessions. */
  get size(): number {
    return this.heap.length;
  }

  /** The session with the earliest pending event, left in the queue. */
  peek(): SimSession | undefined {
    return this.heap[0];
  }

  /** Adds a session. */
  push(session: SimSession): void {
    const heap = this.heap;
    heap.push(session);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as SimSession, heap[parent] as SimSession)) break;
      swap(heap, i, parent);
      i = parent;
    }
  }

  /** Removes and returns the session with the earliest pending event. */
  pop(): SimSession | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l] as SimSession, heap[m] as SimSession)) m = l;
      if (r < heap.length && before(heap[r] as SimSession, heap[m] as SimSession)) m = r;
      if (m === i) return top;
      swap(heap, i, m);
      i = m;
    }
  }
}

function before(a: SimSession, b: SimSession): boolean {
  const d = a.pending.event.ts - b.pending.event.ts;
  return d < 0 || (d === 0 && a.seq < b.seq);
}

function swap(heap: SimSession[], i: number, j: number): void {
  const t = heap[i] as SimSession;
  heap[i] = heap[j] as SimSession;
  heap[j] = t;
}
