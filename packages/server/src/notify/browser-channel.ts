import type { BrowserChannelConfig } from './channel-config.js';
import type { LiveBus } from './live-bus.js';
import type { Notification, NotificationChannel, SendResult } from './notification.js';

/**
 * Browser channel: puts the notification on the live stream (`GET /api/v1/stream`, event
 * `notification`), where the dashboard shows a browser notification and plays a sound when
 * `sound` is set. Delivery to the stream cannot fail once the bus accepted it; when the server
 * is shutting down (bus closed) it reports a non-retryable failure.
 *
 * @example
 * const browser = new BrowserChannel({ name: 'dashboard', type: 'browser', sound: true }, bus);
 */
export class BrowserChannel implements NotificationChannel {
  readonly type = 'browser';
  readonly name: string;
  #closed = false;

  constructor(
    private readonly config: BrowserChannelConfig,
    private readonly bus: LiveBus,
  ) {
    this.name = config.name;
  }

  /** Stops accepting notifications (shutdown). */
  close(): void {
    this.#closed = true;
  }

  async send(n: Notification): Promise<SendResult> {
    if (this.#closed) return { ok: false, retryable: false, error: `${this.name}: the live stream is closed` };
    this.bus.publish({ type: 'notification', data: { ...n, sound: this.config.sound } });
    return { ok: true };
  }
}
