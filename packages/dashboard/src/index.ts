export type { Alert, Role, SessionInfo, TimeRange } from '@vigil/schema';
export { AdminSection } from './admin-section.js';
export { AlertSystem } from './alert-system.js';
export { ApiError, VigilApi } from './api.js';
export { App } from './app.js';
export { DashboardProvider, useDashboard } from './dashboard-context.js';
export { DashboardControls, MonitoringDashboard } from './monitoring-dashboard.js';
export { LoginPage, SessionGate } from './session-gate.js';
export { ThemeProvider, ThemeSwitch, useTheme } from './theme-provider.js';
