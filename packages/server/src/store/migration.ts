/**
 * One versioned schema step. Steps are applied in `version` order, each once, and recorded in the
 * `schema_migrations` table in the same transaction that runs them.
 *
 * @example
 * const step: Migration = { version: 1, name: 'initial', sql: 'CREATE TABLE t (x INTEGER)' };
 */
export interface Migration {
  version: number;
  name: string;
  /** One or more statements separated by semicolons; no parameters. */
  sql: string;
}

/**
 * The steps of `all` not yet applied, in version order. Throws when the list is malformed
 * (duplicate or non-positive versions), since a silently skipped step corrupts every later one,
 * and when the database holds a version newer than any step (it was migrated by a newer server).
 *
 * @example
 * pendingMigrations(SQLITE_MIGRATIONS, new Set([1])); // steps after version 1
 */
export function pendingMigrations(all: readonly Migration[], applied: ReadonlySet<number>): Migration[] {
  const seen = new Set<number>();
  for (const step of all) {
    if (!Number.isInteger(step.version) || step.version <= 0 || seen.has(step.version)) {
      throw new Error(`Invalid migration list: bad or duplicate version ${step.version} (${step.name})`);
    }
    seen.add(step.version);
  }
  const newest = Math.max(0, ...seen);
  const unknown = [...applied].filter((version) => version > newest);
  if (unknown.length > 0) {
    // A newer server migrated this database; running older code against it could corrupt it.
    throw new Error(`Database schema version ${Math.max(...unknown)} is newer than this server knows (${newest})`);
  }
  return all.filter((step) => !applied.has(step.version)).sort((a, b) => a.version - b.version);
}
