import type { Alert } from '@vigil/schema';

/**
 * Asks for notification permission. Browsers only honour this from a user gesture, so it is
 * called from the switch's change handler. Resolves true when notifications may be shown.
 *
 * @example
 * button.onclick = async () => setEnabled(await askNotificationPermission());
 */
export async function askNotificationPermission(): Promise<boolean> {
  if (typeof Notification === 'undefined') return false;
  if (Notification.permission === 'granted') return true;
  if (Notification.permission === 'denied') return false;
  return (await Notification.requestPermission()) === 'granted';
}

/** Shows a system notification for a new alert (when permitted). */
export function notifyAlert(alert: Alert): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(`${alert.severity.toUpperCase()}: ${alert.title}`, {
      body: `Value ${alert.value ?? 'n/a'}, threshold ${alert.threshold}`,
      tag: alert.id,
    });
  } catch {
    // Some browsers only allow notifications from a service worker; the in-page list still shows it.
  }
}

let audio: AudioContext | null = null;

/**
 * A short two-tone chime through Web Audio (no audio file to load or allow in the CSP).
 *
 * @example
 * playAlertSound();
 */
export function playAlertSound(): void {
  try {
    audio ??= new AudioContext();
    const ctx = audio;
    for (const [i, freq] of [880, 660].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.15, ctx.currentTime + i * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + i * 0.18 + 0.16);
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + i * 0.18);
      osc.stop(ctx.currentTime + i * 0.18 + 0.17);
    }
  } catch {
    // No audio device or autoplay blocked: the visual alert remains.
  }
}
