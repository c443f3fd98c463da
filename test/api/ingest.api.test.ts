import { expect } from 'chai';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream/server';
import { countArtifacts, listBlobs } from '../support/registry-probes';
import { startTestRegistry, type TestRegistry } from '../support/test-registry';

interface Artifact {
  metadata: { name: string; id: string; type: string };
  data: { url: string; download_url: string };
}
interface ErrorBody {
  code: string;
  message: string;
}

describe('API: registering artifacts by URL', () => {
  let fake: FakeUpstream;
  let registry: TestRegistry;

  before(async () => {
    fake = await startFakeUpstream();
    registry = await startTestRegistry({
      storage: 'local',
      // These tests are about mirroring; the rating gate has its own tests.
      env: { HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl, TMR_UPSTREAM_TIMEOUT_MS: '1000', TMR_INGEST_MIN_SCORE: '0' },
    });
  });
  after(async () => {
    await registry.close();
    await fake.close();
  });
  afterEach(() => fake.reset());

  const register = (type: string, url: string) => registry.request<Artifact & ErrorBody>('POST', `/artifact/${type}`, { json: { url } });

  it('when a Hugging Face model URL is registered, then it is mirrored, named from the URL and downloadable', async () => {
    const url = 'https://huggingface.co/google-bert/bert-base-uncased';
    const response = await register('model', url);
    expect(response.status, response.raw.toString()).to.equal(201);
    expect(response.body.metadata).to.include({ name: 'bert-base-uncased', type: 'model' });
    expect(response.body.data.url).to.equal(url);
    const details = await registry.request<{ source: { kind: string; url: string }; package: { files: { path: string }[] }; version?: string }>(
      'GET', `/artifacts/model/${response.body.metadata.id}/details`,
    );
    const fixture = fake.fixtures.models.get('google-bert/bert-base-uncased');
    expect(details.body.package.files.map((f) => f.path).sort()).to.deep.equal(fixture?.files.map((f) => f.path).sort());
    expect(details.body.version).to.equal('1.0.0');
    const weights = await registry.request('GET', `/artifacts/model/${response.body.metadata.id}/download?part=weights`);
    expect(weights.status).to.equal(200);
    expect(weights.raw.length).to.be.greaterThan(0);
  });

  it('when the mirrored model is searched, then name, card text and tag version all find it', async () => {
    const byName = await registry.request<{ id: string }[]>('GET', '/artifact/byName/bert-base-uncased');
    expect(byName.status).to.equal(200);
    const byCard = await registry.request<{ name: string }[]>('POST', '/artifact/byRegEx', { json: { regex: 'masked language model' } });
    expect(byCard.body.map((m) => m.name)).to.include('bert-base-uncased');
    const byVersion = await registry.request<{ name: string }[]>('POST', '/artifacts', { json: [{ name: 'bert-base-uncased', version: '^1.0.0' }] });
    expect(byVersion.body).to.have.length.greaterThan(0);
  });

  it('when a URL names a /tree/ revision or a legacy owner-less repository, then it resolves (following the Hub\'s rename redirect)', async () => {
    const tree = await register('model', 'https://huggingface.co/openai/whisper-tiny/tree/main');
    expect(tree.status, tree.raw.toString()).to.equal(201);
    expect(tree.body.metadata.name).to.equal('whisper-tiny');
    const legacy = await register('model', 'https://huggingface.co/gpt2');
    expect(legacy.status, legacy.raw.toString()).to.equal(201);
    expect(legacy.body.metadata.name).to.equal('gpt2');
  });

  it('when a dataset and a GitHub repository are registered, then each becomes its type', async () => {
    const dataset = await register('dataset', 'https://huggingface.co/datasets/rajpurkar/squad');
    expect(dataset.status, dataset.raw.toString()).to.equal(201);
    expect(dataset.body.metadata).to.include({ name: 'squad', type: 'dataset' });
    const code = await register('code', 'https://github.com/openai/whisper');
    expect(code.status, code.raw.toString()).to.equal(201);
    expect(code.body.metadata).to.include({ name: 'whisper', type: 'code' });
    const details = await registry.request<{ package: { parts: Record<string, unknown> } }>('GET', `/artifacts/code/${code.body.metadata.id}/details`);
    expect(details.body.package.parts).to.have.property('code');
  });

  it('when the same source is registered twice, then the second answer is 409 with the first artifact\'s id', async () => {
    const first = await register('code', 'https://github.com/google-research/bert');
    const second = await registry.request<ErrorBody & { details: { id: string } }>('POST', '/artifact/code', { json: { url: 'https://github.com/google-research/bert.git' } });
    expect([first.status, second.status]).to.deep.equal([201, 409]);
    expect(second.body.details.id).to.equal(first.body.metadata.id);
  });

  it('when the source does not exist, then 404 names its URL and nothing is stored', async () => {
    const before = await countArtifacts(registry);
    const response = await register('model', 'https://huggingface.co/acme/does-not-exist');
    expect(response.status).to.equal(404);
    expect(response.body.code).to.equal('SOURCE.NOT_FOUND');
    expect(response.body.message).to.contain('https://huggingface.co/acme/does-not-exist');
    expect(await countArtifacts(registry)).to.equal(before);
  });

  it('when a file arrives corrupted, then 502 and neither a record nor any new content remains', async () => {
    const before = await countArtifacts(registry);
    const blobs = await listBlobs(registry.dataDir);
    fake.inject({ match: /model\.safetensors|\/cdn\//, fault: { corruptBody: true } });
    const response = await register('model', 'https://huggingface.co/distilbert/distilbert-base-uncased');
    expect(response.status).to.equal(502);
    expect(response.body.code).to.equal('SOURCE.INTEGRITY');
    expect(await countArtifacts(registry)).to.equal(before);
    expect(await listBlobs(registry.dataDir)).to.deep.equal(blobs);
  });

  it('when the Hub is down, rate-limiting, or silent, then 502, 503 and 504 say so', async () => {
    fake.inject({ match: /\/api\/models\/FacebookAI/, fault: { status: 500 } });
    expect((await register('model', 'https://huggingface.co/FacebookAI/roberta-base')).status).to.equal(502);
    fake.reset();
    fake.inject({ match: /\/api\/models\/FacebookAI/, fault: { status: 429, retryAfterSeconds: 3600 } });
    const limited = await register('model', 'https://huggingface.co/FacebookAI/roberta-base');
    expect(limited.status).to.equal(503);
    expect(limited.body.code).to.equal('UPSTREAM.RATE_LIMITED');
    fake.reset();
    fake.inject({ match: /\/api\/models\/FacebookAI/, fault: { hang: true } });
    const silent = await register('model', 'https://huggingface.co/FacebookAI/roberta-base');
    expect(silent.status).to.equal(504);
    expect(silent.body.code).to.equal('UPSTREAM.TIMEOUT');
  });

  it('when the source is larger than TMR_MAX_INGEST_BYTES, then 413 before any file is downloaded', async () => {
    const small = await startTestRegistry({ env: { HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl, TMR_MAX_INGEST_BYTES: '2048' } });
    try {
      fake.reset();
      const response = await small.request<ErrorBody>('POST', '/artifact/model', { json: { url: 'https://huggingface.co/google-bert/bert-base-uncased' } });
      expect(response.status).to.equal(413);
      expect(response.body.code).to.equal('SOURCE.TOO_LARGE');
      expect(fake.requests.filter((r) => r.path.includes('/resolve/'))).to.deep.equal([]);
    } finally {
      await small.close();
    }
  });

  const hostile = [
    'http://huggingface.co/google-bert/bert-base-uncased',
    'https://huggingface.co.evil.com/google-bert/bert-base-uncased',
    'https://evil.com/huggingface.co/google-bert/bert-base-uncased',
    'https://user:pass@huggingface.co/google-bert/bert-base-uncased',
    'https://huggingface.co@127.0.0.1/google-bert/bert-base-uncased',
    'https://huggingface.co:444/google-bert/bert-base-uncased',
    'https://127.0.0.1/google-bert/bert-base-uncased',
    'https://[::1]/google-bert/bert-base-uncased',
    'https://0x7f000001/google-bert/bert-base-uncased',
    'https://169.254.169.254/latest/meta-data',
    'file:///etc/passwd',
    'ftp://huggingface.co/google-bert/bert-base-uncased',
    'javascript:alert(1)',
    'https://huggingface.co/google-bert/../../etc/passwd',
    'https://huggingface.co/google-bert/%2e%2e/secret',
    'https://huggingface.co/google-bert/bert-base-uncased/blob/main/config.json',
    'https://github.com.evil.com/openai/whisper',
    'https://gist.github.com/openai/whisper',
    'http://127.0.0.1/hf/google-bert/bert-base-uncased',
  ];
  it(`when any of ${hostile.length + 1} hostile URLs (including the fake upstream's own address) is registered, then 400 and the fake upstream sees no request`, async () => {
    fake.reset();
    for (const url of [...hostile, `${fake.hfUrl}/google-bert/bert-base-uncased`]) {
      const response = await register('model', url);
      expect(response.status, url).to.equal(400);
      expect(response.body.code, url).to.equal('SOURCE.UNSUPPORTED');
    }
    expect(fake.requests).to.deep.equal([]);
  });

  it('when an artifact is replaced from a URL, then its content is re-ingested under the same id', async () => {
    const created = await register('model', 'https://huggingface.co/acme-test/tiny-lora');
    expect(created.status, created.raw.toString()).to.equal(201);
    const body = { metadata: created.body.metadata, data: { url: 'https://huggingface.co/acme-test/tiny-lora' } };
    const put = await registry.request('PUT', `/artifacts/model/${created.body.metadata.id}`, { json: body });
    expect(put.status).to.equal(200);
    const trail = await registry.request<{ action: string }[]>('GET', `/artifact/model/${created.body.metadata.id}/audit`);
    expect(trail.body.map((e) => e.action)).to.deep.equal(['CREATE', 'UPDATE', 'AUDIT']);
  });
});
