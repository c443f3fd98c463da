import { expect } from 'chai';
import { addUser, ManualClock, startTestRegistry, type TestRegistry } from '../support/test-registry';

interface Summary {
  status: string;
  uptime_seconds: number;
  request_summary: { total_requests: number; per_route: Record<string, number>; per_artifact_type: Record<string, number>; unique_clients: number };
  components: { id: string; status: string }[];
}
interface Components {
  window_minutes: number;
  components: { id: string; status: string; metrics: Record<string, unknown>; timeline?: { bucket: string; value: number }[] }[];
}

describe('API: health', () => {
  let registry: TestRegistry;
  const clock = new ManualClock(new Date('2026-05-01T10:00:30Z'));

  before(async () => {
    registry = await startTestRegistry({ clock });
  });
  after(() => registry.close());

  it('when requests were served, then /health counts them per route and per artifact type', async () => {
    await registry.request('POST', '/artifacts', { json: [{ name: '*' }] });
    await registry.request('GET', '/artifacts/model/01JD0000000000000000000001');
    await registry.request('GET', '/artifacts/dataset/01JD0000000000000000000001');
    const health = await registry.request<Summary>('GET', '/health', { token: null });
    expect(health.status).to.equal(200);
    expect(health.body.status).to.equal('ok');
    expect(health.body.request_summary.per_route['POST /artifacts']).to.equal(1);
    expect(health.body.request_summary.per_route['GET /artifacts/{artifact_type}/{id}']).to.equal(2);
    expect(health.body.request_summary.per_artifact_type).to.deep.equal({ model: 1, dataset: 1 });
    expect(health.body.components.map((c) => [c.id, c.status])).to.deep.equal([['api', 'ok'], ['storage', 'ok']]);
  });

  it('when the clock moves past the window, then old requests drop out and uptime grows', async () => {
    clock.advance(61 * 60_000);
    const health = await registry.request<Summary>('GET', '/health', { token: null });
    expect(health.body.request_summary.total_requests).to.equal(0);
    expect(health.body.uptime_seconds).to.be.at.least(61 * 60);
  });

  it('when components are asked for with a timeline, then each minute of the window has a bucket', async () => {
    const response = await registry.request<Components>('GET', '/health/components?windowMinutes=15&includeTimeline=true', { token: null });
    expect(response.status).to.equal(200);
    expect(response.body.window_minutes).to.equal(15);
    const api = response.body.components.find((c) => c.id === 'api');
    expect(api?.timeline).to.have.length(15);
    expect(response.body.components.find((c) => c.id === 'storage')?.metrics.artifacts).to.equal(0);
  });

  it('when the window is out of range, then 400', async () => {
    expect((await registry.request('GET', '/health/components?windowMinutes=4', { token: null })).status).to.equal(400);
    expect((await registry.request('GET', '/health/components?windowMinutes=1441', { token: null })).status).to.equal(400);
  });
});

describe('API: unknown routes', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startTestRegistry();
  });
  after(() => registry.close());

  it('when a path is not in the API at all, then 404', async () => {
    const response = await registry.request<{ code: string }>('GET', '/nothing/here');
    expect(response.status).to.equal(404);
    expect(response.body.code).to.equal('ROUTE.NOT_FOUND');
  });
});

describe('API: recent logs', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startTestRegistry();
  });
  after(() => registry.close());

  it('when an admin reads recent logs, then request lines appear with their request ids and no token', async () => {
    const token = await registry.token();
    const probe = await registry.request('GET', '/artifact/byName/nothing-by-this-name', { token });
    const response = await registry.request<{ entries: { level: string; message: string; requestId?: string; url?: string; status?: number }[] }>('GET', '/logs/recent?limit=50');
    expect(response.status).to.equal(200);
    const line = response.body.entries.find((entry) => entry.requestId === probe.headers.get('x-request-id'));
    expect(line?.url).to.equal('/artifact/byName/nothing-by-this-name');
    expect(line?.status).to.equal(404);
    expect(JSON.stringify(response.body)).not.to.contain(token.replace('bearer ', ''));
    expect(response.body.entries.length).to.be.at.most(50);
  });

  it('when a user who is not an admin reads logs, then 401; without a token, 403', async () => {
    const token = await addUser(registry, 'viewer', 'viewer-password', ['search']);
    expect((await registry.request('GET', '/logs/recent', { token })).status).to.equal(401);
    expect((await registry.request('GET', '/logs/recent', { token: null })).status).to.equal(403);
    expect((await registry.request('GET', '/logs/recent?limit=0')).status).to.equal(400);
  });

  it('when component health is read, then it points to the log route', async () => {
    const response = await registry.request<{ components: { id: string; logs?: { url: string }[] }[] }>('GET', '/health/components', { token: null });
    expect(response.body.components.find((c) => c.id === 'api')?.logs?.[0]?.url).to.equal(`${registry.url}/logs/recent`);
  });
});
