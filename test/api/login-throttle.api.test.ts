import { expect } from 'chai';
import { CLIENT_LIMIT } from '../../src/application/login-throttle';
import { ADMIN, ADMIN_PASSWORD, ManualClock, send, startTestRegistry, type TestRegistry } from '../support/test-registry';

interface ErrorBody {
  code: string;
  message: string;
}

describe('API: password guessing is throttled', () => {
  let registry: TestRegistry;
  const clock = new ManualClock(new Date('2026-05-01T10:00:00Z'));
  const login = (password: string, name = ADMIN) =>
    send<ErrorBody | string>(registry.url, 'PUT', '/authenticate', { json: { user: { name, is_admin: false }, secret: { password } }, token: null });

  before(async () => {
    registry = await startTestRegistry({ clock });
  });
  after(() => registry.close());

  it('when one client keeps guessing, then 429 with Retry-After, even for the right password, and it works again after the wait', async () => {
    for (let i = 0; i < CLIENT_LIMIT.maxFailures; i += 1) {
      expect((await login(`guess-${i}`, i % 2 === 0 ? ADMIN : `someone-${i}`)).status).to.equal(401);
    }
    const throttled = await login(ADMIN_PASSWORD);
    expect(throttled.status).to.equal(429);
    expect((throttled.body as ErrorBody).code).to.equal('AUTH.TOO_MANY_ATTEMPTS');
    const wait = Number(throttled.headers.get('retry-after'));
    expect(wait).to.be.within(1, CLIENT_LIMIT.windowMs / 1000);
    clock.advance(wait * 1000);
    const after = await login(ADMIN_PASSWORD);
    expect(after.status).to.equal(200);
    expect(after.body).to.match(/^bearer /);
  });
});
