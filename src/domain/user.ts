import { invalidInput } from './errors';

export const PERMISSIONS = ['upload', 'search', 'download', 'admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export interface User {
  readonly name: string;
  readonly isAdmin: boolean;
  readonly permissions: readonly Permission[];
}

export interface StoredUser extends User {
  readonly passwordHash: string;
}

export const DEFAULT_ADMIN_NAME = 'ece30861defaultadminuser';
export const ALL_PERMISSIONS: readonly Permission[] = PERMISSIONS;

/** Admins hold every permission, whatever their list says. */
export const can = (user: User, permission: Permission): boolean =>
  user.isAdmin || user.permissions.includes(permission);

export const TOKEN_MAX_USES = 1000;
export const TOKEN_TTL_MS = 10 * 60 * 60 * 1000;

export function parseUserName(raw: string): string {
  const name = raw.trim();
  if (name.length === 0 || name.length > 128 || !/^[\x21-\x7e][\x20-\x7e]*$/.test(name)) {
    throw invalidInput('user name must be 1-128 printable characters');
  }
  return name;
}
