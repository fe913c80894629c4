import type { FastifyInstance } from 'fastify';
import type { AccessServices } from '../access/access-services.js';
import type { KeyRing } from '../ingest/key-ring.js';
import type { Scrubber } from '../ingest/scrubber.js';
import type { RetentionJob } from '../maintenance/retention-job.js';
import type { PipelineRunner } from '../pipeline/pipeline-runner.js';
import type { Store } from '../store/store.js';
import { auditRoutes } from './audit-routes.js';
import { complianceRoutes } from './compliance-routes.js';
import { keyRoutes } from './key-routes.js';
import { sessionRoutes } from './session-routes.js';
import { tokenRoutes } from './token-routes.js';
import { userRoutes } from './user-routes.js';

/**
 * Every access and compliance route: session, users, tokens, keys, projects, audit, erasure,
 * retention. Responses may hold credentials shown once, so none may be cached.
 *
 * @example
 * await app.register(accessRoutes, { access, store, keyRing, scrubber, pipeline, retention, trustProxy: false, now });
 */
export async function accessRoutes(
  app: FastifyInstance,
  opts: {
    access: AccessServices;
    store: Store;
    keyRing: KeyRing;
    scrubber: Scrubber;
    pipeline: PipelineRunner;
    retention: RetentionJob;
    trustProxy: boolean;
    now: () => number;
  },
): Promise<void> {
  const { access, store, now } = opts;
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  await app.register(sessionRoutes, { sessions: access.sessions, users: access.users, trustProxy: opts.trustProxy });
  await app.register(userRoutes, { store, users: access.users });
  await app.register(tokenRoutes, { store, now });
  await app.register(keyRoutes, { store, keyRing: opts.keyRing, now });
  await app.register(auditRoutes, { audit: access.audit, now });
  await app.register(complianceRoutes, {
    store,
    scrubber: opts.scrubber,
    pipeline: opts.pipeline,
    retention: opts.retention,
    settings: access.retentionSettings,
  });
}
