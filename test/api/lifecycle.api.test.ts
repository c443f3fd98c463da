import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { promisify } from 'node:util';
import { referencePackage, tinyPackage } from '../support/hf-packages';
import { addUser, startTestRegistry, type TestRegistry } from '../support/test-registry';
import { listBlobs } from '../support/registry-probes';

interface Artifact {
  metadata: { name: string; id: string; type: string };
  data: { url: string; download_url: string };
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

async function zipNames(zip: Buffer): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'tmr-dl-'));
  const path = join(dir, 'x.zip');
  await writeFile(path, zip);
  const file = await promisify<string, yauzl.Options, yauzl.ZipFile>(yauzl.open)(path, { lazyEntries: true });
  const names: string[] = [];
  await new Promise<void>((done, fail) => {
    file.on('entry', (entry: yauzl.Entry) => {
      names.push(entry.fileName);
      file.readEntry();
    });
    file.on('end', done);
    file.on('error', fail);
    file.readEntry();
  });
  await rm(dir, { recursive: true, force: true });
  return names.sort();
}

describe('API: reading, downloading, replacing and deleting an artifact', () => {
  let registry: TestRegistry;
  let zip: Buffer;
  let artifact: Artifact;

  before(async () => {
    registry = await startTestRegistry({ storage: 'local' });
    zip = await referencePackage('distilbert/distilbert-base-uncased');
    const created = await registry.request<Artifact>('POST', '/artifact/model?name=distilbert-base-uncased&version=1.0.0', { body: zip, contentType: 'application/zip' });
    expect(created.status).to.equal(201);
    artifact = created.body;
  });
  after(() => registry.close());

  it('when the artifact is read, then the response is the stored metadata and urls', async () => {
    const response = await registry.request<Artifact>('GET', `/artifacts/model/${artifact.metadata.id}`);
    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal(artifact);
  });

  it('when it is read under another type, then 404', async () => {
    expect((await registry.request('GET', `/artifacts/dataset/${artifact.metadata.id}`)).status).to.equal(404);
  });

  it('when the full package is downloaded, then the bytes are the uploaded zip and the digests say so', async () => {
    const response = await registry.request('GET', new URL(artifact.data.download_url).pathname);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('application/zip');
    expect(response.raw.equals(zip)).to.equal(true);
    expect(response.headers.get('x-content-sha256')).to.equal(sha256(zip));
    expect(response.headers.get('etag')).to.equal(`"${sha256(zip)}"`);
    expect(response.headers.get('repr-digest')).to.equal(`sha-256=:${createHash('sha256').update(zip).digest('base64')}:`);
    expect(Number(response.headers.get('content-length'))).to.equal(zip.length);
  });

  it('when only the weights are downloaded, then the zip holds just the weight files', async () => {
    const response = await registry.request('GET', `/artifacts/model/${artifact.metadata.id}/download?part=weights`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('x-content-sha256')).to.equal(sha256(response.raw));
    const names = await zipNames(response.raw);
    expect(names.length).to.be.greaterThan(0);
    for (const name of names) expect(name).to.match(/\.(safetensors|bin|h5|msgpack|onnx|ot|tflite)$|index\.json$/);
  });

  it('when each part is downloaded, then together they hold every file once', async () => {
    const details = await registry.request<{ package: { parts: Record<string, { file_count: number }>; files: { path: string }[] } }>('GET', `/artifacts/model/${artifact.metadata.id}/details`);
    const all: string[] = [];
    for (const part of Object.keys(details.body.package.parts)) {
      const response = await registry.request('GET', `/artifacts/model/${artifact.metadata.id}/download?part=${part}`);
      const names = await zipNames(response.raw);
      expect(names).to.have.length(details.body.package.parts[part]?.file_count ?? -1);
      all.push(...names);
    }
    expect(all.sort()).to.deep.equal(details.body.package.files.map((f) => f.path).sort());
  });

  it('when a part the package lacks is requested, then 404 lists what exists', async () => {
    const response = await registry.request<{ details: { available: string[] } }>('GET', `/artifacts/model/${artifact.metadata.id}/download?part=datasets`);
    expect(response.status).to.equal(404);
    expect(response.body.details.available).to.include('weights');
  });

  it('when a user without the download permission downloads, then 401', async () => {
    const token = await addUser(registry, 'searcher', 'searcher-password', ['search']);
    expect((await registry.request('GET', `/artifacts/model/${artifact.metadata.id}/download`, { token })).status).to.equal(401);
  });

  it('when the content is replaced with a new zip, then downloads serve the new bytes and the old ones are released', async () => {
    const created = await registry.request<Artifact>('POST', '/artifact/model?name=replace-me', { body: await tinyPackage('replace-me-v1'), contentType: 'application/zip' });
    const id = created.body.metadata.id;
    const oldSha = (await registry.request('GET', `/artifacts/model/${id}/download`)).headers.get('x-content-sha256') ?? '';
    const next = await tinyPackage('replace-me-v2');
    const put = await registry.request('PUT', `/artifacts/model/${id}?name=replace-me&version=2.0.0`, { body: next, contentType: 'application/zip' });
    expect(put.status).to.equal(200);
    const download = await registry.request('GET', `/artifacts/model/${id}/download`);
    expect(download.raw.equals(next)).to.equal(true);
    expect(await listBlobs(registry.dataDir)).not.to.include(oldSha);
  });

  it('when the replacement names another artifact, then 400 and the content is unchanged', async () => {
    const response = await registry.request<{ message: string }>('PUT', `/artifacts/model/${artifact.metadata.id}?name=someone-else`, { body: await tinyPackage('x'), contentType: 'application/zip' });
    expect(response.status).to.equal(400);
    expect(response.body.message).to.contain('does not match');
  });

  it('when the replacement is a JSON artifact whose metadata disagrees with the path, then 400', async () => {
    const body = { metadata: { ...artifact.metadata, id: '01JD0000000000000000000009' }, data: { url: 'https://huggingface.co/distilbert/distilbert-base-uncased' } };
    expect((await registry.request('PUT', `/artifacts/model/${artifact.metadata.id}`, { json: body })).status).to.equal(400);
  });

  it('when an artifact read with GET is sent back with PUT, then it is accepted (download_url is ignored)', async () => {
    const read = await registry.request<Artifact>('GET', `/artifacts/model/${artifact.metadata.id}`);
    const body = { ...read.body, data: { ...read.body.data, url: 'https://huggingface.co/distilbert/distilbert-base-uncased' } };
    const response = await registry.request<{ code: string }>('PUT', `/artifacts/model/${artifact.metadata.id}`, { json: body });
    // The body is valid; what stops it is that this test's Hugging Face is unreachable.
    expect(response.status).to.equal(502);
    expect(response.body.code).to.equal('UPSTREAM.UNAVAILABLE');
  });

  it('when an unknown id is replaced or deleted, then 404', async () => {
    const unknown = '01JD0000000000000000000000';
    expect((await registry.request('PUT', `/artifacts/model/${unknown}?name=x`, { body: await tinyPackage('x'), contentType: 'application/zip' })).status).to.equal(404);
    expect((await registry.request('DELETE', `/artifacts/model/${unknown}`)).status).to.equal(404);
  });

  it('when the audit trail is read, then it lists create, update, download and the audit itself with users', async () => {
    const created = await registry.request<Artifact>('POST', '/artifact/model?name=audited', { body: await tinyPackage('audited'), contentType: 'application/zip' });
    const id = created.body.metadata.id;
    await registry.request('GET', `/artifacts/model/${id}/download?part=weights`);
    await registry.request('PUT', `/artifacts/model/${id}?name=audited`, { body: await tinyPackage('audited-2'), contentType: 'application/zip' });
    const trail = await registry.request<{ action: string; user: { name: string; is_admin: boolean }; artifact: { id: string }; detail?: string; date: string }[]>('GET', `/artifact/model/${id}/audit`);
    expect(trail.status).to.equal(200);
    expect(trail.body.map((e) => e.action)).to.deep.equal(['CREATE', 'DOWNLOAD', 'UPDATE', 'AUDIT']);
    expect(trail.body[1]?.detail).to.equal('weights');
    for (const entry of trail.body) {
      expect(entry.user).to.deep.equal({ name: 'ece30861defaultadminuser', is_admin: true });
      expect(entry.artifact.id).to.equal(id);
      expect(Date.parse(entry.date)).to.not.be.NaN;
    }
  });

  it('when reads are marked X-Passive-View (a page showing them), then the answers are the same and no RATE or AUDIT entry is added', async () => {
    const created = await registry.request<Artifact>('POST', '/artifact/model?name=viewed', { body: await tinyPackage('viewed'), contentType: 'application/zip' });
    const id = created.body.metadata.id;
    const passive = { headers: { 'X-Passive-View': 'true' } };
    const actions = async (options = passive): Promise<string[]> =>
      (await registry.request<{ action: string }[]>('GET', `/artifact/model/${id}/audit`, options)).body.map((entry) => entry.action);

    const rated = await registry.request<{ net_score: number }>('GET', `/artifact/model/${id}/rate`, passive);
    const explained = await registry.request<{ rating: { net_score: number } }>('GET', `/artifact/model/${id}/rate/explain`, passive);
    expect(rated.status).to.equal(200);
    expect(explained.body.rating.net_score).to.equal(rated.body.net_score);
    expect(await actions()).to.deep.equal(['CREATE']);

    await registry.request('GET', `/artifact/model/${id}/rate/explain`);
    expect(await actions({ headers: { 'X-Passive-View': 'false' } })).to.deep.equal(['CREATE', 'RATE', 'AUDIT']);
  });

  it('when an artifact is deleted, then it is gone, its unshared content is released, and shared content stays', async () => {
    const shared = await tinyPackage('shared-bytes');
    const a = await registry.request<Artifact>('POST', '/artifact/model?name=copy-a', { body: shared, contentType: 'application/zip' });
    const b = await registry.request<Artifact>('POST', '/artifact/model?name=copy-b', { body: shared, contentType: 'application/zip' });
    expect((await registry.request('DELETE', `/artifacts/model/${a.body.metadata.id}`)).status).to.equal(200);
    expect((await registry.request('GET', `/artifacts/model/${a.body.metadata.id}`)).status).to.equal(404);
    const stillThere = await registry.request('GET', `/artifacts/model/${b.body.metadata.id}/download`);
    expect(stillThere.raw.equals(shared)).to.equal(true);
    expect((await registry.request('DELETE', `/artifacts/model/${b.body.metadata.id}`)).status).to.equal(200);
    expect(await listBlobs(registry.dataDir)).not.to.include(sha256(shared));
  });

  it('when a non-admin deletes someone else\'s artifact, then 401', async () => {
    const token = await addUser(registry, 'uploader', 'uploader-password', ['upload', 'search']);
    expect((await registry.request('DELETE', `/artifacts/model/${artifact.metadata.id}`, { token })).status).to.equal(401);
  });
});

describe('API: reset', () => {
  it('when an admin resets, then artifacts, content, audit and other users are gone but the admin token still works', async () => {
    const registry = await startTestRegistry({ storage: 'local' });
    try {
      const userToken = await addUser(registry, 'temp', 'temp-password', ['search']);
      const created = await registry.request<Artifact>('POST', '/artifact/model?name=doomed', { body: await tinyPackage('doomed'), contentType: 'application/zip' });
      expect(created.status).to.equal(201);
      expect((await registry.request('DELETE', '/reset', { token: userToken })).status).to.equal(401);
      expect((await registry.request('DELETE', '/reset')).status).to.equal(200);
      const all = await registry.request<unknown[]>('POST', '/artifacts', { json: [{ name: '*' }] });
      expect(all.body).to.deep.equal([]);
      expect(await listBlobs(registry.dataDir)).to.deep.equal([]);
      expect((await registry.request('POST', '/artifacts', { json: [{ name: '*' }], token: userToken })).status).to.equal(403);
    } finally {
      await registry.close();
    }
  });
});

describe('API: local storage survives a restart', () => {
  it('when the registry restarts on the same data directory, then artifacts, content and tokens are all still there', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tmr-restart-'));
    try {
      const first = await startTestRegistry({ storage: 'local', dataDir });
      const zip = await tinyPackage('durable');
      const created = await first.request<Artifact>('POST', '/artifact/code?name=durable&version=3.1.4', { body: zip, contentType: 'application/zip' });
      const token = await first.token();
      await first.close();
      const second = await startTestRegistry({ storage: 'local', dataDir });
      try {
        const read = await second.request<Artifact>('GET', `/artifacts/code/${created.body.metadata.id}`, { token });
        expect(read.status).to.equal(200);
        expect(read.body.metadata).to.deep.equal(created.body.metadata);
        const download = await second.request('GET', `/artifacts/code/${created.body.metadata.id}/download`, { token });
        expect(download.raw.equals(zip)).to.equal(true);
        const byVersion = await second.request<{ id: string }[]>('POST', '/artifacts', { json: [{ name: 'durable', version: '~3.1.0' }], token });
        expect(byVersion.body.map((m) => m.id)).to.deep.equal([created.body.metadata.id]);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('API: docs', () => {
  it('when /docs and /openapi.yaml are opened, then the interactive docs and the document are served', async () => {
    const registry = await startTestRegistry();
    try {
      const docs = await registry.request('GET', '/docs/', { token: null });
      expect(docs.status).to.equal(200);
      expect(docs.raw.toString()).to.contain('swagger-ui');
      const yaml = await registry.request('GET', '/openapi.yaml', { token: null });
      expect(yaml.raw.toString()).to.contain('/artifacts/{artifact_type}/{id}/download');
    } finally {
      await registry.close();
    }
  });
});
