import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

/**
 * `npm start`: parse configuration, build the app, listen, print how to use it.
 * `npm start -- --demo` also runs the learning-portal traffic simulator against this server.
 */
async function main(argv: string[]): Promise<void> {
  const demo = argv.includes('--demo');
  const unknown = argv.filter((a) => a !== '--demo');
  if (unknown.length > 0) {
    console.error(`Unknown argument ${unknown[0]}. Usage: npm start [-- --demo]`);
    process.exit(2);
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const vigil = await buildApp(config);
  const address = await vigil.app.listen({ port: config.port, host: config.host });
  const url = address.replace('[::1]', 'localhost');
  const lines = [
    '',
    `Vigil is running at ${url}  (store: ${vigil.store.name}${vigil.store.name === 'sqlite' ? `, ${config.dataDir}` : ''})`,
    `  Ingest key (project ${config.defaultProject}): ${vigil.ingestKey}`,
    vigil.createdAdminToken
      ? `  Admin token (shown once, keep it): ${vigil.createdAdminToken}`
      : '  Admin token: created on first run (set VIGIL_ADMIN_TOKEN to add one)',
    vigil.createdAdminPassword
      ? `  Sign in as admin with password (shown once, keep it): ${vigil.createdAdminPassword}`
      : '  Sign in: user admin (password from first run or VIGIL_ADMIN_PASSWORD; reset with npm run vigil -- users reset admin)',
    `  Send events:  POST ${url}/api/v1/events  (Authorization: Bearer <ingest key>)`,
    `  Read:         GET  ${url}/api/v1/series?metric=api  (Authorization: Bearer <admin token>)`,
    `  API document: ${url}/api/openapi.json`,
    '',
  ];
  console.log(lines.join('\n'));

  const stopDemo = new AbortController();
  if (demo) {
    const { runSimulator } = await import('@vigil/simulator');
    console.log('Demo: sending learning-portal traffic (200 events/s). Ctrl-C stops both.');
    void runSimulator({ url, key: vigil.ingestKey, eventsPerSecond: 200, signal: stopDemo.signal }).catch(
      (e: unknown) => {
        vigil.app.log.error({ err: e }, 'demo traffic stopped');
      },
    );
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    vigil.app.log.info({ signal }, 'shutting down');
    stopDemo.abort();
    const timer = setTimeout(() => process.exit(1), 15_000);
    timer.unref();
    await vigil.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(
    e instanceof Error
      ? `Vigil failed to start: ${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ''}`
      : e,
  );
  process.exit(1);
});
