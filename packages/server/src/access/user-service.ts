import { randomBytes } from 'node:crypto';
import { VigilError } from '@vigil/schema';
import type { UserRecord } from '../store/access-store.js';
import type { Store } from '../store/store.js';
import { newId } from './credentials.js';
import type { PasswordHasher } from './password-hasher.js';
import type { Role } from './roles.js';

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** NIST 800-63B: at least 8; we ask 12 since these accounts read production data. */
export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;

/** A user as the API shows it (never the hash). */
export interface PublicUser {
  id: string;
  name: string;
  role: Role;
  createdAt: number;
  disabled: boolean;
}

/**
 * Strips the password hash.
 *
 * @example
 * reply.send({ user: publicUser(user) });
 */
export function publicUser(u: UserRecord): PublicUser {
  return { id: u.id, name: u.name, role: u.role, createdAt: u.createdAt, disabled: u.disabledAt !== null };
}

/**
 * A random password of 20 URL-safe characters (~120 bits).
 *
 * @example
 * const password = randomPassword(); // e.g. 'W9tCw7O2G9Ng-cxaZHav'
 */
export function randomPassword(): string {
  return randomBytes(15).toString('base64url');
}

function checkPassword(password: unknown): string {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new VigilError(
      'VIGIL_ERR_INVALID_INPUT',
      `password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`,
    );
  }
  return password;
}

/**
 * Creates, changes and disables users, for the admin API and the `vigil users` CLI alike.
 * Disabling a user and changing a password end every session of that user.
 *
 * @example
 * const { user, password } = await users.add('ada', 'operator');
 */
export class UserService {
  constructor(
    private readonly store: Store,
    private readonly hasher: PasswordHasher,
    private readonly now: () => number = Date.now,
  ) {}

  /** Creates a user; a random password is generated (and returned) when none is given. */
  async add(name: unknown, role: Role, password?: string): Promise<{ user: UserRecord; password: string }> {
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new VigilError('VIGIL_ERR_INVALID_INPUT', 'name must match [a-z0-9][a-z0-9._-]{0,63}');
    }
    const secret = password === undefined ? randomPassword() : checkPassword(password);
    if ((await this.store.access.findUserByName(name)) !== null) throw new VigilError('VIGIL_ERR_CONFLICT');
    const user = await this.store.access.createUser({
      id: newId(),
      name,
      role,
      passwordHash: await this.hasher.hash(secret),
    });
    return { user, password: secret };
  }

  async byName(name: string): Promise<UserRecord> {
    const user = await this.store.access.findUserByName(name);
    if (user === null) throw new VigilError('VIGIL_ERR_NOT_FOUND', `no user named ${name}`);
    return user;
  }

  async byId(id: string): Promise<UserRecord> {
    const user = await this.store.access.getUser(id);
    if (user === null) throw new VigilError('VIGIL_ERR_NOT_FOUND');
    return user;
  }

  /** Disables (or re-enables) a user; disabling ends their sessions at once. */
  async setDisabled(id: string, disabled: boolean): Promise<void> {
    await this.store.access.updateUser(id, { disabledAt: disabled ? this.now() : null });
    if (disabled) await this.store.access.deleteUserSessions(id);
  }

  async setRole(id: string, role: Role): Promise<void> {
    await this.store.access.updateUser(id, { role });
  }

  /** Sets a new password (random when not given, and returned) and ends the user's sessions. */
  async resetPassword(id: string, password?: string): Promise<string> {
    const secret = password === undefined ? randomPassword() : checkPassword(password);
    await this.store.access.updateUser(id, { passwordHash: await this.hasher.hash(secret) });
    await this.store.access.deleteUserSessions(id);
    return secret;
  }

  /** A user changing their own password: the current one must match. */
  async changeOwnPassword(id: string, current: unknown, next: unknown): Promise<void> {
    const user = await this.byId(id);
    const ok = typeof current === 'string' && (await this.hasher.verify(current, user.passwordHash));
    if (!ok) throw new VigilError('VIGIL_ERR_LOGIN_FAILED');
    await this.resetPassword(id, checkPassword(next));
  }
}

/**
 * First run: creates the user `admin` when there is no admin yet. Returns the password when this call
 * generated it (so `main` prints it once), undefined otherwise.
 *
 * @example
 * const printed = await ensureAdminUser(store, users, process.env.VIGIL_ADMIN_PASSWORD);
 */
export async function ensureAdminUser(
  store: Store,
  users: UserService,
  configuredPassword: string | undefined,
): Promise<string | undefined> {
  // Users added with the CLI before the first start do not count: there must be an admin.
  const existing = await store.access.listUsers('name');
  if (existing.some((u) => u.role === 'admin' || u.name === 'admin')) return undefined;
  try {
    const { password } = await users.add('admin', 'admin', configuredPassword);
    return configuredPassword === undefined ? password : undefined;
  } catch (e) {
    // Another node created it between our check and our insert.
    if ((await store.access.findUserByName('admin')) !== null) return undefined;
    throw e;
  }
}
