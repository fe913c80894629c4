import pg from 'pg';

/**
 * Options of {@link PostgresLeadership}.
 *
 * @example
 * const options: PostgresLeadershipOptions = { connectionString: url, schema: 'vigil' };
 */
export interface PostgresLeadershipOptions {
  connectionString: string;
  /** The store's schema: leadership is per schema, so two deployments on one server do not block each other. */
  schema: string;
  /** Longest a lock query may take before the session counts as lost. Default 5 s. */
  queryTimeoutMillis?: number;
}

/**
 * Cluster-wide duties held with PostgreSQL session advisory locks on one dedicated connection
 * (not a pooled one: a session lock lives as long as its connection, and a pool would hand the
 * connection to someone else). Whoever holds `pg_try_advisory_lock(hashtext(schema),
 * hashtext(name))` does the duty; when the connection dies the server drops the lock, another
 * node takes it at its next try, and this node reconnects and tries again at its own next try.
 * Each call while holding a lock first proves the session is still alive, so a node whose
 * connection broke stops acting as leader at its next check.
 *
 * @example
 * const leadership = new PostgresLeadership({ connectionString: url, schema: 'vigil' });
 * if (await leadership.tryAcquire('alerting')) await evaluate();
 */
export class PostgresLeadership {
  #client: pg.Client | null = null;
  readonly #held = new Set<string>();
  /** Calls run one at a time: one connection, and no two racing connects. */
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(private readonly options: PostgresLeadershipOptions) {}

  /** True when this process holds (or just took) the lock `name`; false when another holds it or the database is unreachable. */
  tryAcquire(name: string): Promise<boolean> {
    return this.#serial(async () => {
      if (this.#closed) return false;
      try {
        const client = await this.#connection();
        if (this.#held.has(name)) {
          await client.query('SELECT 1');
          return true;
        }
        const { rows } = await client.query('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS ok', [
          this.options.schema,
          name,
        ]);
        const ok = (rows[0] as { ok: boolean } | undefined)?.ok === true;
        if (ok) this.#held.add(name);
        return ok;
      } catch {
        // Whatever failed, the session's locks can no longer be trusted.
        this.#drop();
        return false;
      }
    });
  }

  /** Gives the lock up (e.g. at shutdown) so another node takes over at once. */
  release(name: string): Promise<void> {
    return this.#serial(async () => {
      if (!this.#held.delete(name) || this.#client === null) return;
      await this.#client
        .query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [this.options.schema, name])
        .catch(() => this.#drop());
    });
  }

  /** Closes the dedicated connection; every lock it held is released by the server. */
  close(): Promise<void> {
    return this.#serial(async () => {
      this.#closed = true;
      const client = this.#client;
      this.#drop();
      await client?.end().catch(() => {});
    });
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => {});
    return run;
  }

  async #connection(): Promise<pg.Client> {
    if (this.#client !== null) return this.#client;
    const timeout = this.options.queryTimeoutMillis ?? 5_000;
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: `vigil-leader:${this.options.schema}`,
      connectionTimeoutMillis: timeout,
      query_timeout: timeout,
      keepAlive: true,
    });
    // A broken session has lost its locks; without these listeners `pg` would crash the process.
    client.on('error', () => this.#forget(client));
    client.on('end', () => this.#forget(client));
    try {
      await client.connect();
    } catch (e) {
      await client.end().catch(() => {});
      throw e;
    }
    this.#client = client;
    return client;
  }

  #forget(client: pg.Client): void {
    if (this.#client === client) this.#drop();
  }

  #drop(): void {
    const client = this.#client;
    this.#client = null;
    this.#held.clear();
    client?.end().catch(() => {});
  }
}
