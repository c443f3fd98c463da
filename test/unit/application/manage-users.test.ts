import { expect } from 'chai';
import { Argon2PasswordHasher } from '../../../src/adapters/system/system-adapters';
import { MemoryTokenStore, MemoryUserStore } from '../../../src/adapters/storage/memory/memory-user-stores';
import { ManageUsers, type Caller } from '../../../src/application/manage-users.use-cases';
import { AuthenticateUser } from '../../../src/application/authenticate-user.use-case';
import { LoginThrottle } from '../../../src/application/login-throttle';
import { RandomSecretGenerator } from '../../../src/adapters/system/system-adapters';
import { ErrorCode } from '../../../src/domain/errors';
import { ALL_PERMISSIONS, DEFAULT_ADMIN_NAME, type User } from '../../../src/domain/user';
import type { Logger } from '../../../src/ports/system.port';
import { expectRejection } from '../../support/zip-builder';

const PASSWORD = 'seven long words of secret';
const later = Date.UTC(2026, 0, 1);
const grant = (userName: string) => ({ userName, issuedAt: later - 1, expiresAt: later + 3_600_000, maxUses: 1000 });

describe('application: managing users', () => {
  let users: MemoryUserStore;
  let tokens: MemoryTokenStore;
  let logged: string[];
  let manage: ManageUsers;
  let throttle: LoginThrottle;
  let hasher: Argon2PasswordHasher;
  const clock = { now: () => new Date(later) };
  const root: User = { name: DEFAULT_ADMIN_NAME, isAdmin: true, permissions: ALL_PERMISSIONS };
  const asRoot: Caller = { actor: root, tokenHash: 'root-token' };

  beforeEach(async () => {
    users = new MemoryUserStore();
    tokens = new MemoryTokenStore();
    logged = [];
    const logger: Logger = { debug: () => {}, warn: () => {}, error: () => {}, info: (message, fields) => logged.push(`${message} ${JSON.stringify(fields)}`) };
    throttle = new LoginThrottle({ maxFailures: 3, windowMs: 60_000 }, { maxFailures: 3, windowMs: 60_000 });
    hasher = new Argon2PasswordHasher({ memoryCost: 1024, timeCost: 1 });
    manage = new ManageUsers(users, tokens, hasher, logger, clock, throttle);
    await users.save({ ...root, passwordHash: 'x' });
  });

  it('when users are created and passwords changed, then the log names who did what and never holds a password', async () => {
    await manage.create({ caller: asRoot, name: 'alice', password: PASSWORD, permissions: { search: true } });
    await manage.setPassword({ caller: asRoot, name: 'alice', currentPassword: undefined, newPassword: `${PASSWORD} again` });
    expect(logged).to.have.length(2);
    expect(logged[0]).to.contain('"by":"ece30861defaultadminuser"').and.contain('"user":"alice"');
    for (const line of logged) expect(line).not.to.contain(PASSWORD);
  });

  it('when permissions name something unknown or are not booleans, then 400 and nothing is created', async () => {
    await expectRejection(manage.create({ caller: asRoot, name: 'bob', password: PASSWORD, permissions: { root: true } }), ErrorCode.InvalidInput);
    await expectRejection(manage.create({ caller: asRoot, name: 'bob', password: PASSWORD, permissions: { search: 'yes' } }), ErrorCode.InvalidInput);
    await expectRejection(manage.create({ caller: asRoot, name: ' ', password: PASSWORD, permissions: {} }), ErrorCode.InvalidInput);
    expect(await users.get('bob')).to.equal(undefined);
  });

  it('when an admin changes their own permissions, then their token survives and their other tokens do not', async () => {
    await manage.create({ caller: asRoot, name: 'ops', password: PASSWORD, permissions: { admin: true } });
    const ops: Caller = { actor: { name: 'ops', isAdmin: true, permissions: ALL_PERMISSIONS }, tokenHash: 'ops-1' };
    await tokens.issue('ops-1', grant('ops'));
    await tokens.issue('ops-2', grant('ops'));
    await manage.setPermissions({ caller: ops, name: 'ops', permissions: { admin: true, search: true } });
    expect(await tokens.consume('ops-1', later)).to.equal('ops');
    expect(await tokens.consume('ops-2', later)).to.equal(undefined);
  });

  it('when the only admin would be deleted or demoted, then USER.PROTECTED; with a second admin, it is allowed', async () => {
    await manage.create({ caller: asRoot, name: 'ops', password: PASSWORD, permissions: { admin: true } });
    await manage.setPermissions({ caller: asRoot, name: DEFAULT_ADMIN_NAME, permissions: { search: true } });
    await expectRejection(manage.delete({ caller: asRoot, name: 'ops' }), ErrorCode.UserProtected);
    await expectRejection(manage.setPermissions({ caller: asRoot, name: 'ops', permissions: { search: true } }), ErrorCode.UserProtected);
    expect((await users.get('ops'))?.isAdmin).to.equal(true);
  });

  it('when someone asks about another user without being admin, then 401 whether or not the user exists', async () => {
    const eve: Caller = { actor: { name: 'eve', isAdmin: false, permissions: ['search'] }, tokenHash: 'e' };
    await expectRejection(manage.get({ caller: eve, name: DEFAULT_ADMIN_NAME }), ErrorCode.Forbidden);
    await expectRejection(manage.get({ caller: eve, name: 'nobody-at-all' }), ErrorCode.Forbidden);
  });

  it('when a token holder guesses the current password, then guesses are throttled together with sign-ins and even the right one waits', async () => {
    await manage.create({ caller: asRoot, name: 'alice', password: PASSWORD, permissions: { search: true } });
    const alice: Caller = { actor: { name: 'alice', isAdmin: false, permissions: ['search'] }, tokenHash: 'alice-token' };
    const change = (current: string) => manage.setPassword({ caller: alice, name: 'alice', currentPassword: current, newPassword: 'another phrase of seven words' });
    await expectRejection(change('guess one'), ErrorCode.BadCredentials);
    await expectRejection(change('guess two'), ErrorCode.BadCredentials);
    const signIn = new AuthenticateUser(users, tokens, hasher, new RandomSecretGenerator(), clock, throttle);
    await expectRejection(signIn.execute({ name: 'alice', password: 'guess three' }), ErrorCode.BadCredentials);
    await expectRejection(change(PASSWORD), ErrorCode.TooManyAttempts);
    await expectRejection(signIn.execute({ name: 'alice', password: PASSWORD }), ErrorCode.TooManyAttempts);
    expect(await hasher.verify((await users.get('alice'))!.passwordHash, PASSWORD)).to.equal(true);
  });
});
