import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { Tokens } from '../../src/adapters/di/tokens';
import type { ArtifactRepository } from '../../src/ports/artifact-repository.port';
import { KAGGLE_CREDENTIALS, startFakeUpstream, type FakeUpstream } from '../support/fake-upstream/server';
import { installReadOnlySwitch } from '../support/faults/port-faults';
import { localBlobLister, s3BlobLister, storeConsistency } from '../support/faults/store-consistency';
import { tinyPackage } from '../support/hf-packages';
import { countArtifacts, listBlobs } from '../support/registry-probes';
import { startLocalS3, type LocalS3 } from '../support/s3rver';
import { ADMIN, ADMIN_PASSWORD, CLOSED_UPSTREAM, send, startTestRegistry, type TestRegistry } from '../support/test-registry';

/*
 * One component lost at a time, and what a user sees: the rows of docs/reliability.md that no other
 * test file backs. Each test names the answer, checks nothing half-done was kept, and that the
 * registry recovers by itself once the component is back.
 */

interface ErrorBody {
  code: string;
  message: string;
}
interface Artifact {
  metadata: { id: string; name: string };
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('API: the local disk turns read-only', () => {
  let registry: TestRegistry;
  let readOnly = false;
  before(async () => {
    // Tests run as root here, for whom a read-only mode bit changes nothing: the stores refuse writes with EROFS instead.
    registry = await startTestRegistry({ storage: 'local', configure: (container) => installReadOnlySwitch(container, () => readOnly) });
  });
  after(() => registry.close());

  it('when every write fails with EROFS, then requests answer 503 STORAGE.UNAVAILABLE naming it, nothing is changed, and all works again once the disk is writable', async () => {
    const zip = await tinyPackage('before-read-only');
    const created = await registry.request<Artifact>('POST', '/artifact/model?name=before-read-only', { body: zip, contentType: 'application/zip' });
    expect(created.status).to.equal(201);
    const blobs = await listBlobs(registry.dataDir);
    readOnly = true;

    const upload = await registry.request<ErrorBody>('POST', '/artifact/model?name=during-read-only', { body: await tinyPackage('during'), contentType: 'application/zip' });
    expect(upload.status, 'token uses are written to disk too, so even the authentication step is refused').to.equal(503);
    expect(upload.body.code).to.equal('STORAGE.UNAVAILABLE');
    expect(upload.body.message).to.contain('EROFS');
    const signIn = await send<ErrorBody>(registry.url, 'PUT', '/authenticate', { json: { user: { name: ADMIN, is_admin: true }, secret: { password: ADMIN_PASSWORD } }, token: null });
    expect(signIn.status).to.equal(503);
    expect((await registry.request('GET', '/health', { token: null })).status, 'health still answers').to.equal(200);
    expect(await listBlobs(registry.dataDir)).to.deep.equal(blobs);

    readOnly = false;
    const download = await registry.request('GET', `/artifacts/model/${created.body.metadata.id}/download`);
    expect(download.status).to.equal(200);
    expect(sha256(download.raw), 'what was stored before is intact').to.equal(sha256(zip));
    expect((await registry.request('POST', '/artifact/model?name=after-read-only', { body: await tinyPackage('after'), contentType: 'application/zip' })).status).to.equal(201);
    const repository = registry.container.resolve<ArtifactRepository>(Tokens.ArtifactRepository);
    const consistency = await storeConsistency(repository, localBlobLister(registry.dataDir));
    expect({ orphans: consistency.orphans, missing: consistency.missing, records: consistency.records }).to.deep.equal({ orphans: [], missing: [], records: 2 });
  });
});

describe('API: S3 throttles every request', () => {
  let s3: LocalS3;
  let bucket: string;
  let registry: TestRegistry;
  before(async () => {
    s3 = await startLocalS3();
    bucket = await s3.newBucket();
    registry = await startTestRegistry({ storage: 's3', env: s3.env(bucket) });
  });
  after(async () => {
    await registry.close();
    await s3.close();
  });

  it('when S3 answers 503 "reduce your request rate" to everything, then 503 STORAGE.UNAVAILABLE, nothing half-stored, and the next request after it relents succeeds', async function () {
    this.timeout(60_000);
    const token = await registry.token();
    const zip = await tinyPackage('throttled');
    const throttle = s3.fail(() => true, 'error', 1_000_000);
    const refused = await registry.request<ErrorBody>('POST', '/artifact/model?name=throttled', { body: zip, contentType: 'application/zip', token });
    expect(refused.status).to.equal(503);
    expect(refused.body.code).to.equal('STORAGE.UNAVAILABLE');
    throttle.clear();

    expect((await registry.request('GET', '/artifact/byName/throttled')).status).to.equal(404);
    const repository = registry.container.resolve<ArtifactRepository>(Tokens.ArtifactRepository);
    expect(await storeConsistency(repository, s3BlobLister(s3.client(), bucket))).to.deep.equal({ records: 0, orphans: [], missing: [] });
    expect((await registry.request('POST', '/artifact/model?name=throttled', { body: zip, contentType: 'application/zip' })).status).to.equal(201);
  });
});

describe('API: Hugging Face, GitHub and Kaggle unreachable or failing', () => {
  let fake: FakeUpstream;
  before(async () => {
    fake = await startFakeUpstream();
  });
  after(() => fake.close());
  afterEach(() => fake.reset());

  const withRegistry = async (env: Record<string, string>, work: (registry: TestRegistry) => Promise<void>): Promise<void> => {
    const registry = await startTestRegistry({ storage: 'local', env: { TMR_UPSTREAM_TIMEOUT_MS: '1000', ...env } });
    try {
      await work(registry);
    } finally {
      await registry.close();
    }
  };
  const kaggle = { KAGGLE_USERNAME: KAGGLE_CREDENTIALS.username, KAGGLE_KEY: KAGGLE_CREDENTIALS.key };

  /** A registration from `url` fails with `status` and `code`, stores nothing, and other work goes on. */
  const expectRefused = async (registry: TestRegistry, type: string, url: string, status: number, code: string): Promise<void> => {
    const response = await registry.request<ErrorBody>('POST', `/artifact/${type}`, { json: { url } });
    expect(response.status, response.raw.toString()).to.equal(status);
    expect(response.body.code).to.equal(code);
    expect(await countArtifacts(registry)).to.equal(0);
    expect(await listBlobs(registry.dataDir)).to.deep.equal([]);
    const upload = await registry.request('POST', '/artifact/model?name=local-still-works', { body: await tinyPackage('local-still-works'), contentType: 'application/zip' });
    expect(upload.status, 'uploads do not need the source').to.equal(201);
    expect((await registry.request('DELETE', `/artifacts/model/${(upload.body as Artifact).metadata.id}`)).status).to.equal(200);
  };

  it('when Hugging Face refuses connections, then registering from it answers 502 UPSTREAM.UNAVAILABLE and stores nothing', async () => {
    await withRegistry({ HF_ENDPOINT: CLOSED_UPSTREAM, GITHUB_API_URL: fake.githubUrl }, (registry) => expectRefused(registry, 'model', 'https://huggingface.co/google-bert/bert-base-uncased', 502, 'UPSTREAM.UNAVAILABLE'));
  });

  it('when GitHub refuses connections or answers 500, then registering code from it answers 502 and stores nothing', async () => {
    await withRegistry({ HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: CLOSED_UPSTREAM }, (registry) => expectRefused(registry, 'code', 'https://github.com/openai/whisper', 502, 'UPSTREAM.UNAVAILABLE'));
    fake.inject({ match: /^\/github\//, fault: { status: 500 } });
    await withRegistry({ HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl }, (registry) => expectRefused(registry, 'code', 'https://github.com/openai/whisper', 502, 'UPSTREAM.UNAVAILABLE'));
  });

  it('when Kaggle refuses connections, answers 503 or never answers, then registering a dataset from it answers 502 or 504 and stores nothing', async function () {
    this.timeout(30_000);
    const url = 'https://www.kaggle.com/datasets/hliang001/flickr2k';
    await withRegistry({ HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl, KAGGLE_API_URL: CLOSED_UPSTREAM, ...kaggle }, (registry) => expectRefused(registry, 'dataset', url, 502, 'UPSTREAM.UNAVAILABLE'));
    fake.inject({ match: /^\/kaggle\//, fault: { status: 503 } });
    await withRegistry({ HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl, KAGGLE_API_URL: fake.kaggleUrl, ...kaggle }, (registry) => expectRefused(registry, 'dataset', url, 502, 'UPSTREAM.UNAVAILABLE'));
    fake.reset();
    fake.inject({ match: /^\/kaggle\/.*download/, fault: { hang: true } });
    await withRegistry({ HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl, KAGGLE_API_URL: fake.kaggleUrl, ...kaggle }, (registry) => expectRefused(registry, 'dataset', url, 504, 'UPSTREAM.TIMEOUT'));
  });
});

