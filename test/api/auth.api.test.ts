import { expect } from 'chai';
import { ALL_PERMISSIONS } from '../../src/domain/user';
import { Tokens } from '../../src/adapters/di/tokens';
import { resolve } from '../../src/adapters/di/container';
import { ADMIN, ADMIN_PASSWORD, login, ManualClock, send, startTestRegistry, type TestRegistry } from '../support/test-registry';

describe('API: authentication', () => {
  let registry: TestRegistry;
  const clock = new ManualClock();

  before(async () => {
    registry = await startTestRegistry({ clock });
  });
  after(() => registry.close());

  it('when the default admin authenticates, then a bearer token string comes back', async () => {
    const response = await send<string>(registry.url, 'PUT', '/authenticate', {
      json: { user: { name: ADMIN, is_admin: true }, secret: { password: ADMIN_PASSWORD } },
      token: null,
    });
    expect(response.status).to.equal(200);
    expect(response.body).to.match(/^bearer [A-Za-z0-9_-]{40,}$/);
  });

  it('when the password is wrong, then 401 and no token', async () => {
    const response = await send<{ code: string }>(registry.url, 'PUT', '/authenticate', {
      json: { user: { name: ADMIN, is_admin: true }, secret: { password: 'wrong' } },
      token: null,
    });
    expect(response.status).to.equal(401);
    expect(response.body.code).to.equal('AUTH.BAD_CREDENTIALS');
  });

  it('when the user does not exist, then 401 with the same message as a wrong password', async () => {
    const unknown = await send<{ message: string }>(registry.url, 'PUT', '/authenticate', {
      json: { user: { name: 'nobody', is_admin: false }, secret: { password: ADMIN_PASSWORD } },
      token: null,
    });
    expect(unknown.status).to.equal(401);
    expect(unknown.body.message).to.equal('the user name or password is incorrect');
  });

  it('when the request lacks the secret, then 400 names the missing field', async () => {
    const response = await send<{ message: string }>(registry.url, 'PUT', '/authenticate', {
      json: { user: { name: ADMIN, is_admin: true } },
      token: null,
    });
    expect(response.status).to.equal(400);
    expect(response.body.message).to.contain('secret');
  });

  it('when the body is not JSON, then 400 says so', async () => {
    const response = await send<{ code: string }>(registry.url, 'PUT', '/authenticate', {
      body: Buffer.from('{not json'),
      contentType: 'application/json',
      token: null,
    });
    expect(response.status).to.equal(400);
    expect(response.body.code).to.equal('REQUEST.MALFORMED_JSON');
  });

  for (const [label, token] of [['missing', null], ['empty', ''], ['unknown', 'bearer not-a-real-token'], ['garbage', 'x'.repeat(600)]] as const) {
    it(`when the token is ${label}, then a protected endpoint answers 403`, async () => {
      const response = await registry.request<{ code: string }>('POST', '/artifacts', { json: [{ name: '*' }], token });
      expect(response.status).to.equal(403);
      expect(response.body.code).to.equal('AUTH.UNAUTHENTICATED');
    });
  }

  it('when the token is sent without its scheme or quoted, then it is still accepted', async () => {
    const token = await login(registry.url, ADMIN, ADMIN_PASSWORD);
    const bare = token.replace(/^bearer /, '');
    expect((await registry.request('POST', '/artifacts', { json: [{ name: '*' }], token: bare })).status).to.equal(200);
    expect((await registry.request('POST', '/artifacts', { json: [{ name: '*' }], token: `"${token}"` })).status).to.equal(200);
  });

  it('when a token has been used 1000 times, then the next use is refused', async function () {
    // A thousand concurrent requests: generous on a busy two-core machine, still bounded.
    this.timeout(90_000);
    const token = await login(registry.url, ADMIN, ADMIN_PASSWORD);
    const statuses = await Promise.all(
      Array.from({ length: 1000 }, () => registry.request('POST', '/artifacts', { json: [{ name: '*' }], token }).then((r) => r.status)),
    );
    expect(statuses.filter((status) => status === 200)).to.have.length(1000);
    expect((await registry.request('POST', '/artifacts', { json: [{ name: '*' }], token })).status).to.equal(403);
  });

  it('when 10 hours have passed, then the token has expired', async () => {
    const token = await login(registry.url, ADMIN, ADMIN_PASSWORD);
    clock.advance(10 * 60 * 60 * 1000 - 1000);
    expect((await registry.request('POST', '/artifacts', { json: [{ name: '*' }], token })).status).to.equal(200);
    clock.advance(2000);
    expect((await registry.request('POST', '/artifacts', { json: [{ name: '*' }], token })).status).to.equal(403);
  });

  it('when /health and /tracks are called without a token, then they answer', async () => {
    const health = await registry.request<{ status: string; uptime_seconds: number }>('GET', '/health', { token: null });
    expect(health.status).to.equal(200);
    expect(health.body.status).to.equal('ok');
    const tracks = await registry.request<{ plannedTracks: string[] }>('GET', '/tracks', { token: null });
    expect(tracks.status).to.equal(200);
    expect(tracks.body.plannedTracks).to.include('Access control track');
  });

  it('when a password is stored, then only a salted argon2id hash is kept', async () => {
    const admin = await resolve(registry.container, Tokens.UserStore).get(ADMIN);
    expect(admin?.passwordHash).to.match(/^\$argon2id\$/);
    expect(admin?.passwordHash).not.to.contain(ADMIN_PASSWORD);
    expect(admin?.permissions).to.deep.equal(ALL_PERMISSIONS);
  });
});

describe('API: configured admin password', () => {
  it('when TMR_ADMIN_PASSWORD is set, then it replaces the published default', async () => {
    const registry = await startTestRegistry({ env: { TMR_ADMIN_PASSWORD: 'a-much-better-secret' } });
    try {
      await login(registry.url, ADMIN, 'a-much-better-secret');
      let refused = false;
      await login(registry.url, ADMIN, ADMIN_PASSWORD).catch(() => (refused = true));
      expect(refused).to.equal(true);
    } finally {
      await registry.close();
    }
  });
});
