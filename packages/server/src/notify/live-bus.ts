/** One message on the live stream. */
export interface LiveEvent {
  /** SSE event name: `alert`, `incident` or `notification`. */
  type: 'alert' | 'incident' | 'notification';
  data: Record<string, unknown>;
}

/**
 * In-process fan-out of alert and incident events to the SSE clients of `GET /api/v1/stream`.
 * A subscriber that throws is dropped; publishing never fails.
 *
 * @example
 * const off = bus.subscribe((e) => reply.raw.write(`event: ${e.type}\n…`));
 * bus.publish({ type: 'alert', data: { id: 'a1', status: 'firing' } });
 */
export class LiveBus {
  readonly #subscribers = new Set<(event: LiveEvent) => void>();
  /** Most concurrent stream clients (each holds a socket). */
  static readonly MAX_SUBSCRIBERS = 256;

  /** Adds a subscriber; false when full. Returns the unsubscribe function or null. */
  subscribe(fn: (event: LiveEvent) => void): (() => void) | null {
    if (this.#subscribers.size >= LiveBus.MAX_SUBSCRIBERS) return null;
    this.#subscribers.add(fn);
    return () => this.#subscribers.delete(fn);
  }

  get size(): number {
    return this.#subscribers.size;
  }

  publish(event: LiveEvent): void {
    for (const fn of this.#subscribers) {
      try {
        fn(event);
      } catch {
        this.#subscribers.delete(fn);
      }
    }
  }
}
