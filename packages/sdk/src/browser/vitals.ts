import { templateRoute, type VitalName } from '@vigil/schema';
import { getClient } from '../core/client.js';
import { recordTiming, report } from '../core/record.js';
import { type EntryLike, win } from './globals.js';

function observe(type: string, cb: (entries: EntryLike[]) => void, extra?: { durationThreshold: number }): boolean {
  const PO = win.PerformanceObserver;
  if (PO === undefined || !PO.supportedEntryTypes?.includes(type)) return false;
  try {
    new PO((list) => {
      try {
        cb(list.getEntries());
      } catch (error) {
        report(`observe ${type}`, error);
      }
    }).observe({ type, buffered: true, ...extra });
    return true;
  } catch {
    return false;
  }
}

function page(): string | undefined {
  const p = win.location?.pathname;
  return p === undefined ? undefined : templateRoute(p);
}

function vital(name: VitalName, value: number): void {
  const c = getClient();
  if (c === undefined || !(value >= 0)) return;
  try {
    const pg = page();
    c.record({
      type: 'vital',
      ts: Date.now(),
      sessionId: c.sessionId,
      name,
      value: name === 'CLS' ? Math.round(value * 10_000) / 10_000 : Math.round(value),
      ...(pg === undefined ? {} : { page: pg }),
    });
  } catch (error) {
    report('vital', error);
  }
}

/**
 * Web vitals with a few PerformanceObservers instead of the `web-vitals` package (which alone
 * is 3.4 KB gzipped): FCP and TTFB as soon as known; LCP at the first input or when the page is
 * hidden; CLS (largest 5 s session window) and INP (98th percentile of interaction latencies)
 * when the page is first hidden. Each vital is reported at most once per page load.
 * Returns the function to call when the page is hidden.
 */
export function captureVitals(): () => void {
  let lcp = -1;
  let lcpDone = false;
  let cls = 0;
  let windowValue = 0;
  let windowStart = 0;
  let windowLast = 0;
  const interactions = new Map<number, number>();
  let hiddenDone = false;

  const nav = win.performance?.getEntriesByType?.('navigation')[0];
  if (nav?.responseStart !== undefined && nav.responseStart > 0) {
    vital('TTFB', nav.responseStart - (nav.activationStart ?? 0));
  }
  observe('paint', (entries) => {
    for (const e of entries) if (e.name === 'first-contentful-paint') vital('FCP', e.startTime);
  });
  observe('largest-contentful-paint', (entries) => {
    const last = entries[entries.length - 1];
    if (last !== undefined && !lcpDone) lcp = last.startTime;
  });
  const finishLcp = (): void => {
    if (lcpDone || lcp < 0) return;
    lcpDone = true;
    vital('LCP', lcp);
  };
  for (const t of ['keydown', 'pointerdown']) win.addEventListener?.(t, finishLcp, { capture: true });
  observe('layout-shift', (entries) => {
    for (const e of entries) {
      if (e.hadRecentInput || typeof e.value !== 'number') continue;
      if (windowValue > 0 && e.startTime - windowLast < 1000 && e.startTime - windowStart < 5000) {
        windowValue += e.value;
      } else {
        windowValue = e.value;
        windowStart = e.startTime;
      }
      windowLast = e.startTime;
      if (windowValue > cls) cls = windowValue;
    }
  });
  const onEvent = (entries: EntryLike[]): void => {
    for (const e of entries) {
      const id = e.interactionId;
      if (!id) continue;
      if (e.duration > (interactions.get(id) ?? -1)) interactions.set(id, e.duration);
      // Keep the map bounded on pages with endless interaction.
      if (interactions.size > 500) interactions.delete(interactions.keys().next().value as number);
    }
  };
  observe('event', onEvent, { durationThreshold: 40 });
  observe('first-input', onEvent);
  recordNavigationTiming();

  return () => {
    finishLcp();
    if (hiddenDone) return;
    hiddenDone = true;
    vital('CLS', cls);
    if (interactions.size > 0) {
      const sorted = [...interactions.values()].sort((a, b) => b - a);
      vital('INP', sorted[Math.min(sorted.length - 1, Math.floor(sorted.length / 50))] as number);
    }
  };
}

/** `page_load` and `dom_content_loaded` timings (phase `ui`) from the navigation entry, once the page has loaded. */
function recordNavigationTiming(tries = 0): void {
  setTimeout(() => {
    try {
      const nav = win.performance?.getEntriesByType?.('navigation')[0];
      if (!nav?.loadEventEnd) {
        if (nav !== undefined && tries < 20) recordNavigationTiming(tries + 1);
        return;
      }
      const pg = page();
      const attrs = pg === undefined ? undefined : { page: pg };
      recordTiming('ui', 'dom_content_loaded', nav.domContentLoadedEventEnd ?? 0, attrs);
      recordTiming('ui', 'page_load', nav.loadEventEnd, attrs);
    } catch (error) {
      report('navigationTiming', error);
    }
  }, tries && 500);
}
