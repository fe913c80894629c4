import type { Role } from '../store/access-store.js';

/** A role (defined with the store records, re-exported for services). */
export type { Role };

/** The roles, weakest first: each may do everything the ones before it may. */
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

/**
 * True when `role` includes `required`.
 *
 * @example
 * roleAtLeast('operator', 'viewer'); // true
 */
export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

/**
 * The weaker of two roles (a token's effective role is capped by its user's).
 *
 * @example
 * lowerRole('admin', 'viewer'); // 'viewer'
 */
export function lowerRole(a: Role, b: Role): Role {
  return ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b;
}

/**
 * Narrows an unknown value to a role.
 *
 * @example
 * if (isRole(body.role)) await users.setRole(id, body.role);
 */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
