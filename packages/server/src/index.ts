export type { BuildOptions, RouteEntry, VigilApp } from './app.js';
export { buildApp } from './app.js';
export type { VigilConfig } from './config.js';
export { ConfigError, defaultConfig, loadConfig } from './config.js';
export type { Store } from './store/store.js';
