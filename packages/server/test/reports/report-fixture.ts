import { templateRoute } from '@vigil/schema';
import { PortalSimulator } from '@vigil/simulator';
import { defaultConfig } from '../../src/config.js';
import { Aggregator } from '../../src/pipeline/aggregator.js';
import type { Store } from '../../src/store/store.js';

export const HOUR = 3_600_000;

/**
 * Loads `hours` of learning-portal traffic ending at `end` (the last hour an error burst and
 * slow mode, so reports have errors and SLA breaches) through the real Aggregator, and one
 * resolved and one open incident.
 */
export async function loadPortal(store: Store, project: string, end: number, hours: number, rate = 4): Promise<void> {
  const sim = new PortalSimulator({ seed: 7, users: 500, scenario: 'normal' });
  const agg = new Aggregator({ maxNamesPerMetric: defaultConfig().pipeline.maxNamesPerMetric });
  for (let h = end - hours * HOUR; h < end; h += HOUR) {
    sim.setMode(h === end - HOUR ? 'error-burst' : 'normal');
    for (const batch of sim.batchesFor(h, h + HOUR, { eventsPerSecond: rate, batchSize: 500, stepMillis: 10_000 })) {
      // The collector templates routes and pages (ids out of series names); do the same here.
      for (const e of batch.events) {
        if (e.type === 'api') e.route = templateRoute(e.route);
        else if (e.type === 'vital' && e.page !== undefined) e.page = templateRoute(e.page);
      }
      agg.add({
        seq: 0,
        project,
        receivedAt: h,
        payload: JSON.stringify({ source: batch.source, events: batch.events }),
      });
    }
    await store.commitPipeline({ ...agg.take(), seqs: [] });
  }
  const opened = end - HOUR + 5 * 60_000;
  await store.createIncident(
    {
      id: 'inc-report-1',
      project,
      title: 'Error rate spike',
      severity: 'critical',
      source: 'detector',
      signal: 'error_rate',
      openedAt: opened,
      evidence: { errorRate: 12.5 },
    },
    'opened',
  );
  await store.transitionIncident({
    id: 'inc-report-1',
    status: 'resolved',
    at: opened + 1_260_000,
    message: 'recovered',
  });
  await store.createIncident(
    {
      id: 'inc-report-2',
      project,
      title: 'API latency regression',
      severity: 'high',
      source: 'detector',
      signal: 'latency:api',
      openedAt: end - 10 * 60_000,
      evidence: { p95: 900 },
    },
    'opened',
  );
}
