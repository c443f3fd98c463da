import { expect } from 'chai';
import { Argon2PasswordHasher } from '../../../src/adapters/system/system-adapters';
import { GetRating, RefreshEvidence } from '../../../src/application/analysis.use-cases';
import { LoginThrottle } from '../../../src/application/login-throttle';
import { ManageUsers, type Caller } from '../../../src/application/manage-users.use-cases';
import { ErrorCode } from '../../../src/domain/errors';
import { ALL_PERMISSIONS, DEFAULT_ADMIN_NAME, type User } from '../../../src/domain/user';
import { expectRejection } from '../../support/zip-builder';
import { aRecord, admin, ratingServiceFor, reader, silentLogger, useCaseFixture } from '../../support/use-case-fixture';

// Codes of the domain's table that no other unit test raised (scripts/check-error-codes.ts).

describe('ManageUsers: unknown and duplicate users', () => {
  const root: User = { name: DEFAULT_ADMIN_NAME, isAdmin: true, permissions: ALL_PERMISSIONS };
  const asRoot: Caller = { actor: root, tokenHash: 'root-token' };

  async function setup() {
    const f = useCaseFixture();
    await f.users.save({ ...root, passwordHash: 'x' });
    return { f, manage: new ManageUsers(f.users, f.tokens, new Argon2PasswordHasher({ memoryCost: 1024, timeCost: 1 }), silentLogger, f.clock, new LoginThrottle()) };
  }

  it('when a user that does not exist is read, changed or deleted, then USER.NOT_FOUND naming it', async () => {
    const { manage } = await setup();

    const read = await expectRejection(manage.get({ caller: asRoot, name: 'ghost' }), ErrorCode.UserNotFound);
    expect(read.message).to.equal('no user is named "ghost"');
    await expectRejection(manage.setPermissions({ caller: asRoot, name: 'ghost', permissions: { search: true } }), ErrorCode.UserNotFound);
    await expectRejection(manage.delete({ caller: asRoot, name: 'ghost' }), ErrorCode.UserNotFound);
  });

  it('when a user is created under a name already taken, then USER.EXISTS and the first keeps its password', async () => {
    const { f, manage } = await setup();
    await manage.create({ caller: asRoot, name: 'alice', password: 'seven long words of secret', permissions: { search: true } });
    const before = await f.users.get('alice');

    await expectRejection(manage.create({ caller: asRoot, name: 'alice', password: 'another long pass phrase', permissions: { upload: true } }), ErrorCode.UserExists);

    expect(await f.users.get('alice')).to.deep.equal(before);
  });
});

describe('ratings that cannot be given', () => {
  it('when a model has no stored evidence, then reading or refreshing its rating is RATING.UNAVAILABLE and nothing is audited', async () => {
    const f = useCaseFixture();
    await f.repository.create(aRecord({ id: 'M1', name: 'bare' }));
    const ratings = ratingServiceFor(f);

    await expectRejection(new GetRating(f.repository, ratings, f.audit, f.clock).execute({ actor: reader, id: 'M1' }), ErrorCode.RatingUnavailable);
    await expectRejection(new RefreshEvidence(f.repository, ratings, f.audit, f.clock).execute({ actor: admin, id: 'M1' }), ErrorCode.RatingUnavailable);
    expect(await f.audit.forArtifact('M1', 10)).to.deep.equal([]);
    expect((await f.repository.get('M1'))?.revision).to.equal(1);
  });

  it('when the stored evidence cannot be rated, then RATING.FAILED names the model and the cause', async () => {
    const f = useCaseFixture();
    const broken = { evidence: {}, collectionSeconds: {}, problems: [], rating: {} } as unknown as NonNullable<Parameters<typeof aRecord>[0]['assessment']>;
    await f.repository.create(aRecord({ id: 'M2', name: 'broken', assessment: broken }));

    const error = await expectRejection(new GetRating(f.repository, ratingServiceFor(f), f.audit, f.clock).execute({ actor: reader, id: 'M2' }), ErrorCode.RatingFailed);

    expect(error.message).to.match(/^rating model M2 failed: /);
  });
});
