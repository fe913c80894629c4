import './analysis.js';
import { registerInsights } from './core/analysis-registry.js';
import { ApplicationMonitor } from './core/application-monitor.js';
import { Client, close, flush, getClient, getStats, resolveOptions, SDK_NAME, startClient } from './core/client.js';
import { ErrorTracker } from './core/error-tracker.js';
import { fetchRequest } from './core/fetch-request.js';
import { randomId } from './core/ids.js';
import { PerformanceTracker } from './core/performance-tracker.js';
import type { HealthStatus, KpiDashboard, PerformanceScore, ReadError, ReadResult } from './core/read-types.js';
import { scrubAttrs, scrubEvent, scrubString } from './core/scrub.js';
import { type PreparedBatch, parseRetryAfter, Transport, type TransportStats } from './core/transport.js';
import type { Diagnostic, DropReason, RequestFn, SdkRequest, SdkResponse, VigilOptions } from './core/types.js';
import { recordUserAction, recordUserError, recordUserPerformance } from './core/user-api.js';

/**
 * Starts the SDK with no platform hooks: events go out through the global `fetch` (or
 * `options.request`). Browser and Node apps should use `@vigil/sdk/browser` or
 * `@vigil/sdk/node`, whose `init` adds auto-capture. Never throws; bad options are reported to
 * `onDiagnostic` and leave the SDK a no-op.
 *
 * @example
 * init({ endpoint: 'http://localhost:4318', key: process.env.VIGIL_KEY!, service: 'portal-worker' });
 */
export function init(options: VigilOptions): void {
  const f = (globalThis as { fetch?: Parameters<typeof fetchRequest>[0] }).fetch;
  startClient(options, {
    platform: 'other',
    request: options?.request ?? (f === undefined ? async () => ({ status: 0 }) : fetchRequest(f.bind(globalThis))),
  });
}

export type {
  Diagnostic,
  DropReason,
  HealthStatus,
  KpiDashboard,
  PerformanceScore,
  PreparedBatch,
  ReadError,
  ReadResult,
  RequestFn,
  SdkRequest,
  SdkResponse,
  TransportStats,
  VigilOptions,
};
export {
  ApplicationMonitor,
  Client,
  close,
  ErrorTracker,
  fetchRequest,
  flush,
  getClient,
  getStats,
  PerformanceTracker,
  parseRetryAfter,
  randomId,
  recordUserAction,
  recordUserError,
  recordUserPerformance,
  registerInsights,
  resolveOptions,
  SDK_NAME,
  scrubAttrs,
  scrubEvent,
  scrubString,
  startClient,
  Transport,
};
