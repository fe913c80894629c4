import { hashCredential } from '../access/credentials.js';
import type { IngestKeyRecord, ProjectRecord, Store } from '../store/store.js';

/** What an ingest key grants. */
export interface KeyGrant {
  project: string;
  environment: string | null;
  allowedOrigins: string[];
}

/**
 * An in-memory view of the active ingest keys and project origin lists, refreshed from the
 * store on an interval (so a revoked key stops working within `refreshMillis`) and on a miss
 * (so a new key works at once; misses refresh at most once a second, so a flood of wrong keys
 * cannot flood the store).
 *
 * @example
 * const grant = await keyRing.lookup(key); // null for an unknown key
 */
export class KeyRing {
  #grants = new Map<string, KeyGrant>();
  #origins = new Set<string>();
  #loadedAt = 0;
  #lastMissRefresh = 0;
  #loading: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly refreshMillis = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  async lookup(key: string): Promise<KeyGrant | null> {
    const t = this.now();
    if (t - this.#loadedAt > this.refreshMillis) await this.refresh();
    const hash = hashCredential(key);
    let grant = this.#grants.get(hash);
    if (grant === undefined && t - this.#lastMissRefresh > 1_000) {
      this.#lastMissRefresh = t;
      await this.refresh();
      grant = this.#grants.get(hash);
    }
    return grant ?? null;
  }

  /** True when some project accepts this origin (used for CORS preflight, which carries no key). */
  anyProjectAllows(origin: string): boolean {
    return this.#origins.has('*') || this.#origins.has(origin);
  }

  refresh(): Promise<void> {
    this.#loading ??= this.#load().finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  async #load(): Promise<void> {
    const [keys, projects] = await Promise.all([this.store.listIngestKeys(), this.store.listProjects()]);
    const byName = new Map<string, ProjectRecord>(projects.map((p) => [p.name, p]));
    const grants = new Map<string, KeyGrant>();
    const origins = new Set<string>();
    for (const p of projects) for (const o of p.allowedOrigins) origins.add(o);
    for (const k of keys as IngestKeyRecord[]) {
      const project = byName.get(k.project);
      if (project)
        grants.set(k.keyHash, {
          project: k.project,
          environment: k.environment,
          allowedOrigins: project.allowedOrigins,
        });
    }
    this.#grants = grants;
    this.#origins = origins;
    this.#loadedAt = this.now();
  }
}

/** True when `origin` (or the absence of one, for server-side senders) is allowed. */
export function originAllowed(grant: KeyGrant, origin: string | undefined): boolean {
  if (origin === undefined) return true;
  return grant.allowedOrigins.includes('*') || grant.allowedOrigins.includes(origin);
}
