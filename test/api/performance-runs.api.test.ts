import { expect } from 'chai';
import { addUser, startTestRegistry, type TestRegistry } from '../support/test-registry';
import { tinyPackage } from '../support/hf-packages';
import { startLocalS3, type LocalS3 } from '../support/s3rver';

interface Summary {
  mean: number;
  median: number;
  p99: number;
  max: number;
  min: number;
}

interface Run {
  id: string;
  status: 'running' | 'completed' | 'failed';
  settings: { clients: number; requests?: number; duration_seconds?: number };
  environment: { storage: string; cpu_count: number; node_version: string };
  target?: { id: string; name: string; size_bytes: number };
  progress: { phase: string; completed: number };
  failure?: string;
  result?: {
    requests: number;
    succeeded: number;
    errors: number;
    errors_by_status: Record<string, number>;
    bytes: number;
    duration_seconds: number;
    throughput: { requests_per_second: number; megabytes_per_second: number };
    latency_ms: Summary;
    ttfb_ms: Summary;
    breakdown_ms: Record<'auth' | 'metadata' | 'storage' | 'audit' | 'server_other' | 'queue' | 'transfer', number>;
    timeline: { second: number; requests: number; errors: number; megabytes: number }[];
  };
}

const PACKAGE_BYTES = 200_000;

async function finished(registry: TestRegistry, id: string): Promise<Run> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const answer = await registry.request<Run>('GET', `/admin/performance-runs/${id}`);
    expect(answer.status).to.equal(200);
    if (answer.body.status !== 'running') return answer.body;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`run ${id} did not finish`);
}

function expectOrdered(summary: Summary, what: string): void {
  expect(summary.min, `${what}: min ≤ median`).to.be.at.most(summary.median);
  expect(summary.median, `${what}: median ≤ p99`).to.be.at.most(summary.p99);
  expect(summary.p99, `${what}: p99 ≤ max`).to.be.at.most(summary.max);
  expect(summary.mean, `${what}: mean within min..max`).to.be.within(summary.min, summary.max);
  expect(summary.min, `${what}: positive`).to.be.greaterThan(0);
}

describe('API: performance runs from the dashboard', function () {
  this.timeout(90_000);
  let registry: TestRegistry;

  before(async () => {
    registry = await startTestRegistry();
  });
  after(async () => registry?.close());

  it('when a run is asked for without a token, by a non-admin or out of bounds, then it is refused and nothing starts', async () => {
    const body = { clients: 2, requests: 4, populate: true };
    expect((await registry.request('POST', '/admin/performance-runs', { json: body, token: null })).status).to.equal(403);
    const reader = await addUser(registry, 'perf-reader', 'reader-password-1', ['search', 'download']);
    expect((await registry.request('POST', '/admin/performance-runs', { json: body, token: reader })).status).to.equal(401);
    expect((await registry.request('GET', '/admin/performance-runs', { token: reader })).status).to.equal(401);
    for (const bad of [{ clients: 257, populate: true }, { duration_seconds: 301, populate: true }, { clients: 0, populate: true }, { clients: 2 }, { duration_seconds: 5, requests: 5, populate: true }]) {
      const answer = await registry.request<{ code: string; message: string }>('POST', '/admin/performance-runs', { json: bad });
      expect(answer.status, JSON.stringify(bad)).to.equal(400);
      expect(answer.body.message.length).to.be.greaterThan(10);
    }
    expect((await registry.request('POST', '/admin/performance-runs', { json: { artifact_id: 'no-such-artifact', requests: 1 } })).status).to.equal(404);
    const list = await registry.request<{ runs: Run[] }>('GET', '/admin/performance-runs');
    expect(list.body.runs).to.deep.equal([]);
  });

  it('when a small run populates the registry and downloads its package, then the result adds up and a second run meanwhile gets 409', async () => {
    const started = await registry.request<Run>('POST', '/admin/performance-runs', {
      json: { clients: 3, requests: 24, populate: { models: 6, package_bytes: PACKAGE_BYTES } },
    });
    expect(started.status, started.raw.toString()).to.equal(202);
    expect(started.headers.get('location')).to.equal(`/admin/performance-runs/${started.body.id}`);
    expect(started.body.status).to.equal('running');
    const second = await registry.request<{ code: string; details: { active: string } }>('POST', '/admin/performance-runs', { json: { clients: 1, requests: 1, populate: true } });
    expect(second.status).to.equal(409);
    expect(second.body.details.active).to.equal(started.body.id);

    const run = await finished(registry, started.body.id);
    expect(run.status, run.failure).to.equal('completed');
    expect(run.environment.storage).to.equal('memory');
    expect(run.environment.cpu_count).to.be.greaterThan(0);
    const result = run.result!;
    const target = run.target!;
    expect(target.name).to.equal(`perf-package-${PACKAGE_BYTES}`);
    expect(target.size_bytes).to.be.greaterThan(PACKAGE_BYTES);
    expect(result.requests).to.equal(24);
    expect(result.succeeded + result.errors).to.equal(result.requests);
    expect(result.errors, JSON.stringify(result.errors_by_status)).to.equal(0);
    expect(result.bytes).to.equal(24 * target.size_bytes);
    expectOrdered(result.latency_ms, 'latency');
    expectOrdered(result.ttfb_ms, 'time to first byte');
    expect(result.ttfb_ms.max).to.be.at.most(result.latency_ms.max);
    expect(result.throughput.requests_per_second).to.be.closeTo(result.succeeded / result.duration_seconds, 0.01 * result.throughput.requests_per_second + 0.01);
    expect(result.throughput.megabytes_per_second).to.be.closeTo(result.bytes / 1e6 / result.duration_seconds, 0.01 * result.throughput.megabytes_per_second + 0.01);
    expect(result.timeline.reduce((sum, point) => sum + point.requests, 0)).to.equal(result.requests);
    const stages = result.breakdown_ms;
    for (const stage of ['auth', 'metadata', 'storage', 'audit'] as const) expect(stages[stage], `${stage} was timed by the server`).to.be.greaterThan(0);
    const total = Object.values(stages).reduce((sum, value) => sum + value, 0);
    expect(total, 'the stages add up to the mean latency').to.be.closeTo(result.latency_ms.mean, 0.05 + result.latency_ms.mean * 0.01);

    const models = await registry.request<unknown[]>('POST', '/artifacts', { json: [{ name: '*', types: ['model'] }] });
    expect(models.body, 'the registry holds the models asked for, the package included').to.have.length(6);
  });

  it('when a second run downloads a named artifact for a duration, then both runs are listed newest first for comparison', async () => {
    const uploaded = await registry.request<{ metadata: { id: string } }>('POST', '/artifact/model?name=perf-named', { body: await tinyPackage('perf-named'), contentType: 'application/zip' });
    const started = await registry.request<Run>('POST', '/admin/performance-runs', { json: { clients: 2, duration_seconds: 1, artifact_id: uploaded.body.metadata.id } });
    expect(started.status).to.equal(202);
    expect(started.body.target?.name).to.equal('perf-named');
    const run = await finished(registry, started.body.id);
    expect(run.status, run.failure).to.equal('completed');
    expect(run.settings).to.deep.equal({ clients: 2, duration_seconds: 1, artifact_id: uploaded.body.metadata.id });
    expect(run.result!.requests).to.be.greaterThan(0);
    expect(run.result!.succeeded + run.result!.errors).to.equal(run.result!.requests);

    const list = await registry.request<{ runs: Run[] }>('GET', '/admin/performance-runs');
    expect(list.body.runs.map((item) => item.id)).to.have.length(2);
    expect(list.body.runs[0]?.id).to.equal(run.id);
    expect((await registry.request('GET', '/admin/performance-runs/01NOSUCHRUN')).status).to.equal(404);
  });

  it('when a package is downloaded, then the response says where the server spent its time', async () => {
    const uploaded = await registry.request<{ metadata: { id: string } }>('POST', '/artifact/model?name=timed', { body: await tinyPackage('timed'), contentType: 'application/zip' });
    const answer = await registry.request('GET', `/artifacts/model/${uploaded.body.metadata.id}/download`);
    expect(answer.status).to.equal(200);
    const timing = answer.headers.get('server-timing') ?? '';
    for (const stage of ['auth', 'metadata', 'storage', 'audit', 'total']) expect(timing).to.match(new RegExp(`(^|, )${stage};dur=\\d+\\.\\d{2}(,|$)`));
  });
});

describe('API: performance runs on local storage', function () {
  this.timeout(60_000);

  it('when the registry restarts, then the finished runs are still there', async () => {
    const first = await startTestRegistry({ storage: 'local' });
    const dataDir = first.dataDir;
    try {
      const started = await first.request<Run>('POST', '/admin/performance-runs', { json: { clients: 2, requests: 4, populate: { models: 2, package_bytes: 4096 } } });
      expect(started.status).to.equal(202);
      const run = await finished(first, started.body.id);
      expect(run.status, run.failure).to.equal('completed');
      expect(run.environment.storage).to.equal('local');
      await first.running.close();
      const second = await startTestRegistry({ storage: 'local', dataDir });
      try {
        const list = await second.request<{ runs: Run[] }>('GET', '/admin/performance-runs');
        expect(list.body.runs.map((item) => item.id)).to.deep.equal([run.id]);
        expect(list.body.runs[0]?.result?.requests).to.equal(4);
      } finally {
        await second.close();
      }
    } finally {
      const { rm } = await import('node:fs/promises');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('API: performance runs on S3 storage (s3rver)', function () {
  this.timeout(60_000);
  let s3: LocalS3;
  let registry: TestRegistry;

  before(async () => {
    s3 = await startLocalS3();
    registry = await startTestRegistry({ storage: 's3', env: s3.env(await s3.newBucket()) });
  });
  after(async () => {
    await registry?.close();
    await s3?.close();
  });

  it('when a run downloads through presigned redirects, then the clients follow them and the run is stored in the bucket', async () => {
    const started = await registry.request<Run>('POST', '/admin/performance-runs', { json: { clients: 2, requests: 6, populate: { models: 2, package_bytes: 8192 } } });
    expect(started.status).to.equal(202);
    const run = await finished(registry, started.body.id);
    expect(run.status, run.failure).to.equal('completed');
    expect(run.environment).to.include({ storage: 's3', storage_endpoint: 'custom' });
    const result = run.result!;
    expect(result.errors, JSON.stringify(result.errors_by_status)).to.equal(0);
    expect(result.bytes).to.equal(6 * run.target!.size_bytes);
    expect(result.breakdown_ms.storage, 'signing the URL was timed').to.be.greaterThan(0);
    const list = await registry.request<{ runs: Run[] }>('GET', '/admin/performance-runs');
    expect(list.body.runs.map((item) => item.id)).to.deep.equal([run.id]);
  });
});
