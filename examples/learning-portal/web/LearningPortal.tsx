/**
 * The spec's Integration Guide, phases 2–4, as one React component using `useMonitoring`.
 * Phase 1 (embedding `MonitoringDashboard`) belongs to the dashboard package.
 */
import { useState } from 'react';
import { useMonitoring } from './lib/monitoring';

interface Props {
  userId: string;
  courseId: string;
  videoId: string;
  signIn: () => Promise<void>;
  syncOffline: () => void;
}

export function LearningPortal({ userId, courseId, videoId, signIn, syncOffline }: Props) {
  const { recordUserAction, recordError, recordPerformance } = useMonitoring();
  const [status, setStatus] = useState('ready');

  // Phase 2: authentication
  const handleLogin = async () => {
    try {
      await signIn();
      recordUserAction('login', userId);
      setStatus('signed in');
    } catch (error) {
      recordError(error, 'authentication', { userId });
      setStatus('sign-in failed');
    }
  };

  // Phase 3: content delivery
  const handleVideoStart = () => {
    recordUserAction('video_start', userId, {
      courseId,
      videoId,
    });

    // Track performance
    const startTime = performance.now();
    // ... video loading logic
    const loadTime = performance.now() - startTime;
    recordPerformance('video_load', loadTime, 'content');
  };

  // Phase 4: PWA features
  const handlePWAInstall = () => {
    recordUserAction('pwa_install');
  };

  const handleOfflineSync = () => {
    try {
      syncOffline();
      recordUserAction('offline_sync_success');
    } catch (error) {
      recordError(error, 'pwa', { feature: 'offline_sync' });
    }
  };

  return (
    <main>
      <p role="status">{status}</p>
      <button type="button" onClick={handleLogin}>
        Sign in
      </button>
      <button type="button" onClick={handleVideoStart}>
        Play video
      </button>
      <button type="button" onClick={handlePWAInstall}>
        Install app
      </button>
      <button type="button" onClick={handleOfflineSync}>
        Sync offline work
      </button>
    </main>
  );
}
