import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadFile, fileDownloadInfo, listFiles, modelInfo, datasetInfo, downloadFileToCacheDir } from '@huggingface/hub';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream/server';
import { addUser, startTestRegistry, type TestRegistry } from '../support/test-registry';
import { buildZip, pseudoRandomBytes, safetensorsBytes, HF_CONFIG, HF_README } from '../support/zip-builder';

interface Created {
  metadata: { id: string; name: string };
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const secretOf = (token: string): string => token.replace(/^bearer\s+/i, '');

describe('API: the Hugging Face–compatible read API, driven by the real @huggingface/hub client', function () {
  this.timeout(60_000);
  let fake: FakeUpstream;
  let registry: TestRegistry;
  let work: string;
  let accessToken: string;
  let hubUrl: string;
  const files = new Map<string, Buffer>([
    ['README.md', Buffer.from(HF_README)],
    ['config.json', Buffer.from(JSON.stringify(HF_CONFIG, null, 2))],
    ['model.safetensors', safetensorsBytes(300_000)],
    ['onnx/model.onnx', pseudoRandomBytes(200_000, 5)],
    ['onnx/tokenizer/vocab.txt', Buffer.from('[PAD]\n[UNK]\nthe\nmodel\n'.repeat(500))],
  ]);

  before(async () => {
    fake = await startFakeUpstream();
    work = await mkdtemp(join(tmpdir(), 'tmr-hub-api-'));
    registry = await startTestRegistry({
      storage: 'local',
      env: { HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl, TMR_INGEST_MIN_SCORE: '0' },
    });
    hubUrl = registry.url;
    // The Hub's JavaScript client insists on the "hf_" prefix its own tokens carry.
    accessToken = `hf_${secretOf(await registry.token())}`;
    const zip = await buildZip(work, [...files].map(([path, content]) => ({ path, content, compress: path.endsWith('.txt') || path.endsWith('.md') || path.endsWith('.onnx') })));
    const upload = await registry.request<Created>('POST', '/artifact/model?name=audience-classifier&version=1.2.0', { body: await readFile(zip), contentType: 'application/zip' });
    expect(upload.status, upload.raw.toString()).to.equal(201);
    const mirrored = await registry.request<Created>('POST', '/artifact/model', { json: { url: 'https://huggingface.co/google-bert/bert-base-uncased' } });
    expect(mirrored.status, mirrored.raw.toString()).to.equal(201);
  });

  after(async () => {
    await registry.close();
    await fake.close();
    await rm(work, { recursive: true, force: true });
  });

  it('when modelInfo asks for an uploaded model under the registry namespace, then it answers with its id and files', async () => {
    const info = await modelInfo({ name: 'registry/audience-classifier', hubUrl, accessToken, additionalFields: ['filePaths', 'sha', 'cardData'] });
    expect(info.name).to.equal('registry/audience-classifier');
    expect(info.private).to.equal(false);
    expect([...info.filePaths].sort()).to.deep.equal([...files.keys()].sort());
    expect(info.sha).to.match(/^[0-9a-f]{40}$/);
    expect(info.cardData).to.deep.include({ license: 'apache-2.0' });
  });

  it('when listFiles walks the tree, then it sees every file and folder, recursively or level by level', async () => {
    const recursive: { path: string; type: string; size: number }[] = [];
    for await (const entry of listFiles({ repo: 'registry/audience-classifier', hubUrl, accessToken, recursive: true })) recursive.push(entry);
    expect(recursive.filter((entry) => entry.type === 'file').map((entry) => entry.path).sort()).to.deep.equal([...files.keys()].sort());
    expect(recursive.filter((entry) => entry.type === 'directory').map((entry) => entry.path).sort()).to.deep.equal(['onnx', 'onnx/tokenizer']);
    for (const entry of recursive.filter((item) => item.type === 'file')) expect(entry.size).to.equal(files.get(entry.path)?.length);
    const top: string[] = [];
    for await (const entry of listFiles({ repo: 'registry/audience-classifier', hubUrl, accessToken })) top.push(`${entry.type}:${entry.path}`);
    expect(top.sort()).to.deep.equal(['directory:onnx', 'file:README.md', 'file:config.json', 'file:model.safetensors']);
    const inside: string[] = [];
    for await (const entry of listFiles({ repo: 'registry/audience-classifier', hubUrl, accessToken, path: 'onnx' })) inside.push(entry.path);
    expect(inside.sort()).to.deep.equal(['onnx/model.onnx', 'onnx/tokenizer']);
  });

  it('when downloadFile fetches each file, then every byte is the uploaded one, stored or deflated', async () => {
    for (const [path, content] of files) {
      const blob = await downloadFile({ repo: 'registry/audience-classifier', path, hubUrl, accessToken });
      expect(blob, path).not.to.equal(null);
      expect(sha256(Buffer.from(await (blob as Blob).arrayBuffer())), path).to.equal(sha256(content));
    }
  });

  it('when fileDownloadInfo probes a weights file, then size and etag are its own and the commit is pinned', async () => {
    const info = await fileDownloadInfo({ repo: 'registry/audience-classifier', path: 'model.safetensors', hubUrl, accessToken });
    const weights = files.get('model.safetensors') as Buffer;
    expect(info?.size).to.equal(weights.length);
    expect(info?.etag).to.equal(`"${sha256(weights)}"`);
    const head = await fetch(`${hubUrl}/registry/audience-classifier/resolve/main/model.safetensors`, { method: 'HEAD', headers: { Authorization: `Bearer ${accessToken}` } });
    expect(head.status).to.equal(200);
    expect(head.headers.get('x-linked-size')).to.equal(String(weights.length));
    expect(head.headers.get('x-linked-etag')).to.equal(`"${sha256(weights)}"`);
    expect(head.headers.get('x-repo-commit')).to.match(/^[0-9a-f]{40}$/);
    expect(head.headers.get('content-length')).to.equal(String(weights.length));
  });

  it('when a range is asked for, then 206 carries exactly those bytes, also inside a deflated file; past the end is 416', async () => {
    const url = `${hubUrl}/registry/audience-classifier/resolve/main`;
    const auth = { Authorization: `Bearer ${accessToken}` };
    for (const [path, range, start, end] of [['model.safetensors', 'bytes=1000-1999', 1000, 2000], ['onnx/model.onnx', 'bytes=150000-', 150000, 200000], ['onnx/model.onnx', 'bytes=-10', 199990, 200000]] as const) {
      const response = await fetch(`${url}/${path}`, { headers: { ...auth, Range: range } });
      expect(response.status, `${path} ${range}`).to.equal(206);
      expect(response.headers.get('content-range')).to.equal(`bytes ${start}-${end - 1}/${files.get(path)?.length}`);
      expect(Buffer.from(await response.arrayBuffer()).equals((files.get(path) as Buffer).subarray(start, end)), `${path} ${range}`).to.equal(true);
    }
    const beyond = await fetch(`${url}/model.safetensors`, { headers: { ...auth, Range: 'bytes=99999999-' } });
    expect(beyond.status).to.equal(416);
    expect(beyond.headers.get('content-range')).to.equal(`bytes */${files.get('model.safetensors')?.length}`);
  });

  it('when the client revalidates with the etag, then it gets 304 and no body', async () => {
    const url = `${hubUrl}/registry/audience-classifier/resolve/main/config.json`;
    const first = await fetch(url, { headers: { Authorization: `Bearer ${accessToken}` } });
    const etag = first.headers.get('etag') ?? '';
    await first.arrayBuffer();
    const again = await fetch(url, { headers: { Authorization: `Bearer ${accessToken}`, 'If-None-Match': etag } });
    expect(again.status).to.equal(304);
  });

  it('when a mirrored model is asked for by its source id, pinned commit or version, then the mirror answers with the source bytes', async () => {
    const info = await modelInfo({ name: 'google-bert/bert-base-uncased', hubUrl, accessToken, additionalFields: ['sha'] });
    expect(info.name).to.equal('google-bert/bert-base-uncased');
    const commit = info.sha;
    const fixture = fake.fixtures.models.get('google-bert/bert-base-uncased');
    expect(fixture).not.to.equal(undefined);
    const config = await downloadFile({ repo: 'google-bert/bert-base-uncased', path: 'config.json', revision: commit, hubUrl, accessToken });
    const upstream = await fetch(`${fake.hfUrl}/google-bert/bert-base-uncased/resolve/main/config.json`);
    expect(Buffer.from(await (config as Blob).arrayBuffer()).equals(Buffer.from(await upstream.arrayBuffer()))).to.equal(true);
    const byVersion = await fetch(`${hubUrl}/api/models/google-bert/bert-base-uncased/revision/1.0.0`, { headers: { Authorization: `Bearer ${accessToken}` } });
    expect(byVersion.status).to.equal(200);
  });

  it('when downloadFileToCacheDir caches a file, then the cached copy is byte-identical', async () => {
    const cacheDir = join(work, 'hf-cache');
    // The client announces each download on console.debug; keep the test output to results.
    const debug = console.debug;
    console.debug = () => undefined;
    const path = await downloadFileToCacheDir({ repo: 'registry/audience-classifier', path: 'onnx/model.onnx', hubUrl, accessToken, cacheDir })
      .finally(() => { console.debug = debug; });
    expect(sha256(await readFile(path))).to.equal(sha256(files.get('onnx/model.onnx') as Buffer));
  });

  it('when the repository, revision or file does not exist, then the Hub client gets a 404 with the Hub error code', async () => {
    const auth = { Authorization: `Bearer ${accessToken}` };
    const cases = [
      [`/api/models/registry/nothing-here`, 'RepoNotFound'],
      [`/api/models/registry/audience-classifier/revision/${'0'.repeat(40)}`, 'RevisionNotFound'],
      [`/registry/audience-classifier/resolve/main/missing.bin`, 'EntryNotFound'],
      [`/api/datasets/registry/audience-classifier`, 'RepoNotFound'],
    ] as const;
    for (const [path, code] of cases) {
      const response = await fetch(`${hubUrl}${path}`, { headers: auth });
      expect(response.status, path).to.equal(404);
      expect(response.headers.get('x-error-code'), path).to.equal(code);
    }
    expect(await fileDownloadInfo({ repo: 'registry/audience-classifier', path: 'missing.bin', hubUrl, accessToken })).to.equal(null);
    let failure: unknown;
    await datasetInfo({ name: 'registry/audience-classifier', hubUrl, accessToken }).catch((error: unknown) => { failure = error; });
    expect(String(failure)).to.match(/dataset repository|not found/i);
  });

  it('when the token is missing or lacks a permission, then 401 and 403 stop the client, and downloads are audited', async () => {
    const none = await fetch(`${hubUrl}/api/models/registry/audience-classifier`);
    expect(none.status).to.equal(401);
    const searcher = secretOf(await addUser(registry, 'hub-searcher', 'a-long-password-1', ['search']));
    const info = await fetch(`${hubUrl}/api/models/registry/audience-classifier`, { headers: { Authorization: `Bearer ${searcher}` } });
    expect(info.status).to.equal(200);
    const file = await fetch(`${hubUrl}/registry/audience-classifier/resolve/main/config.json`, { headers: { Authorization: `Bearer ${searcher}` } });
    expect(file.status).to.equal(403);
    const id = (await registry.request<{ id: string }[]>('GET', '/artifact/byName/audience-classifier')).body[0]?.id ?? '';
    const trail = await registry.request<{ action: string }[]>('GET', `/artifact/model/${id}/audit`);
    expect(trail.body.filter((entry) => entry.action === 'DOWNLOAD').length).to.be.greaterThan(0);
  });
});

describe('API: the Hub-compatible API with TMR_HUB_API_TRUSTED_ONLY', function () {
  this.timeout(60_000);
  let registry: TestRegistry;
  let work: string;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'tmr-hub-trusted-'));
    registry = await startTestRegistry({ env: { TMR_HUB_API_TRUSTED_ONLY: 'true', TMR_INGEST_MIN_SCORE: '0.5' } });
  });
  after(async () => {
    await registry.close();
    await rm(work, { recursive: true, force: true });
  });

  it('when a model is below the trust bar, then the Hub API does not serve it while the registry API still does', async () => {
    const zip = await buildZip(work, [{ path: 'README.md', content: '# template\n\nMore information needed\n' }, { path: 'model.safetensors', content: safetensorsBytes() }]);
    const created = await registry.request<Created>('POST', '/artifact/model?name=template-model', { body: await readFile(zip), contentType: 'application/zip' });
    expect(created.status).to.equal(201);
    const token = secretOf(await registry.token());
    const hidden = await fetch(`${registry.url}/api/models/registry/template-model`, { headers: { Authorization: `Bearer ${token}` } });
    expect(hidden.status).to.equal(404);
    expect(((await hidden.json()) as { error: string }).error).to.match(/trust bar/);
    const visible = await registry.request('GET', `/artifacts/model/${created.body.metadata.id}`);
    expect(visible.status).to.equal(200);
  });
});
