/**
 * A random id of `[A-Za-z0-9]`, valid as a `batchId` or session id: a UUID's 32 hex digits when
 * `crypto.randomUUID` exists (browsers in secure contexts, Node), else time plus `Math.random`.
 *
 * @example
 * randomId(); // '3f2a9c1e0b7d4e5f8a6b1c2d3e4f5a6b'
 */
export function randomId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return c?.randomUUID
    ? c.randomUUID().replace(/-/g, '')
    : Date.now().toString(36) + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
}
