import { expect } from 'chai';
import { ErrorCode, isDomainError } from '../../../src/domain/errors';
import { AuthenticateUser } from '../../../src/application/authenticate-user.use-case';
import { CLIENT_LIMIT, LoginThrottle, MAX_THROTTLE_KEYS, USER_LIMIT } from '../../../src/application/login-throttle';
import { Argon2PasswordHasher, RandomSecretGenerator } from '../../../src/adapters/system/system-adapters';
import type { PasswordHasher } from '../../../src/ports/system.port';
import { expectRejection } from '../../support/zip-builder';
import { useCaseFixture } from '../../support/use-case-fixture';

/** The real hasher, counting the checks it is asked for. */
class CountingHasher implements PasswordHasher {
  readonly verified: string[] = [];
  private readonly real = new Argon2PasswordHasher({ memoryCost: 1024, timeCost: 1 });
  hash(password: string): Promise<string> {
    return this.real.hash(password);
  }
  verify(hash: string, password: string): Promise<boolean> {
    this.verified.push(hash);
    return this.real.verify(hash, password);
  }
}

describe('AuthenticateUser: throttling and unknown users', () => {
  const setup = async () => {
    const f = useCaseFixture();
    const hasher = new CountingHasher();
    await f.users.save({ name: 'alice', isAdmin: false, permissions: ['search'], passwordHash: await hasher.hash('alice-password') });
    return { ...f, hasher, authenticate: new AuthenticateUser(f.users, f.tokens, hasher, new RandomSecretGenerator(), f.clock) };
  };
  const advance = (clock: { current: Date }, ms: number): void => {
    clock.current = new Date(clock.current.getTime() + ms);
  };

  it('when the user does not exist, then a password hash is still verified, with the same cost settings', async () => {
    const s = await setup();
    await expectRejection(s.authenticate.execute({ name: 'nobody', password: 'guess' }), ErrorCode.BadCredentials);
    await expectRejection(s.authenticate.execute({ name: 'alice', password: 'guess' }), ErrorCode.BadCredentials);
    expect(s.hasher.verified).to.have.length(2);
    const [dummy, real] = s.hasher.verified;
    expect(dummy?.split('$').slice(0, 4)).to.deep.equal(real?.split('$').slice(0, 4));
  });

  it('when one client fails too often, then it gets AUTH.TOO_MANY_ATTEMPTS with a wait, even with the right password, until the window ends', async () => {
    const s = await setup();
    for (let i = 0; i < CLIENT_LIMIT.maxFailures; i += 1) {
      await expectRejection(s.authenticate.execute({ name: `user-${i}`, password: 'guess', client: '10.0.0.1' }), ErrorCode.BadCredentials);
    }
    const checks = s.hasher.verified.length;
    const refused = await s.authenticate.execute({ name: 'alice', password: 'alice-password', client: '10.0.0.1' }).catch((error: unknown) => error);
    expect(isDomainError(refused) && refused.code).to.equal(ErrorCode.TooManyAttempts);
    expect(isDomainError(refused) && refused.details?.retry_after_seconds).to.equal(CLIENT_LIMIT.windowMs / 1000);
    expect(s.hasher.verified).to.have.length(checks);
    // Another client is not held up by this one.
    expect(await s.authenticate.execute({ name: 'alice', password: 'alice-password', client: '10.0.0.2' })).to.match(/^bearer /);
    advance(s.clock, CLIENT_LIMIT.windowMs);
    expect(await s.authenticate.execute({ name: 'alice', password: 'alice-password', client: '10.0.0.1' })).to.match(/^bearer /);
  });

  it('when one user name fails too often from many clients, then that name is throttled for everyone', async () => {
    const s = await setup();
    for (let i = 0; i < USER_LIMIT.maxFailures; i += 1) {
      await expectRejection(s.authenticate.execute({ name: 'alice', password: 'guess', client: `10.0.1.${i}` }), ErrorCode.BadCredentials);
    }
    await expectRejection(s.authenticate.execute({ name: 'alice', password: 'alice-password', client: '10.0.2.1' }), ErrorCode.TooManyAttempts);
    // Unknown names are throttled the same way, so throttling does not reveal who exists.
    for (let i = 0; i < USER_LIMIT.maxFailures; i += 1) {
      await expectRejection(s.authenticate.execute({ name: 'nobody', password: 'guess', client: `10.0.3.${i}` }), ErrorCode.BadCredentials);
    }
    await expectRejection(s.authenticate.execute({ name: 'nobody', password: 'guess', client: '10.0.4.1' }), ErrorCode.TooManyAttempts);
    advance(s.clock, USER_LIMIT.windowMs);
    expect(await s.authenticate.execute({ name: 'alice', password: 'alice-password', client: '10.0.2.1' })).to.match(/^bearer /);
  });

  it('when failures come from more clients and names than the bound, then memory holds at most the bound', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < MAX_THROTTLE_KEYS + 500; i += 1) throttle.failed(`client-${i}`, `user-${i}`, 0);
    expect(throttle.size).to.deep.equal({ clients: MAX_THROTTLE_KEYS, users: MAX_THROTTLE_KEYS });
  });
});
