import { expect } from 'chai';
import { ADMIN, login, startTestRegistry, type TestRegistry } from '../support/test-registry';

interface Account {
  name: string;
  permissions: { upload: boolean; search: boolean; download: boolean; admin: boolean };
}
interface ErrorBody {
  code: string;
  message: string;
}

const ALICE_PASSWORD = 'violet kettle drums at noon';
const ONLY = (...names: string[]) => ({ upload: names.includes('upload'), search: names.includes('search'), download: names.includes('download'), admin: names.includes('admin') });

describe('API: users, permissions, passwords and sign-out', function () {
  this.timeout(60_000);
  let registry: TestRegistry;

  const create = (name: string, password: string, permissions: unknown, token?: string) =>
    registry.request<Account & ErrorBody>('POST', '/users', { json: { name, password, permissions }, ...(token === undefined ? {} : { token }) });
  const whoAmI = (name: string, token: string) => registry.request<Account>('GET', `/users/${encodeURIComponent(name)}`, { token });

  beforeEach(async () => {
    registry = await startTestRegistry({ storage: 'local' });
  });
  afterEach(async () => {
    await registry.close();
  });

  it('when an admin creates users with each permission set, then each can sign in and holds exactly those permissions', async () => {
    const sets = [ONLY('search'), ONLY('download'), ONLY('upload'), ONLY('upload', 'search', 'download'), ONLY('admin')];
    for (const [index, permissions] of sets.entries()) {
      const name = `user ${index}`;
      const created = await create(name, `${ALICE_PASSWORD} ${index}`, permissions);
      expect(created.status, created.raw.toString()).to.equal(201);
      expect(created.body).to.deep.equal({ name, permissions });
      expect(created.raw.toString()).not.to.contain(ALICE_PASSWORD);
      const token = await login(registry.url, name, `${ALICE_PASSWORD} ${index}`);
      expect((await whoAmI(name, token)).body.permissions).to.deep.equal(permissions);
    }
    const list = await registry.request<Account[]>('GET', '/users');
    expect(list.body.map((user) => user.name)).to.deep.equal([ADMIN, 'user 0', 'user 1', 'user 2', 'user 3', 'user 4']);
  });

  it('when a name is taken or a password is weak, then 409 or 400 says why and nothing is created', async () => {
    expect((await create('alice', ALICE_PASSWORD, ONLY('search'))).status).to.equal(201);
    const taken = await create('alice', `${ALICE_PASSWORD}!`, ONLY('search'));
    expect([taken.status, taken.body.code]).to.deep.equal([409, 'USER.EXISTS']);
    for (const [password, why] of [['short-pass1', 'fewer than 12'], ['my name is BOB really', 'user name'], ['Password1234', 'common breached'], ['x'.repeat(257), 'more than 256']]) {
      const weak = await create('bob', password!, ONLY('search'));
      expect(weak.status).to.equal(400);
      expect(weak.body.message).to.contain(why);
    }
    expect((await registry.request('GET', '/users/bob')).status).to.equal(404);
  });

  it('when a non-admin manages users, then 401; with no token or a bad one, 403', async () => {
    await create('alice', ALICE_PASSWORD, ONLY('upload', 'search', 'download'));
    await create('bob', `${ALICE_PASSWORD} b`, ONLY('search'));
    const alice = await login(registry.url, 'alice', ALICE_PASSWORD);
    expect((await create('mallory', `${ALICE_PASSWORD} m`, ONLY('admin'), alice)).status).to.equal(401);
    expect((await registry.request('GET', '/users', { token: alice })).status).to.equal(401);
    expect((await whoAmI('bob', alice)).status).to.equal(401);
    expect((await registry.request('PUT', '/users/alice/permissions', { json: ONLY('admin'), token: alice })).status).to.equal(401);
    expect((await registry.request('GET', '/users', { token: null })).status).to.equal(403);
    expect((await registry.request('GET', '/users', { token: 'bearer not-a-token' })).status).to.equal(403);
  });

  it('when permissions change, then the user\'s tokens are revoked and the new permissions hold at the next sign-in', async () => {
    await create('alice', ALICE_PASSWORD, ONLY('search'));
    const before = await login(registry.url, 'alice', ALICE_PASSWORD);
    const changed = await registry.request<Account>('PUT', '/users/alice/permissions', { json: ONLY('search', 'download') });
    expect(changed.body.permissions).to.deep.equal(ONLY('search', 'download'));
    expect((await whoAmI('alice', before)).status).to.equal(403);
    const after = await login(registry.url, 'alice', ALICE_PASSWORD);
    expect((await whoAmI('alice', after)).body.permissions.download).to.equal(true);
  });

  it('when users change their own password, then the current one is required, their other tokens stop and this one keeps working', async () => {
    await create('alice', ALICE_PASSWORD, ONLY('search'));
    const session = await login(registry.url, 'alice', ALICE_PASSWORD);
    const other = await login(registry.url, 'alice', ALICE_PASSWORD);
    const path = '/users/alice/password';
    const wrong = await registry.request<ErrorBody>('PUT', path, { json: { current_password: 'not the password', new_password: 'a fresh long passphrase' }, token: session });
    expect([wrong.status, wrong.body.code]).to.deep.equal([401, 'AUTH.BAD_CREDENTIALS']);
    expect((await registry.request('PUT', path, { json: { new_password: 'a fresh long passphrase' }, token: session })).status).to.equal(400);
    const ok = await registry.request('PUT', path, { json: { current_password: ALICE_PASSWORD, new_password: 'a fresh long passphrase' }, token: session });
    expect(ok.status, ok.raw.toString()).to.equal(200);
    expect((await whoAmI('alice', session)).status).to.equal(200);
    expect((await whoAmI('alice', other)).status).to.equal(403);
    expect(await login(registry.url, 'alice', 'a fresh long passphrase')).to.match(/^bearer /);
  });

  it('when an admin resets a password, then no current password is needed and every token of the user stops', async () => {
    await create('alice', ALICE_PASSWORD, ONLY('search'));
    const session = await login(registry.url, 'alice', ALICE_PASSWORD);
    const reset = await registry.request('PUT', '/users/alice/password', { json: { new_password: 'reset by the admin today' } });
    expect(reset.status).to.equal(200);
    expect((await whoAmI('alice', session)).status).to.equal(403);
    expect(await login(registry.url, 'alice', 'reset by the admin today')).to.match(/^bearer /);
  });

  it('when a user is deleted, by themselves or an admin, then their tokens are refused at once', async () => {
    await create('alice', ALICE_PASSWORD, ONLY('search'));
    await create('bob', `${ALICE_PASSWORD} b`, ONLY('search'));
    const alice = await login(registry.url, 'alice', ALICE_PASSWORD);
    const bob = await login(registry.url, 'bob', `${ALICE_PASSWORD} b`);
    expect((await registry.request('DELETE', '/users/bob', { token: alice })).status).to.equal(401);
    expect((await registry.request('DELETE', '/users/alice', { token: alice })).status).to.equal(200);
    expect((await registry.request('GET', '/artifacts/model/1/sensitivity', { token: alice })).status).to.equal(403);
    expect((await registry.request('DELETE', '/users/bob')).status).to.equal(200);
    expect((await whoAmI('bob', bob)).status).to.equal(403);
    // A new account with an old name does not inherit the old tokens.
    await create('bob', `${ALICE_PASSWORD} again`, ONLY('search'));
    expect((await whoAmI('bob', bob)).status).to.equal(403);
  });

  it('when the default admin is deleted or the last admin loses admin, then 409 and nothing changes', async () => {
    const deleted = await registry.request<ErrorBody>('DELETE', `/users/${ADMIN}`);
    expect([deleted.status, deleted.body.code]).to.deep.equal([409, 'USER.PROTECTED']);
    const demoted = await registry.request<ErrorBody>('PUT', `/users/${ADMIN}/permissions`, { json: ONLY('search') });
    expect([demoted.status, demoted.body.code]).to.deep.equal([409, 'USER.PROTECTED']);
    await create('root2', ALICE_PASSWORD, ONLY('admin'));
    const nowAllowed = await registry.request<Account>('PUT', `/users/${ADMIN}/permissions`, { json: ONLY('admin', 'search') });
    expect(nowAllowed.status).to.equal(200);
    const root2 = await login(registry.url, 'root2', ALICE_PASSWORD);
    const last = await registry.request<ErrorBody>('DELETE', '/users/root2', { token: root2 });
    expect(last.status).to.equal(200);
  });

  it('when a user signs out, then that token is refused and their other tokens keep working', async () => {
    await create('alice', ALICE_PASSWORD, ONLY('search'));
    const one = await login(registry.url, 'alice', ALICE_PASSWORD);
    const two = await login(registry.url, 'alice', ALICE_PASSWORD);
    expect((await registry.request('DELETE', '/authenticate', { token: one })).status).to.equal(200);
    expect((await whoAmI('alice', one)).status).to.equal(403);
    expect((await registry.request('DELETE', '/authenticate', { token: one })).status).to.equal(403);
    expect((await whoAmI('alice', two)).status).to.equal(200);
    expect((await registry.request('DELETE', '/authenticate', { token: null })).status).to.equal(403);
  });
});
