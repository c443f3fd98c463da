import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { startTestRegistry, type TestRegistry } from '../support/test-registry';

interface Health {
  request_summary: { total_requests: number; per_route: Record<string, number>; per_artifact_type: Record<string, number>; unique_clients: number };
}

const MARKER = 'zz-hostile-';
const hostileSegment = (length: number): string => `${MARKER}${randomBytes(length / 2).toString('hex')}`;

describe('API: activity statistics stay bounded whatever clients send', () => {
  let registry: TestRegistry;

  before(async () => {
    registry = await startTestRegistry();
  });
  after(() => registry.close());

  it('when many requests without a token carry long unique paths, then /health counts them under a few fixed keys and publishes no path', async () => {
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < 150; i += 1) {
      sends.push(registry.request('GET', `/${hostileSegment(2048)}`, { token: null }));
      sends.push(registry.request('GET', `/artifacts/model/${hostileSegment(64)}`, { token: null }));
      sends.push(registry.request('DELETE', `/artifacts/${hostileSegment(64)}/${hostileSegment(64)}`, { token: `bearer ${hostileSegment(32)}` }));
    }
    await Promise.all(sends);
    const health = await registry.request<Health>('GET', '/health', { token: null });
    expect(health.status).to.equal(200);
    expect(health.raw.toString()).not.to.contain(MARKER);
    expect(health.raw.length).to.be.below(4096);
    const routes = health.body.request_summary.per_route;
    expect(Object.keys(routes)).to.have.length.below(10);
    // A request for a real route that was refused for want of a token still counts under that route.
    expect(routes['GET /artifacts/{artifact_type}/{id}']).to.equal(150);
    expect(routes['GET (unmatched)']).to.equal(150);
    // Made-up tokens do not make made-up clients: all of these came from one address.
    expect(health.body.request_summary.unique_clients).to.be.at.most(2);
  });

  it('when an authenticated request names an unknown artifact type, then the type is not counted', async () => {
    const response = await registry.request('GET', `/artifacts/${hostileSegment(64)}/01JD0000000000000000000001`);
    expect(response.status).to.equal(400);
    const health = await registry.request<Health>('GET', '/health', { token: null });
    expect(health.raw.toString()).not.to.contain(MARKER);
    expect(Object.keys(health.body.request_summary.per_artifact_type).every((type) => ['model', 'dataset', 'code'].includes(type))).to.equal(true);
  });
});
