/**
 * The spec's Monitoring Components and Integration Guide (phases 2–4) run once against a local
 * Vigil, printing what the read calls and the local error analysis return.
 *
 *   VIGIL_URL=http://127.0.0.1:4600 VIGIL_KEY=vk_… npm start -w examples/learning-portal
 */
import {
  ApplicationMonitor,
  ErrorTracker,
  flush,
  getStats,
  PerformanceTracker,
  recordError,
  recordPerformance,
  recordUserAction,
  startMonitoring,
} from './lib/monitoring.js';

startMonitoring();

// Monitoring Components: ApplicationMonitor
const monitor = ApplicationMonitor.getInstance();
monitor.recordAuthEvent('login');
monitor.recordContentEvent('course_view');
monitor.recordPWAEvent('pwa_install');
monitor.recordAPIResponse(150); // 150ms response time
const health = await monitor.getHealthStatus();

// PerformanceTracker
const tracker = PerformanceTracker.getInstance();
const dashboard = await tracker.getKPIDashboard();
const score = await tracker.calculatePerformanceScore();
tracker.recordAuthPerformance('login', 250);
tracker.recordContentPerformance('video_load', 500);
tracker.recordPWAPerformance('cache_hit', 50);

// ErrorTracker
const errorTracker = ErrorTracker.getInstance();
errorTracker.trackError(new Error('JS error'), 'javascript');
errorTracker.trackAPIError('/api/courses', 500, 'Server Error');
errorTracker.trackAuthError('invalid_credentials', 'user123');
const analysis = errorTracker.analyzeErrors();
const incidents = errorTracker.detectIncidents();

// Integration Guide, phases 2–4: in React these come from useMonitoring() (see web/LearningPortal.tsx);
// in Node the same three functions are imported directly.
const userId = 'user123';
const courseId = 'python-101';
const videoId = 'intro';
const signIn = async (): Promise<void> => {
  throw new Error('invalid password for user123');
};

const handleLogin = async () => {
  try {
    await signIn();
    recordUserAction('login', userId);
  } catch (error) {
    recordError(error, 'authentication', { userId });
  }
};

const handleVideoStart = () => {
  recordUserAction('video_start', userId, { courseId, videoId });
  const startTime = performance.now();
  // ... video loading logic
  const loadTime = performance.now() - startTime;
  recordPerformance('video_load', loadTime, 'content');
};

const handlePWAInstall = () => {
  recordUserAction('pwa_install');
};

const handleOfflineSync = () => {
  try {
    // Sync logic
    recordUserAction('offline_sync_success');
  } catch (error) {
    recordError(error, 'pwa', { feature: 'offline_sync' });
  }
};

await handleLogin();
handleVideoStart();
handlePWAInstall();
handleOfflineSync();

const delivered = await flush(5000);
console.log(JSON.stringify({ health, dashboard, score, analysis, incidents, delivered, stats: getStats() }, null, 2));
