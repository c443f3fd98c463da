import { expect } from 'chai';
import { ErrorCode } from '../../../src/domain/errors';
import { DEFAULT_ADMIN_NAME, TOKEN_MAX_USES, TOKEN_TTL_MS, type StoredUser } from '../../../src/domain/user';
import type { TokenStore, UserStore } from '../../../src/ports/user-store.port';
import { AuthenticateUser, hashToken } from '../../../src/application/authenticate-user.use-case';
import { AuthorizeToken } from '../../../src/application/authorize-token.use-case';
import { ResetRegistry } from '../../../src/application/reset-registry.use-case';
import { SeedDefaultAdmin } from '../../../src/application/seed-default-admin.use-case';
import { GetAuditTrail } from '../../../src/application/get-audit-trail.use-case';
import { DownloadPackage } from '../../../src/application/download-package.use-case';
import { DownloadGuard } from '../../../src/application/sensitivity.use-cases';
import { Argon2PasswordHasher, RandomSecretGenerator } from '../../../src/adapters/system/system-adapters';
import { expectRejection } from '../../support/zip-builder';
import { aRecord, admin, reader, useCaseFixture } from '../../support/use-case-fixture';

describe('AuthenticateUser, AuthorizeToken and ResetRegistry', () => {
  const hasher = new Argon2PasswordHasher({ memoryCost: 1024, timeCost: 1 });
  const setup = async () => {
    const f = useCaseFixture();
    const seed = new SeedDefaultAdmin(f.users, hasher, 'initial-password');
    await seed.execute();
    return {
      ...f,
      seed,
      authenticate: new AuthenticateUser(f.users, f.tokens, hasher, new RandomSecretGenerator(), f.clock),
      authorize: new AuthorizeToken(f.users, f.tokens, f.clock),
      reset: new ResetRegistry(f.repository, f.blobs, f.audit, f.users, f.tokens, seed, f.gate, f.guard),
    };
  };

  it('when the admin logs in, then the token authorizes as the admin and only its hash is stored', async () => {
    const s = await setup();
    const token = await s.authenticate.execute({ name: DEFAULT_ADMIN_NAME, password: 'initial-password' });
    const user = await s.authorize.execute(token);
    expect(user).to.deep.include({ name: DEFAULT_ADMIN_NAME, isAdmin: true });
    const secret = token.replace('bearer ', '');
    expect(await s.tokens.consume(secret, s.clock.now().getTime())).to.equal(undefined);
    expect(await s.tokens.consume(hashToken(secret), s.clock.now().getTime())).to.equal(DEFAULT_ADMIN_NAME);
  });

  it('when the token is spent or expired, then AUTH.UNAUTHENTICATED', async () => {
    const s = await setup();
    const token = await s.authenticate.execute({ name: DEFAULT_ADMIN_NAME, password: 'initial-password' });
    for (let i = 0; i < TOKEN_MAX_USES; i += 1) await s.authorize.execute(token);
    await expectRejection(s.authorize.execute(token), ErrorCode.Unauthenticated);
    const fresh = await s.authenticate.execute({ name: DEFAULT_ADMIN_NAME, password: 'initial-password' });
    s.clock.current = new Date(s.clock.current.getTime() + TOKEN_TTL_MS);
    await expectRejection(s.authorize.execute(fresh), ErrorCode.Unauthenticated);
  });

  it('when the user behind a token is deleted, then the token stops working', async () => {
    const s = await setup();
    await s.users.save({ name: 'temp', isAdmin: false, permissions: ['search'], passwordHash: await hasher.hash('temp-password') });
    const token = await s.authenticate.execute({ name: 'temp', password: 'temp-password' });
    await s.users.delete('temp');
    await expectRejection(s.authorize.execute(token), ErrorCode.Unauthenticated);
  });

  it('when the token store answers the user with the use, then that user is authorized and the user store is not asked', async () => {
    const s = await setup();
    const asked: string[] = [];
    const users: UserStore = {
      get: async (name) => {
        asked.push(name);
        return s.users.get(name);
      },
      save: (user) => s.users.save(user),
      delete: (name) => s.users.delete(name),
      list: () => s.users.list(),
      clear: () => s.users.clear(),
    };
    let answered: StoredUser | undefined = { name: DEFAULT_ADMIN_NAME, isAdmin: false, permissions: ['search'], passwordHash: 'as of the use' };
    const tokens: TokenStore = {
      issue: (hash, grant) => s.tokens.issue(hash, grant),
      consume: (hash, now) => s.tokens.consume(hash, now),
      revoke: (hash) => s.tokens.revoke(hash),
      revokeUser: (name, except) => s.tokens.revokeUser(name, except),
      clear: () => s.tokens.clear(),
      consumeWithUser: async (hash, now) => {
        const userName = await s.tokens.consume(hash, now);
        return userName === undefined ? undefined : { userName, user: answered };
      },
    };
    const authorize = new AuthorizeToken(users, tokens, s.clock);
    const token = await s.authenticate.execute({ name: DEFAULT_ADMIN_NAME, password: 'initial-password' });

    expect(await authorize.execute(token)).to.deep.equal({ name: DEFAULT_ADMIN_NAME, isAdmin: false, permissions: ['search'] });
    answered = undefined;
    expect((await expectRejection(authorize.execute(token), ErrorCode.Unauthenticated)).message).to.match(/no longer exists/);
    expect((await expectRejection(authorize.execute('bearer never-issued'), ErrorCode.Unauthenticated)).message).to.match(/unknown, expired or used up/);
    expect(asked).to.deep.equal([]);
  });

  it('when a non-admin resets, then AUTH.FORBIDDEN and nothing is cleared', async () => {
    const s = await setup();
    await s.repository.create(aRecord({ id: '01JD0000000000000000000001' }));
    await expectRejection(s.reset.execute({ actor: reader }), ErrorCode.Forbidden);
    expect(await s.repository.count()).to.equal(1);
  });

  it('when the admin password was changed in the store, then seeding restores the configured one', async () => {
    const s = await setup();
    await s.users.save({ name: DEFAULT_ADMIN_NAME, isAdmin: true, permissions: [], passwordHash: await hasher.hash('changed') });
    await s.reset.execute({ actor: admin });
    expect(await s.authenticate.execute({ name: DEFAULT_ADMIN_NAME, password: 'initial-password' })).to.match(/^bearer /);
    expect((await s.users.list()).map((u) => u.name)).to.deep.equal([DEFAULT_ADMIN_NAME]);
  });

  it('when an audit trail is read, then the read itself is recorded; reads of other types are 404', async () => {
    const s = await setup();
    const record = aRecord({ id: '01JD0000000000000000000001' });
    await s.repository.create(record);
    const trail = new GetAuditTrail(s.repository, s.audit, s.clock);
    expect((await trail.execute({ actor: reader, type: 'model', id: record.id })).map((e) => e.action)).to.deep.equal(['AUDIT']);
    await expectRejection(trail.execute({ actor: reader, type: 'dataset', id: record.id }), ErrorCode.ArtifactNotFound);
  });

  it('when stored content has vanished, then a download fails with STORAGE.UNAVAILABLE and is not audited', async () => {
    const s = await setup();
    const record = aRecord({ id: '01JD0000000000000000000001' });
    await s.repository.create(record);
    const download = new DownloadPackage(s.repository, s.blobs, new DownloadGuard({ run: () => Promise.reject(new Error('no model here is sensitive')) }, s.audit, s.clock));
    await expectRejection(download.execute({ actor: reader, type: 'model', id: record.id }), ErrorCode.StorageUnavailable);
    expect(await s.audit.forArtifact(record.id, 10)).to.deep.equal([]);
  });
});
