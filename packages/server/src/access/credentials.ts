import { createHash, randomBytes } from 'node:crypto';

/**
 * SHA-256 of a credential, hex. Only hashes of ingest keys and tokens are stored; ingest keys
 * are high-entropy random strings, so an unsalted fast hash is enough to make a leaked table
 * useless.
 *
 * @example
 * const hash = hashCredential('vk_…');
 */
export function hashCredential(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * A new random credential with a readable prefix: `vk_` for ingest keys, `vt_` for tokens.
 *
 * @example
 * const key = newCredential('vk');
 */
export function newCredential(prefix: 'vk' | 'vt'): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

/** A random id for stored records. */
export function newId(): string {
  return randomBytes(9).toString('base64url');
}
