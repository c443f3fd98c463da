import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { tinyPackage } from '../support/hf-packages';
import { ADMIN, ADMIN_PASSWORD, login, startTestRegistry, type TestRegistry } from '../support/test-registry';

/**
 * Every route of openapi/openapi.yaml × every kind of caller → the status it must answer. The table
 * is checked against the document itself: a route added to the contract without a row here fails,
 * and so does a row for a route the contract no longer has.
 *
 * Roles: no token, a bad token, users holding only `search`, only `download`, only `upload` (who is
 * not the owner), an admin, and, where ownership decides, the owner (the uploader of the artifact, or
 * the user named in a /users path). `allowed` cells that depend on unreachable upstreams are pinned to
 * the status the registry answers when the upstream is closed (502), which still proves the call got
 * past the permission check.
 */
type Role = 'none' | 'bad' | 'search' | 'download' | 'upload' | 'admin' | 'owner';
const BASE_ROLES: readonly Role[] = ['none', 'bad', 'search', 'download', 'upload', 'admin'];

interface Call {
  readonly path: string;
  readonly json?: unknown;
  readonly zip?: Buffer;
  /** Overrides the role's token (e.g. the user named in the path acting on themselves). */
  readonly token?: string;
}

interface Rule {
  readonly route: string;
  readonly expect: Partial<Record<Role, number>>;
  call(role: Role, fixtures: Fixtures): Promise<Call>;
}

const PASSWORD = 'matrix users have long passwords';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** The usual answer of a route that needs one permission and nothing else. */
const needs = (permission: 'search' | 'download' | 'upload' | 'admin', ok: number): Partial<Record<Role, number>> => ({
  none: 403, bad: 403, search: permission === 'search' ? ok : 401, download: permission === 'download' ? ok : 401,
  upload: permission === 'upload' ? ok : 401, admin: ok,
});
const PUBLIC = (ok: number): Partial<Record<Role, number>> => ({ none: ok, bad: ok, search: ok, download: ok, upload: ok, admin: ok });
/** Owner-or-admin routes that also need `upload` (the owner holds it). */
const OWNER_UPLOADER = (ok: number): Partial<Record<Role, number>> => ({ none: 403, bad: 403, search: 401, download: 401, upload: 401, admin: ok, owner: ok });

class Fixtures {
  private counter = 0;
  model = '';
  modelName = 'matrix-model';

  constructor(readonly registry: TestRegistry) {}

  async setUp(): Promise<void> {
    for (const [name, permissions] of [['m-search', { search: true }], ['m-download', { download: true }], ['m-upload', { upload: true }], ['m-owner', { upload: true }], ['m-admin', { admin: true }]] as const) {
      const created = await this.registry.request('POST', '/users', { json: { name, password: PASSWORD, permissions } });
      expect(created.status, created.raw.toString()).to.equal(201);
    }
    this.model = await this.newModel(this.modelName);
    await this.registry.request('PUT', `/artifacts/model/${this.model}/sensitivity`, { json: { hook: 'process.exit(0)' } });
  }

  /** A fresh token for each call, so a call that revokes tokens cannot change another cell. */
  async token(role: Role): Promise<string | null> {
    switch (role) {
      case 'none': return null;
      case 'bad': return 'bearer this-token-was-never-issued';
      case 'admin': return login(this.registry.url, 'm-admin', PASSWORD);
      default: return login(this.registry.url, `m-${role}`, PASSWORD);
    }
  }

  async newModel(name = `matrix-${(this.counter += 1)}`): Promise<string> {
    const owner = await this.token('owner');
    const created = await this.registry.request<{ metadata: { id: string } }>('POST', `/artifact/model?name=${name}`, { body: await tinyPackage(name), contentType: 'application/zip', token: owner });
    expect(created.status, created.raw.toString()).to.equal(201);
    return created.body.metadata.id;
  }

  /** A throwaway user holding `download` only, and a token for them. */
  async newUser(): Promise<{ name: string; token: string }> {
    const name = `m-target-${(this.counter += 1)}`;
    const created = await this.registry.request('POST', '/users', { json: { name, password: PASSWORD, permissions: { download: true } } });
    expect(created.status).to.equal(201);
    return { name, token: await login(this.registry.url, name, PASSWORD) };
  }

  zip(name: string): Promise<Buffer> {
    return tinyPackage(name);
  }

  /** A transaction opened by a throwaway uploader, who is its owner. */
  async newTransaction(): Promise<{ id: string; token: string }> {
    const name = `m-txn-${(this.counter += 1)}`;
    const created = await this.registry.request('POST', '/users', { json: { name, password: PASSWORD, permissions: { upload: true } } });
    expect(created.status).to.equal(201);
    const token = await login(this.registry.url, name, PASSWORD);
    const opened = await this.registry.request<{ id: string }>('POST', '/transactions', { token });
    expect(opened.status, opened.raw.toString()).to.equal(201);
    return { id: opened.body.id, token };
  }

  private ownersTransaction: string | undefined;

  /** One transaction of the artifacts' owner, shared: each call stages a change of a fresh artifact. */
  async ownerTransaction(): Promise<string> {
    if (this.ownersTransaction === undefined) {
      const opened = await this.registry.request<{ id: string }>('POST', '/transactions', { token: await this.token('owner') });
      expect(opened.status, opened.raw.toString()).to.equal(201);
      this.ownersTransaction = opened.body.id;
    }
    return this.ownersTransaction;
  }
}

/** For routes about one transaction: the owner role is the user who opened it. */
const onTransaction = (suffix: string, zip?: (role: Role, f: Fixtures) => Promise<Buffer>) => async (role: Role, f: Fixtures): Promise<Call> => {
  const txn = await f.newTransaction();
  return { path: `/transactions/${txn.id}${suffix}`, ...(zip === undefined ? {} : { zip: await zip(role, f) }), ...(role === 'owner' ? { token: txn.token } : {}) };
};

/** For routes about one user: the owner role is that user acting on themselves. */
const onUser = (suffix: string, json?: (role: Role) => unknown) => async (role: Role, f: Fixtures): Promise<Call> => {
  const target = await f.newUser();
  return { path: `/users/${target.name}${suffix}`, ...(json === undefined ? {} : { json: json(role) }), ...(role === 'owner' ? { token: target.token } : {}) };
};

const RULES: readonly Rule[] = [
  { route: 'GET /health', expect: PUBLIC(200), call: async () => ({ path: '/health' }) },
  { route: 'GET /health/components', expect: PUBLIC(200), call: async () => ({ path: '/health/components' }) },
  { route: 'GET /tracks', expect: PUBLIC(200), call: async () => ({ path: '/tracks' }) },
  {
    route: 'PUT /authenticate', expect: PUBLIC(200),
    call: async () => ({ path: '/authenticate', json: { user: { name: 'm-search', is_admin: false }, secret: { password: PASSWORD } } }),
  },
  {
    route: 'DELETE /authenticate',
    expect: { none: 403, bad: 403, search: 200, download: 200, upload: 200, admin: 200 },
    call: async () => ({ path: '/authenticate' }),
  },
  { route: 'POST /artifacts', expect: needs('search', 200), call: async () => ({ path: '/artifacts', json: [{ name: '*' }] }) },
  { route: 'POST /artifact/byRegEx', expect: needs('search', 200), call: async () => ({ path: '/artifact/byRegEx', json: { regex: 'matrix' } }) },
  { route: 'GET /artifact/byName/{name}', expect: needs('search', 200), call: async (_r, f) => ({ path: `/artifact/byName/${f.modelName}` }) },
  { route: 'GET /artifacts/{artifact_type}/{id}', expect: needs('search', 200), call: async (_r, f) => ({ path: `/artifacts/model/${f.model}` }) },
  { route: 'GET /artifacts/{artifact_type}/{id}/details', expect: needs('search', 200), call: async (_r, f) => ({ path: `/artifacts/model/${f.model}/details` }) },
  { route: 'GET /artifact/{artifact_type}/{id}/audit', expect: needs('search', 200), call: async (_r, f) => ({ path: `/artifact/model/${f.model}/audit` }) },
  { route: 'GET /artifact/model/{id}/rate', expect: needs('search', 200), call: async (_r, f) => ({ path: `/artifact/model/${f.model}/rate` }) },
  { route: 'GET /artifact/model/{id}/rate/explain', expect: needs('search', 200), call: async (_r, f) => ({ path: `/artifact/model/${f.model}/rate/explain` }) },
  { route: 'GET /artifact/{artifact_type}/{id}/cost', expect: needs('search', 200), call: async (_r, f) => ({ path: `/artifact/model/${f.model}/cost` }) },
  { route: 'GET /artifact/model/{id}/lineage', expect: needs('search', 200), call: async (_r, f) => ({ path: `/artifact/model/${f.model}/lineage` }) },
  {
    route: 'POST /artifact/model/{id}/license-check', expect: needs('search', 502),
    call: async (_r, f) => ({ path: `/artifact/model/${f.model}/license-check`, json: { github_url: 'https://github.com/google-research/bert' } }),
  },
  {
    route: 'POST /artifact/model/{id}/license-check/explain', expect: needs('search', 502),
    call: async (_r, f) => ({ path: `/artifact/model/${f.model}/license-check/explain`, json: { github_url: 'https://github.com/google-research/bert' } }),
  },
  { route: 'GET /artifacts/{artifact_type}/{id}/download', expect: needs('download', 200), call: async (_r, f) => ({ path: `/artifacts/model/${f.model}/download` }) },
  {
    route: 'POST /artifact/{artifact_type}', expect: needs('upload', 201),
    call: async (role, f) => ({ path: `/artifact/model?name=matrix-new-${role}`, zip: await f.zip(`matrix-new-${role}`) }),
  },
  {
    route: 'PUT /artifacts/{artifact_type}/{id}', expect: OWNER_UPLOADER(200),
    call: async (role, f) => ({ path: `/artifacts/model/${f.model}?name=${f.modelName}`, zip: await f.zip(`${f.modelName}-by-${role}`) }),
  },
  {
    // The test's Hugging Face is closed: 502 proves the call got past authorization.
    route: 'POST /artifact/ingest', expect: needs('upload', 502),
    call: async () => ({ path: '/artifact/ingest', json: { url: 'https://huggingface.co/acme-test/tiny-lora' } }),
  },
  { route: 'POST /artifact/model/{id}/rate/refresh', expect: needs('admin', 200), call: async (_r, f) => ({ path: `/artifact/model/${f.model}/rate/refresh` }) },
  { route: 'POST /artifacts/{artifact_type}/{id}/scan', expect: needs('admin', 200), call: async (_r, f) => ({ path: `/artifacts/model/${f.model}/scan` }) },
  { route: 'POST /admin/rescan', expect: needs('admin', 200), call: async () => ({ path: '/admin/rescan' }) },
  { route: 'GET /audit/package-confusion', expect: needs('admin', 200), call: async () => ({ path: '/audit/package-confusion' }) },
  {
    // One download by one client: the smallest run that starts.
    route: 'POST /admin/performance-runs', expect: needs('admin', 202),
    call: async (_r, f) => ({ path: '/admin/performance-runs', json: { clients: 1, requests: 1, artifact_id: f.model } }),
  },
  { route: 'GET /admin/performance-runs', expect: needs('admin', 200), call: async () => ({ path: '/admin/performance-runs' }) },
  { route: 'GET /admin/performance-runs/{id}', expect: needs('admin', 404), call: async () => ({ path: '/admin/performance-runs/no-such-run' }) },
  { route: 'DELETE /artifacts/{artifact_type}/{id}', expect: OWNER_UPLOADER(200), call: async (_r, f) => ({ path: `/artifacts/model/${await f.newModel()}` }) },
  { route: 'GET /artifacts/model/{id}/sensitivity', expect: needs('search', 200), call: async (_r, f) => ({ path: `/artifacts/model/${f.model}/sensitivity` }) },
  {
    route: 'PUT /artifacts/model/{id}/sensitivity', expect: OWNER_UPLOADER(200),
    call: async (_r, f) => ({ path: `/artifacts/model/${f.model}/sensitivity`, json: { hook: 'process.exit(0)' } }),
  },
  { route: 'DELETE /artifacts/model/{id}/sensitivity', expect: OWNER_UPLOADER(200), call: async (_r, f) => ({ path: `/artifacts/model/${await f.newModel()}/sensitivity` }) },
  {
    route: 'GET /artifacts/model/{id}/download-history',
    expect: { none: 403, bad: 403, search: 401, download: 401, upload: 401, admin: 200, owner: 200 },
    call: async (_r, f) => ({ path: `/artifacts/model/${f.model}/download-history` }),
  },
  { route: 'GET /logs/recent', expect: needs('admin', 200), call: async () => ({ path: '/logs/recent' }) },
  { route: 'GET /audit', expect: needs('admin', 200), call: async (_r, f) => ({ path: `/audit?artifact_id=${f.model}` }) },
  { route: 'GET /users', expect: needs('admin', 200), call: async () => ({ path: '/users' }) },
  {
    route: 'POST /users', expect: needs('admin', 201),
    call: async (role) => ({ path: '/users', json: { name: `m-created-by-${role}`, password: PASSWORD, permissions: { search: true } } }),
  },
  { route: 'GET /users/{name}', expect: { ...needs('admin', 200), owner: 200 }, call: onUser('') },
  { route: 'DELETE /users/{name}', expect: { ...needs('admin', 200), owner: 200 }, call: onUser('') },
  { route: 'PUT /users/{name}/permissions', expect: { ...needs('admin', 200), owner: 401 }, call: onUser('/permissions', () => ({ search: true })) },
  {
    route: 'PUT /users/{name}/password', expect: { ...needs('admin', 200), owner: 200 },
    call: onUser('/password', (role) => ({ ...(role === 'owner' ? { current_password: PASSWORD } : {}), new_password: 'a different long password' })),
  },
  { route: 'POST /transactions', expect: needs('upload', 201), call: async () => ({ path: '/transactions' }) },
  { route: 'GET /transactions/{id}', expect: OWNER_UPLOADER(200), call: onTransaction('') },
  { route: 'DELETE /transactions/{id}', expect: OWNER_UPLOADER(204), call: onTransaction('') },
  {
    route: 'POST /transactions/{id}/artifact/{artifact_type}', expect: OWNER_UPLOADER(202),
    call: onTransaction('/artifact/model?name=matrix-staged', async (role, f) => f.zip(`matrix-staged-${role}`)),
  },
  { route: 'POST /transactions/{id}/commit', expect: OWNER_UPLOADER(200), call: onTransaction('/commit') },
  {
    // The artifact's owner opened the transaction; others are refused as outside one (or as strangers to it).
    route: 'PUT /transactions/{id}/artifacts/{artifact_type}/{artifact_id}', expect: OWNER_UPLOADER(202),
    call: async (role, f) => {
      const name = `matrix-staged-put-${role}`;
      return { path: `/transactions/${await f.ownerTransaction()}/artifacts/model/${await f.newModel(name)}?name=${name}`, zip: await f.zip(`${name}-v2`) };
    },
  },
  {
    route: 'DELETE /transactions/{id}/artifacts/{artifact_type}/{artifact_id}', expect: OWNER_UPLOADER(202),
    call: async (_r, f) => ({ path: `/transactions/${await f.ownerTransaction()}/artifacts/model/${await f.newModel()}` }),
  },
  // Last: it empties the registry.
  { route: 'DELETE /reset', expect: needs('admin', 200), call: async () => ({ path: '/reset' }) },
];

function contractRoutes(): string[] {
  const document = parse(readFileSync(join(__dirname, '../../openapi/openapi.yaml'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).filter((key) => METHODS.includes(key)).map((method) => `${method.toUpperCase()} ${path}`));
}

describe('API: the permission matrix (every route × every role)', function () {
  this.timeout(300_000);
  let registry: TestRegistry;
  let fixtures: Fixtures;

  before(async () => {
    registry = await startTestRegistry({ storage: 'memory' });
    fixtures = new Fixtures(registry);
    await fixtures.setUp();
  });
  after(() => registry.close());

  it('when the contract is read, then every route has a rule and every rule a route', () => {
    const routes = contractRoutes();
    const ruled = RULES.map((rule) => rule.route);
    expect(routes.filter((route) => !ruled.includes(route)), 'routes without a permission rule').to.deep.equal([]);
    expect(ruled.filter((route) => !routes.includes(route)), 'rules for routes the contract lacks').to.deep.equal([]);
    expect(new Set(ruled).size, 'duplicate rules').to.equal(ruled.length);
  });

  it('when a rule is read, then it states every base role', () => {
    for (const rule of RULES) expect(Object.keys(rule.expect), rule.route).to.include.members([...BASE_ROLES]);
  });

  for (const rule of RULES) {
    it(`${rule.route}: ${Object.entries(rule.expect).map(([role, status]) => `${role} → ${status}`).join(', ')}`, async () => {
      const [method] = rule.route.split(' ');
      const actual: Partial<Record<Role, number>> = {};
      for (const role of Object.keys(rule.expect) as Role[]) {
        const call = await rule.call(role, fixtures);
        const token = call.token ?? (await fixtures.token(role));
        const response = await registry.request(method!, call.path, {
          token,
          ...(call.json === undefined ? {} : { json: call.json }),
          ...(call.zip === undefined ? {} : { body: call.zip, contentType: 'application/zip' }),
        });
        actual[role] = response.status;
      }
      expect(actual).to.deep.equal(rule.expect);
    });
  }

  it('when the default admin is the only one left after a reset, then it still signs in', async () => {
    expect(await login(registry.url, ADMIN, ADMIN_PASSWORD)).to.match(/^bearer /);
  });
});
