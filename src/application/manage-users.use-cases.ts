import { DomainError, ErrorCode, invalidInput } from '../domain/errors';
import { assertAcceptablePassword } from '../domain/password-policy';
import { DEFAULT_ADMIN_NAME, parseUserName, PERMISSIONS, type Permission, type StoredUser, type User } from '../domain/user';
import type { Clock, Logger, PasswordHasher } from '../ports/system.port';
import type { TokenStore, UserStore } from '../ports/user-store.port';
import type { LoginThrottle } from './login-throttle';

/** Permissions as the API speaks them: one flag each. */
export type PermissionFlags = Readonly<Record<Permission, boolean>>;

/** Who is asking, and with which token (so their own token can survive a change they make). */
export interface Caller {
  readonly actor: User;
  readonly tokenHash: string;
}

const forbidden = (message: string) => new DomainError(ErrorCode.Forbidden, message);
const notFound = (name: string) => new DomainError(ErrorCode.UserNotFound, `no user is named "${name}"`);

export const flagsOf = (user: User): PermissionFlags => ({
  upload: user.permissions.includes('upload'),
  search: user.permissions.includes('search'),
  download: user.permissions.includes('download'),
  admin: user.isAdmin,
});

function parseFlags(raw: unknown): { isAdmin: boolean; permissions: Permission[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidInput('permissions must be an object of booleans: upload, search, download, admin');
  const flags = raw as Record<string, unknown>;
  for (const key of Object.keys(flags)) {
    if (!(PERMISSIONS as readonly string[]).includes(key)) throw invalidInput(`"${key}" is not a permission; the permissions are ${PERMISSIONS.join(', ')}`);
    if (typeof flags[key] !== 'boolean') throw invalidInput(`permission "${key}" must be true or false`);
  }
  const permissions = PERMISSIONS.filter((permission) => permission !== 'admin' && flags[permission] === true);
  const isAdmin = flags.admin === true;
  return { isAdmin, permissions: isAdmin ? [...permissions, 'admin'] : permissions };
}

function requireAdmin(actor: User, what: string): void {
  if (!actor.isAdmin) throw forbidden(`user "${actor.name}" is not an admin and may not ${what}`);
}

function requireSelfOrAdmin(actor: User, name: string, what: string): void {
  if (!actor.isAdmin && actor.name !== name) throw forbidden(`only "${name}" or an admin may ${what}`);
}

/**
 * Accounts: creation and listing by administrators, password and permission changes, deletion and
 * sign-out. Every change that could matter to an attacker revokes the tokens it should, and is logged
 * (names and permissions, never passwords).
 */
export class ManageUsers {
  constructor(
    private readonly users: UserStore,
    private readonly tokens: TokenStore,
    private readonly hasher: PasswordHasher,
    private readonly logger: Logger,
    private readonly clock: Clock,
    // Shared with sign-in: a stolen token must not buy unlimited guesses at its owner's password.
    private readonly throttle: LoginThrottle,
  ) {}

  async create(input: { caller: Caller; name: unknown; password: unknown; permissions: unknown }): Promise<User> {
    requireAdmin(input.caller.actor, 'create users');
    const name = parseUserName(typeof input.name === 'string' ? input.name : '');
    const password = assertAcceptablePassword(input.password, name);
    const flags = parseFlags(input.permissions ?? {});
    if ((await this.users.get(name)) !== undefined) throw new DomainError(ErrorCode.UserExists, `a user named "${name}" already exists`);
    const user: StoredUser = { name, ...flags, passwordHash: await this.hasher.hash(password) };
    await this.users.save(user);
    this.logger.info('user created', { event: 'user.create', by: input.caller.actor.name, user: name, permissions: flagsOf(user) });
    return publicView(user);
  }

  async list(input: { caller: Caller }): Promise<User[]> {
    requireAdmin(input.caller.actor, 'list users');
    return (await this.users.list()).map(publicView);
  }

  async get(input: { caller: Caller; name: string }): Promise<User> {
    const name = parseUserName(input.name);
    requireSelfOrAdmin(input.caller.actor, name, 'read this account');
    return publicView(await this.load(name));
  }

  async setPermissions(input: { caller: Caller; name: string; permissions: unknown }): Promise<User> {
    requireAdmin(input.caller.actor, 'change permissions');
    const user = await this.load(parseUserName(input.name));
    const flags = parseFlags(input.permissions);
    if (user.isAdmin && !flags.isAdmin) await this.requireAnotherAdmin(user.name, 'lose the admin permission');
    const updated: StoredUser = { ...user, ...flags };
    await this.users.save(updated);
    await this.tokens.revokeUser(user.name, this.survivor(input.caller, user.name));
    this.logger.info('user permissions changed', { event: 'user.permissions', by: input.caller.actor.name, user: user.name, permissions: flagsOf(updated) });
    return publicView(updated);
  }

  async setPassword(input: { caller: Caller; name: string; currentPassword: unknown; newPassword: unknown }): Promise<void> {
    const { actor } = input.caller;
    const name = parseUserName(input.name);
    requireSelfOrAdmin(actor, name, 'change this password');
    const user = await this.load(name);
    if (!actor.isAdmin) await this.requireCurrentPassword(user, input.currentPassword);
    const password = assertAcceptablePassword(input.newPassword, name);
    await this.users.save({ ...user, passwordHash: await this.hasher.hash(password) });
    await this.tokens.revokeUser(name, this.survivor(input.caller, name));
    this.logger.info('user password changed', { event: 'user.password', by: actor.name, user: name });
  }

  async delete(input: { caller: Caller; name: string }): Promise<void> {
    const name = parseUserName(input.name);
    requireSelfOrAdmin(input.caller.actor, name, 'delete this account');
    if (name === DEFAULT_ADMIN_NAME) throw new DomainError(ErrorCode.UserProtected, `the default admin "${DEFAULT_ADMIN_NAME}" cannot be deleted`);
    const user = await this.load(name);
    if (user.isAdmin) await this.requireAnotherAdmin(name, 'be deleted');
    await this.users.delete(name);
    await this.tokens.revokeUser(name);
    this.logger.info('user deleted', { event: 'user.delete', by: input.caller.actor.name, user: name });
  }

  async signOut(input: { caller: Caller }): Promise<void> {
    await this.tokens.revoke(input.caller.tokenHash);
    this.logger.info('user signed out', { event: 'user.sign_out', user: input.caller.actor.name });
  }

  private async load(name: string): Promise<StoredUser> {
    const user = await this.users.get(name);
    if (user === undefined) throw notFound(name);
    return user;
  }

  /** Wrong guesses count against the same per-name budget as failed sign-ins. */
  private async requireCurrentPassword(user: StoredUser, password: unknown): Promise<void> {
    if (typeof password !== 'string' || password.length === 0) throw invalidInput('current_password is required to change your own password');
    this.throttle.check(undefined, user.name, this.clock.now().getTime());
    if (!(await this.hasher.verify(user.passwordHash, password))) {
      this.throttle.failed(undefined, user.name, this.clock.now().getTime());
      throw new DomainError(ErrorCode.BadCredentials, 'the current password is incorrect');
    }
  }

  private async requireAnotherAdmin(name: string, what: string): Promise<void> {
    const admins = (await this.users.list()).filter((user) => user.isAdmin && user.name !== name);
    if (admins.length === 0) throw new DomainError(ErrorCode.UserProtected, `"${name}" is the last admin and cannot ${what}`);
  }

  /** The caller's own token survives a change to their own account; everyone else's are revoked. */
  private survivor(caller: Caller, name: string): string | undefined {
    return caller.actor.name === name ? caller.tokenHash : undefined;
  }
}

const publicView = (user: StoredUser | User): User => ({ name: user.name, isAdmin: user.isAdmin, permissions: [...user.permissions] });
