/**
 * `npm run demo`: sends simulated learning-portal traffic to a collector until Ctrl-C or
 * `--duration`, printing a status line every five seconds. Run with `--help` for the options.
 */
import { parseCliOptions, USAGE } from './cli-options.js';
import { PortalSimulator } from './portal-simulator.js';
import { IngestAuthError, runSimulator, type SimulatorStats } from './send.js';

const STATUS_EVERY_MILLIS = 5_000;

async function main(): Promise<number> {
  const parsed = parseCliOptions(process.argv.slice(2), process.env);
  if (parsed.ok === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (!parsed.ok) {
    console.error(`vigil-sim: ${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const o = parsed.options;
  const seed = o.seed ?? Date.now() % 2_147_483_647;
  const simulator = new PortalSimulator({ seed });
  const controller = new AbortController();
  let interrupts = 0;
  const stop = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    console.log('vigil-sim: stopping (Ctrl-C again to quit at once)');
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const live: SimulatorStats = { sentBatches: 0, acceptedEvents: 0, rejectedEvents: 0, retries: 0, failedBatches: 0 };
  let lastError: string | undefined;
  let sentEvents = 0;
  let lastTick = { at: Date.now(), events: 0 };
  const started = Date.now();
  console.log(
    `vigil-sim: sending ~${o.rate} events/s to ${o.url}/api/v1/events (seed ${seed}, mode ${o.mode}` +
      `${o.durationMillis === undefined ? ', Ctrl-C stops' : `, for ${o.durationMillis / 1000} s`})`,
  );
  const timer = setInterval(() => {
    const now = Date.now();
    const events = sentEvents;
    const perSecond = ((events - lastTick.events) * 1000) / Math.max(1, now - lastTick.at);
    lastTick = { at: now, events };
    const elapsed = Math.round((now - started) / 1000);
    console.log(
      `[${elapsed}s] mode ${simulator.modeAt(now)} · ${perSecond.toFixed(0)} ev/s · batches ${live.sentBatches}` +
        ` · accepted ${live.acceptedEvents} · rejected ${live.rejectedEvents} · retries ${live.retries}` +
        ` · failed ${live.failedBatches}${lastError ? ` · last error: ${lastError}` : ''}`,
    );
    lastError = undefined;
  }, STATUS_EVERY_MILLIS);
  try {
    const stats = await runSimulator({
      url: o.url,
      key: o.key,
      eventsPerSecond: o.rate,
      batchSize: o.batchSize,
      durationMillis: o.durationMillis,
      signal: controller.signal,
      mode: o.mode,
      simulator,
      onBatch: (b) => {
        if (b.ok) {
          live.sentBatches++;
          sentEvents += b.events;
          live.acceptedEvents += b.accepted;
          live.rejectedEvents += b.rejected;
        } else {
          live.failedBatches++;
          lastError = b.error;
        }
      },
      onRetry: (r) => {
        live.retries++;
        lastError = r.reason;
      },
    });
    console.log(
      `vigil-sim: done: ${stats.sentBatches} batches, ${stats.acceptedEvents} events accepted, ` +
        `${stats.rejectedEvents} rejected, ${stats.retries} retries, ${stats.failedBatches} batches failed`,
    );
    return stats.sentBatches === 0 && stats.failedBatches > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof IngestAuthError) {
      console.error(`vigil-sim: ${e.message}. Check --key or VIGIL_INGEST_KEY (the server prints its ingest key).`);
      return 1;
    }
    throw e;
  } finally {
    clearInterval(timer);
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`vigil-sim: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
