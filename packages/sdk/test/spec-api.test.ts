import { analyzeErrors, detectIncidents } from '@vigil/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ApplicationMonitor,
  close,
  ErrorTracker,
  flush,
  getClient,
  getStats,
  init,
  PerformanceTracker,
} from '../src/index.js';
import { useMonitoring } from '../src/react.js';
import { FakeCollector } from './support/fake-collector.js';

let collector: FakeCollector;

beforeEach(async () => {
  collector = await new FakeCollector().start();
});

afterEach(async () => {
  close();
  await collector.close();
});

function start(readToken?: string): void {
  init({
    endpoint: collector.url,
    key: 'vk',
    service: 'portal-web',
    release: '2.0.0',
    flushIntervalMillis: 20,
    readToken,
  });
}

describe('calls before init', () => {
  it('are no-ops that never throw, and reads say why they have no data', async () => {
    close();
    const monitor = ApplicationMonitor.getInstance();
    monitor.recordAuthEvent('login');
    monitor.recordAPIResponse(150);
    PerformanceTracker.getInstance().recordAuthPerformance('login', 250);
    ErrorTracker.getInstance().trackError(new Error('x'), 'javascript');
    useMonitoring().recordUserAction('login', 'u1');
    expect(await flush(100)).toBe(true);
    expect(getStats().queued).toBe(0);
    expect(collector.requests).toHaveLength(0);
    expect(await monitor.getHealthStatus()).toEqual({
      ok: false,
      error: { code: 'VIGIL_SDK_NOT_INITIALIZED', status: 0, message: 'call init() first' },
    });
    expect(ErrorTracker.getInstance().analyzeErrors().total).toBe(0);
    expect(ErrorTracker.getInstance().detectIncidents()).toEqual([]);
  });
});

describe("the spec's Monitoring Components calls", () => {
  it('produce the right wire events, all accepted by validateBatch', async () => {
    start();
    const monitor = ApplicationMonitor.getInstance();
    monitor.recordAuthEvent('login');
    monitor.recordContentEvent('course_view');
    monitor.recordPWAEvent('pwa_install');
    monitor.recordAPIResponse(150);
    const tracker = PerformanceTracker.getInstance();
    tracker.recordAuthPerformance('login', 250);
    tracker.recordContentPerformance('video_load', 500);
    tracker.recordPWAPerformance('cache_hit', 50);
    const errorTracker = ErrorTracker.getInstance();
    errorTracker.trackError(new Error('JS error'), 'javascript');
    errorTracker.trackAPIError('/api/courses', 500, 'Server Error');
    errorTracker.trackAuthError('invalid_credentials', 'user123');
    expect(await flush(3000)).toBe(true);
    expect(collector.rejected).toBe(0);
    const batch = [...collector.stored.values()][0];
    expect(batch?.source).toEqual({
      service: 'portal-web',
      environment: 'production',
      release: '2.0.0',
      platform: 'other',
      sdk: '@vigil/sdk/0.1.0',
    });
    const events = collector.events.map(({ ts: _ts, ...e }) => e);
    expect(events.slice(0, 7)).toEqual([
      { type: 'action', phase: 'auth', name: 'login' },
      { type: 'action', phase: 'content', name: 'course_view' },
      { type: 'action', phase: 'pwa', name: 'pwa_install' },
      { type: 'api', route: '*', method: 'GET', status: 200, durationMs: 150 },
      { type: 'timing', phase: 'auth', name: 'login', durationMs: 250 },
      { type: 'timing', phase: 'content', name: 'video_load', durationMs: 500 },
      { type: 'timing', phase: 'pwa', name: 'cache_hit', durationMs: 50 },
    ]);
    expect(events[7]).toMatchObject({ type: 'error', kind: 'javascript', message: 'JS error', name: 'Error' });
    expect(events[8]).toEqual({
      type: 'error',
      kind: 'api',
      message: 'Server Error',
      phase: 'api',
      context: { route: '/api/courses', status: 500 },
    });
    expect(events[9]).toEqual({
      type: 'error',
      kind: 'auth',
      message: 'invalid_credentials',
      phase: 'auth',
      userId: 'user123',
    });
  });

  it('analyzeErrors and detectIncidents agree with the schema functions on the same errors', () => {
    start();
    const errorTracker = ErrorTracker.getInstance();
    for (let i = 0; i < 12; i++) errorTracker.trackAPIError(`/api/courses/${i}`, 500, `Course ${i} failed`);
    errorTracker.trackAuthError('invalid_credentials', 'user123');
    for (let i = 0; i < 7; i++) ApplicationMonitor.getInstance().recordAPIResponse(100);
    const now = Date.now();
    const analysis = errorTracker.analyzeErrors({ now });
    expect(analysis.total).toBe(13);
    expect(analysis.byKind).toEqual({ javascript: 0, api: 12, auth: 1, validation: 0, system: 0 });
    expect(analysis.errorRate).toBeCloseTo((13 / 20) * 100, 5);
    expect(analysis.groups[0]).toMatchObject({ kind: 'api', message: 'Course <n> failed', count: 12 });
    expect(analysis.groups[1]).toMatchObject({ kind: 'auth', count: 1, users: 1 });
    const incidents = errorTracker.detectIncidents({ now });
    expect(incidents.map((i) => [i.reason, i.severity, i.count])).toEqual([
      ['error_rate', 'critical', 13],
      ['burst', 'high', 12],
    ]);
    // Same inputs, same answer as the pure functions the server uses.
    const errors = getClient()?.recentErrors ?? [];
    expect(errors).toHaveLength(13);
    expect(analyzeErrors(errors, { now, totalEvents: 20 })).toEqual(analysis);
    expect(detectIncidents(errors, { now, totalEvents: 20 })).toEqual(incidents);
  });

  it('read calls return data, or a typed error for a missing route, credential or collector', async () => {
    start('vt_read');
    collector.gets.set('/api/v1/health', { status: 200, body: { status: 'healthy', checks: [] } });
    collector.gets.set('/api/v1/kpis', {
      status: 401,
      body: { error: { code: 'VIGIL_ERR_UNAUTHENTICATED', message: 'A valid admin token is required.' } },
    });
    const health = await ApplicationMonitor.getInstance().getHealthStatus();
    expect(health).toEqual({ ok: true, data: { status: 'healthy', checks: [] } });
    expect(collector.requests[0]?.headers.authorization).toBe('Bearer vt_read');
    expect(await PerformanceTracker.getInstance().getKPIDashboard()).toEqual({
      ok: false,
      error: { code: 'VIGIL_ERR_UNAUTHENTICATED', status: 401, message: 'A valid admin token is required.' },
    });
    expect(await PerformanceTracker.getInstance().calculatePerformanceScore()).toEqual({
      ok: false,
      error: { code: 'VIGIL_ERR_NOT_FOUND', status: 404, message: 'No such resource.' },
    });
    const failing = {
      status: 'fail',
      checks: { 'database:responseTime': [{ status: 'fail', output: 'connect ECONNREFUSED' }] },
    };
    collector.gets.set('/api/v1/health', { status: 503, body: failing });
    expect(await ApplicationMonitor.getInstance().getHealthStatus()).toEqual({ ok: true, data: failing });
    collector.gets.set('/api/v1/health', {
      status: 503,
      body: { error: { code: 'VIGIL_ERR_OVERLOADED', message: 'busy' } },
    });
    expect(await ApplicationMonitor.getInstance().getHealthStatus()).toEqual({
      ok: false,
      error: { code: 'VIGIL_ERR_OVERLOADED', status: 503, message: 'busy' },
    });
    await collector.close();
    const down = await ApplicationMonitor.getInstance().getHealthStatus();
    expect(down).toMatchObject({ ok: false, error: { code: 'VIGIL_SDK_NETWORK', status: 0 } });
    collector = await new FakeCollector().start();
  });
});

describe("the spec's Integration Guide (useMonitoring)", () => {
  it('maps actions to phases, categories to kinds, and pulls userId out of the context', async () => {
    start();
    const { recordUserAction, recordError, recordPerformance } = useMonitoring();
    const userId = 'user-42';
    recordUserAction('login', userId);
    recordError(new Error('bad credentials'), 'authentication', { userId });
    recordUserAction('video_start', userId, { courseId: 'c1', videoId: 'v9' });
    recordPerformance('video_load', 812.5, 'content');
    recordUserAction('pwa_install');
    recordUserAction('offline_sync_success');
    recordError(new Error('sync failed'), 'pwa', { feature: 'offline_sync' });
    expect(useMonitoring()).toBe(useMonitoring());
    expect(await flush(3000)).toBe(true);
    expect(collector.rejected).toBe(0);
    const events = collector.events.map(({ ts: _ts, ...e }) => e);
    expect(events[0]).toEqual({ type: 'action', phase: 'auth', name: 'login', userId });
    expect(events[1]).toMatchObject({ type: 'error', kind: 'auth', phase: 'auth', userId, message: 'bad credentials' });
    expect(events[1]).not.toHaveProperty('context');
    expect(events[2]).toEqual({
      type: 'action',
      phase: 'content',
      name: 'video_start',
      userId,
      attrs: { courseId: 'c1', videoId: 'v9' },
    });
    expect(events[3]).toEqual({ type: 'timing', phase: 'content', name: 'video_load', durationMs: 812.5 });
    expect(events[4]).toEqual({ type: 'action', phase: 'pwa', name: 'pwa_install' });
    expect(events[5]).toEqual({ type: 'action', phase: 'pwa', name: 'offline_sync_success' });
    expect(events[6]).toMatchObject({
      type: 'error',
      kind: 'javascript',
      phase: 'pwa',
      context: { feature: 'offline_sync' },
    });
  });
});
