/**
 * A database row as both drivers return it: snake_case columns; integers may arrive as numbers
 * (better-sqlite3) or decimal strings (pg int8/numeric), blobs as Buffers. The mappers below
 * turn them into contract records with plain numbers and `Uint8Array`s.
 *
 * @example
 * const record = toProject(result.rows[0] as StoreRow);
 */
export type StoreRow = Record<string, unknown>;
