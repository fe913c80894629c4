import { BrowserChannel } from './browser-channel.js';
import type { ChannelConfig } from './channel-config.js';
import { EmailChannel } from './email-channel.js';
import type { LiveBus } from './live-bus.js';
import type { NotificationChannel } from './notification.js';
import { WebhookChannel } from './webhook-channel.js';

/**
 * The adapter for a validated channel configuration: the one place that knows the channel types.
 *
 * @example
 * const channel = createChannel(config, { allowPrivateTargets: false, bus });
 */
export function createChannel(
  config: ChannelConfig,
  deps: { allowPrivateTargets: boolean; bus: LiveBus },
): NotificationChannel {
  switch (config.type) {
    case 'webhook':
      return new WebhookChannel(config, { allowPrivateTargets: deps.allowPrivateTargets });
    case 'email':
      return new EmailChannel(config);
    case 'browser':
      return new BrowserChannel(config, deps.bus);
  }
}
