import type { Role } from './roles.js';

/**
 * Who is calling: a signed-in user (cookie session) or an API token, with the role they act
 * with. Route handlers read it from `request.principal`; they never check credentials.
 *
 * @example
 * const p: Principal = { kind: 'session', userId: 'u1', userName: 'ada', tokenId: null, role: 'viewer', sessionHash: 'ab…' };
 */
export interface Principal {
  kind: 'session' | 'token';
  /** Null for configuration tokens (VIGIL_ADMIN_TOKEN, the first-run token). */
  userId: string | null;
  userName: string | null;
  tokenId: string | null;
  role: Role;
  /** SHA-256 of the session id (sessions only). */
  sessionHash: string | null;
}

/**
 * How a principal appears in the audit log: `user:<name>`, `token:<id>` or
 * `token:<id>:<user name>`.
 *
 * @example
 * actorOf(principal); // 'user:ada'
 */
export function actorOf(p: Principal | null): string {
  if (p === null) return 'anonymous';
  if (p.kind === 'session') return `user:${p.userName}`;
  return p.userName === null ? `token:${p.tokenId}` : `token:${p.tokenId}:${p.userName}`;
}
