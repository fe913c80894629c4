import type { RetentionJob } from '../maintenance/retention-job.js';
import type { Store } from '../store/store.js';
import { AuditLog } from './audit-log.js';
import { Authenticator } from './authenticator.js';
import { LoginThrottle } from './login-throttle.js';
import { OWASP_SCRYPT, PasswordHasher } from './password-hasher.js';
import { RetentionSettings } from './retention-settings.js';
import { DEFAULT_SESSION_TIMEOUTS, SessionService, type SessionTimeouts } from './session-service.js';
import { ensureAdminUser, UserService } from './user-service.js';

/** The access-control services one app uses. */
export interface AccessServices {
  hasher: PasswordHasher;
  throttle: LoginThrottle;
  sessions: SessionService;
  users: UserService;
  authenticator: Authenticator;
  audit: AuditLog;
  retentionSettings: RetentionSettings;
  /** The `admin` user's password when this start generated it (first run), otherwise undefined. */
  createdAdminPassword: string | undefined;
}

/**
 * Builds the access services, creates the first-run `admin` user and applies any stored
 * retention override to the job.
 *
 * @example
 * const access = await createAccessServices({ store, retention, defaults: config.retention, adminPassword: undefined });
 */
export async function createAccessServices(deps: {
  store: Store;
  retention: RetentionJob;
  defaults: { detailedDays: number; aggregatedDays: number };
  adminPassword: string | undefined;
  /** scrypt cost as log2(N); tests lower it, production keeps the OWASP value. */
  passwordHashLogN?: number;
  sessionTimeouts?: SessionTimeouts;
  now?: () => number;
}): Promise<AccessServices> {
  const now = deps.now ?? Date.now;
  const hasher = new PasswordHasher(deps.passwordHashLogN ?? OWASP_SCRYPT.logN);
  const throttle = new LoginThrottle({}, now);
  const sessions = new SessionService(
    deps.store,
    hasher,
    throttle,
    deps.sessionTimeouts ?? DEFAULT_SESSION_TIMEOUTS,
    now,
  );
  const users = new UserService(deps.store, hasher, now);
  const retentionSettings = new RetentionSettings(deps.store, deps.retention, deps.defaults);
  await retentionSettings.load();
  const createdAdminPassword = await ensureAdminUser(deps.store, users, deps.adminPassword);
  return {
    hasher,
    throttle,
    sessions,
    users,
    authenticator: new Authenticator(deps.store, sessions),
    audit: new AuditLog(deps.store, now),
    retentionSettings,
    createdAdminPassword,
  };
}
