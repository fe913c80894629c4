import type { Store } from '../store/store.js';
import { hashCredential } from './credentials.js';
import type { Principal } from './principal.js';
import { lowerRole } from './roles.js';
import type { SessionService } from './session-service.js';

/**
 * Turns credentials into a {@link Principal}: a Bearer API token, or else a session cookie.
 * Every lookup reads the store, so a revoked token, a disabled user or an ended session stops
 * working on the next request. A token's role is capped by its user's current role.
 *
 * @example
 * const principal = await authenticator.authenticate({ bearer: 'vt_…' });
 */
export class Authenticator {
  constructor(
    private readonly store: Store,
    private readonly sessions: SessionService,
  ) {}

  /** Null when the credentials are missing or invalid. */
  async authenticate(credentials: { bearer?: string; sessionId?: string }): Promise<Principal | null> {
    if (credentials.bearer !== undefined) return this.#token(credentials.bearer);
    if (credentials.sessionId !== undefined) return this.sessions.resolve(credentials.sessionId);
    return null;
  }

  async #token(value: string): Promise<Principal | null> {
    const token = await this.store.access.findApiToken(hashCredential(value));
    if (token === null) return null;
    if (token.userId === null) {
      return { kind: 'token', userId: null, userName: null, tokenId: token.id, role: token.role, sessionHash: null };
    }
    const user = await this.store.access.getUser(token.userId);
    if (user === null || user.disabledAt !== null) return null;
    return {
      kind: 'token',
      userId: user.id,
      userName: user.name,
      tokenId: token.id,
      role: lowerRole(token.role, user.role),
      sessionHash: null,
    };
  }
}
