import type { FastifyInstance } from 'fastify';
import type { RetentionSettings } from '../access/retention-settings.js';
import type { Scrubber } from '../ingest/scrubber.js';
import type { RetentionJob } from '../maintenance/retention-job.js';
import type { PipelineRunner } from '../pipeline/pipeline-runner.js';
import type { Store } from '../store/store.js';
import { jsonBody, optionalBoolean, requiredString } from './body-fields.js';

/**
 * GDPR erasure and retention settings (admin).
 * - `POST /api/v1/erasure { userId }`: the raw user id is pseudonymised exactly as the collector
 *   does, the journal is folded first (so no sample is still in flight), then every error sample
 *   of that pseudonym is deleted. Rollups and HyperLogLog sketches hold no user ids. The audit
 *   record names the pseudonym, never the raw id.
 * - `GET/PUT /api/v1/retention`: the days in force, the configured defaults, the last run's report.
 *
 * @example
 * await app.register(complianceRoutes, { store, scrubber, pipeline, retention, settings });
 */
export async function complianceRoutes(
  app: FastifyInstance,
  opts: {
    store: Store;
    scrubber: Scrubber;
    pipeline: PipelineRunner;
    retention: RetentionJob;
    settings: RetentionSettings;
  },
): Promise<void> {
  const { store, scrubber, pipeline, retention, settings } = opts;

  app.post('/api/v1/erasure', { config: { access: 'admin' } }, async (request) => {
    const userId = requiredString(jsonBody(request), 'userId', 256);
    const userHash = scrubber.pseudonymise(userId);
    request.auditTarget = `pseudonym:${userHash}`;
    await pipeline.drain();
    const removed = await store.access.eraseUserData(userHash);
    return { userHash, removed };
  });

  const view = () => ({ ...settings.current(), defaults: settings.defaults, lastReport: retention.lastReport ?? null });

  app.get('/api/v1/retention', { config: { access: 'admin' } }, async () => view());

  app.put('/api/v1/retention', { config: { access: 'admin' } }, async (request) => {
    const body = jsonBody(request);
    request.auditTarget = 'retention';
    await settings.save({
      detailedDays: body.detailedDays as number,
      aggregatedDays: body.aggregatedDays as number,
    });
    if (optionalBoolean(body, 'runNow') === true) await retention.run();
    return view();
  });
}
