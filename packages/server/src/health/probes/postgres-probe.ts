import pg from 'pg';
import { type HealthProbe, measure, type ProbeResult } from './health-probe.js';

/**
 * Checks a PostgreSQL server with `SELECT 1` on a fresh connection (so a broken pool elsewhere
 * cannot hide a healthy server, or the reverse). `target` is a `postgres://` URL.
 *
 * @example
 * await new PostgresProbe('postgres://app@db:5432/app').check(AbortSignal.timeout(5_000));
 */
export class PostgresProbe implements HealthProbe {
  constructor(private readonly target: string) {}

  check(signal: AbortSignal): Promise<ProbeResult> {
    return measure(signal, async () => {
      const client = new pg.Client({ connectionString: this.target });
      // Errors after the check (e.g. the server closing the socket) must not crash the process.
      client.on('error', () => {});
      const abort = () => void client.end().catch(() => {});
      signal.addEventListener('abort', abort, { once: true });
      try {
        await client.connect();
        const { rows } = await client.query('SELECT 1 AS one');
        const ok = Number((rows[0] as { one?: unknown } | undefined)?.one) === 1;
        return ok ? 'SELECT 1' : { ok: false, detail: 'SELECT 1 returned an unexpected row' };
      } finally {
        signal.removeEventListener('abort', abort);
        await client.end().catch(() => {});
      }
    });
  }
}
