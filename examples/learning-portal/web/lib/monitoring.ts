/**
 * The portal's `@/lib/monitoring` in the browser: the capture SDK, plus `@vigil/sdk/analysis`
 * so that `analyzeErrors()`, `detectIncidents()` and the read calls work exactly as the spec
 * shows (it adds about 2 KB gzipped to the 8 KB capture bundle).
 */
import '@vigil/sdk/analysis';
import { init } from '@vigil/sdk/browser';

init({
  endpoint: 'http://127.0.0.1:4600',
  key: 'vk_learning_portal_browser_key',
  service: 'learning-portal-web',
  release: '1.0.0',
  sampleRate: 1,
});

export { ApplicationMonitor, ErrorTracker, PerformanceTracker } from '@vigil/sdk/browser';
export { useMonitoring } from '@vigil/sdk/react';
