import { expect } from 'chai';
import { tinyPackage } from '../support/hf-packages';
import { addUser, startTestRegistry, type TestRegistry } from '../support/test-registry';

interface Artifact {
  metadata: { name: string; id: string; type: string };
  data: { url: string; download_url: string };
}
interface AuditRecord {
  user: { name: string; is_admin: boolean };
  action: string;
  artifact: { id: string; name: string; type: string };
}

describe('API: only the creator or an admin may change an artifact', () => {
  let registry: TestRegistry;
  let alice: string;
  let mallory: string;
  let original: Buffer;
  let artifact: Artifact;

  before(async () => {
    registry = await startTestRegistry({ storage: 'local' });
    alice = await addUser(registry, 'alice', 'alice-password', ['upload', 'search', 'download']);
    mallory = await addUser(registry, 'mallory', 'mallory-password', ['upload', 'search', 'download']);
    original = await tinyPackage('alices-model');
    const created = await registry.request<Artifact>('POST', '/artifact/model?name=alices-model', { body: original, contentType: 'application/zip', token: alice });
    expect(created.status).to.equal(201);
    artifact = created.body;
  });
  after(() => registry.close());

  const download = async (): Promise<Buffer> => (await registry.request('GET', `/artifacts/model/${artifact.metadata.id}/download`)).raw;

  it('when another uploader replaces the content with a zip, then 401 and the content is unchanged', async () => {
    const response = await registry.request<{ code: string; message: string }>('PUT', `/artifacts/model/${artifact.metadata.id}?name=alices-model`, {
      body: await tinyPackage('mallorys-payload'), contentType: 'application/zip', token: mallory,
    });
    expect(response.status).to.equal(401);
    expect(response.body.code).to.equal('AUTH.FORBIDDEN');
    expect(response.body.message).to.contain('alice');
    expect((await download()).equals(original)).to.equal(true);
  });

  it('when another uploader replaces the content by multipart, then 401 and the content is unchanged', async () => {
    const form = new FormData();
    form.append('file', new Blob([await tinyPackage('mallorys-form')]), 'x.zip');
    const response = await registry.request('PUT', `/artifacts/model/${artifact.metadata.id}`, { body: form, token: mallory });
    expect(response.status).to.equal(401);
    expect((await download()).equals(original)).to.equal(true);
  });

  it('when another uploader replaces the content by URL, then 401 before any upstream is contacted', async () => {
    // The test's Hugging Face is unreachable: a 502 would mean the ownership check came too late.
    const response = await registry.request('PUT', `/artifacts/model/${artifact.metadata.id}`, {
      json: { metadata: artifact.metadata, data: { url: 'https://huggingface.co/distilbert/distilbert-base-uncased' } },
      token: mallory,
    });
    expect(response.status).to.equal(401);
  });

  it('when the creator replaces the content, then 200', async () => {
    const next = await tinyPackage('alices-model-v2');
    const response = await registry.request('PUT', `/artifacts/model/${artifact.metadata.id}?name=alices-model`, { body: next, contentType: 'application/zip', token: alice });
    expect(response.status).to.equal(200);
    expect((await download()).equals(next)).to.equal(true);
    original = next;
  });

  it('when an admin replaces someone else\'s content, then 200', async () => {
    const next = await tinyPackage('admin-fix');
    const response = await registry.request('PUT', `/artifacts/model/${artifact.metadata.id}?name=alices-model`, { body: next, contentType: 'application/zip' });
    expect(response.status).to.equal(200);
    expect((await download()).equals(next)).to.equal(true);
  });
});

describe('API: a deleted artifact keeps its audit trail for administrators', () => {
  let registry: TestRegistry;
  let bob: string;
  let artifact: Artifact;

  before(async () => {
    registry = await startTestRegistry({ storage: 'local' });
    bob = await addUser(registry, 'bob', 'bob-password', ['upload', 'search', 'download']);
    const created = await registry.request<Artifact>('POST', '/artifact/dataset?name=short-lived', { body: await tinyPackage('short-lived'), contentType: 'application/zip', token: bob });
    expect(created.status).to.equal(201);
    artifact = created.body;
    expect((await registry.request('DELETE', `/artifacts/dataset/${artifact.metadata.id}`, { token: bob })).status).to.equal(200);
  });
  after(() => registry.close());

  it('when an admin reads the trail of a deleted artifact, then it ends with who deleted it', async () => {
    const response = await registry.request<AuditRecord[]>('GET', `/audit?artifact_id=${artifact.metadata.id}`);
    expect(response.status).to.equal(200);
    expect(response.body.map((entry) => [entry.action, entry.user.name])).to.deep.equal([['CREATE', 'bob'], ['DELETE', 'bob']]);
    expect(response.body[1]?.artifact).to.deep.equal(artifact.metadata);
  });

  it('when the artifact\'s own audit route is asked after deletion, then 404 (the artifact is gone)', async () => {
    expect((await registry.request('GET', `/artifact/dataset/${artifact.metadata.id}/audit`)).status).to.equal(404);
  });

  it('when a user who is not an admin reads the registry audit, then 401; without a token, 403', async () => {
    expect((await registry.request('GET', `/audit?artifact_id=${artifact.metadata.id}`, { token: bob })).status).to.equal(401);
    expect((await registry.request('GET', `/audit?artifact_id=${artifact.metadata.id}`, { token: null })).status).to.equal(403);
  });

  it('when an id was never used, then 404; when it is malformed, then 400', async () => {
    expect((await registry.request('GET', '/audit?artifact_id=01JD0000000000000000000000')).status).to.equal(404);
    expect((await registry.request('GET', '/audit?artifact_id=abc$def')).status).to.equal(400);
    expect((await registry.request('GET', '/audit')).status).to.equal(400);
  });
});
