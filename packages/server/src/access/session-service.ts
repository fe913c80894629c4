import { randomBytes } from 'node:crypto';
import { VigilError } from '@vigil/schema';
import type { UserRecord } from '../store/access-store.js';
import type { Store } from '../store/store.js';
import { hashCredential } from './credentials.js';
import type { LoginThrottle } from './login-throttle.js';
import type { PasswordHasher } from './password-hasher.js';
import type { Principal } from './principal.js';

/** Session lifetimes. */
export interface SessionTimeouts {
  /** A session unused this long ends (default 30 min). */
  idleMillis: number;
  /** A session ends this long after login, used or not (default 12 h). */
  absoluteMillis: number;
}

/** 30 minutes idle, 12 hours absolute (OWASP session management guidance for sensitive data). */
export const DEFAULT_SESSION_TIMEOUTS: SessionTimeouts = { idleMillis: 30 * 60_000, absoluteMillis: 12 * 3_600_000 };
/** `last_seen_at` is written at most this often per session (not on every request). */
const TOUCH_EVERY_MILLIS = 60_000;

/**
 * Login, logout and session lookup. A login creates a new random 32-byte session id (the store
 * keeps its SHA-256 only); unknown users, disabled users and wrong passwords all cost one scrypt
 * verification and fail with the same error.
 *
 * @example
 * const { sessionId, user } = await sessions.login('ada', 'secret…', '10.0.0.1');
 */
export class SessionService {
  constructor(
    private readonly store: Store,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly timeouts: SessionTimeouts = DEFAULT_SESSION_TIMEOUTS,
    private readonly now: () => number = Date.now,
  ) {}

  async login(name: string, password: string, ip: string): Promise<{ sessionId: string; user: UserRecord }> {
    const waitMillis = this.throttle.check(ip, name);
    if (waitMillis > 0) {
      throw new VigilError('VIGIL_ERR_TOO_MANY_ATTEMPTS', undefined, {
        retryAfterSeconds: Math.ceil(waitMillis / 1000),
      });
    }
    const user = await this.store.access.findUserByName(name);
    const ok =
      user !== null && user.disabledAt === null
        ? await this.hasher.verify(password, user.passwordHash)
        : await this.hasher.verifyDummy(password);
    this.throttle.record(ip, name, ok);
    if (!ok || user === null) throw new VigilError('VIGIL_ERR_LOGIN_FAILED');
    const sessionId = randomBytes(32).toString('base64url');
    const t = this.now();
    await this.store.access.createSession({
      idHash: hashCredential(sessionId),
      userId: user.id,
      createdAt: t,
      lastSeenAt: t,
    });
    // Logins are rare: a good moment to drop sessions that expired without a logout.
    await this.sweep();
    return { sessionId, user };
  }

  /** The principal of a live session, or null (unknown, expired, or its user disabled). */
  async resolve(sessionId: string): Promise<Principal | null> {
    const idHash = hashCredential(sessionId);
    const session = await this.store.access.getSession(idHash);
    if (session === null) return null;
    const t = this.now();
    if (t - session.lastSeenAt > this.timeouts.idleMillis || t - session.createdAt > this.timeouts.absoluteMillis) {
      await this.store.access.deleteSession(idHash);
      return null;
    }
    const user = await this.store.access.getUser(session.userId);
    if (user === null || user.disabledAt !== null) {
      await this.store.access.deleteSession(idHash);
      return null;
    }
    if (t - session.lastSeenAt >= TOUCH_EVERY_MILLIS) await this.store.access.touchSession(idHash, t);
    return {
      kind: 'session',
      userId: user.id,
      userName: user.name,
      tokenId: null,
      role: user.role,
      sessionHash: idHash,
    };
  }

  async logout(sessionHash: string): Promise<void> {
    await this.store.access.deleteSession(sessionHash);
  }

  /** Removes expired sessions (called by the retention job's timer). */
  async sweep(): Promise<number> {
    const t = this.now();
    return this.store.access.deleteExpiredSessions(t - this.timeouts.idleMillis, t - this.timeouts.absoluteMillis);
  }
}
