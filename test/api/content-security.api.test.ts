import { expect } from 'chai';
import { resolve } from '../../src/adapters/di/container';
import { Tokens } from '../../src/adapters/di/tokens';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream/server';
import { tinyPackage } from '../support/hf-packages';
import { osSystemPickle, pickle, op, torchStateDictPickle, torchZip } from '../support/pickle-builder';
import { addUser, startTestRegistry, type TestRegistry } from '../support/test-registry';
import { countArtifacts, listBlobs } from '../support/registry-probes';

interface ErrorBody {
  code: string;
  message: string;
  details?: { findings: { path: string; global?: string; message: string }[] };
}
interface Created {
  metadata: { id: string; name: string; type: string };
}
interface FileVerdict {
  path: string;
  format: string;
  verdict: string;
  findings: { verdict: string; global?: string; message: string }[];
  globals?: string[];
}
interface Details {
  content_scan?: { verdict: string; rules: string; files: FileVerdict[] };
  confusion?: { score: number; resembles?: { id: string; name: string }; reasons: string[] };
}
interface ConfusionFinding {
  metadata: { id: string; name: string };
  score: number;
  resembles?: { id: string; name: string };
  reasons: string[];
}

describe('API: content security', () => {
  let registry: TestRegistry;
  const upload = async (name: string, zip: Buffer, token?: string) =>
    registry.request<Created & ErrorBody>('POST', `/artifact/model?name=${encodeURIComponent(name)}`, { body: zip, contentType: 'application/zip', ...(token === undefined ? {} : { token }) });
  const details = (id: string) => registry.request<Details>('GET', `/artifacts/model/${id}/details`);

  before(async () => {
    registry = await startTestRegistry({ storage: 'local' });
  });
  after(() => registry.close());

  it('when a package holds a pickle that calls os.system, then 422 PACKAGE.UNSAFE names the file and the global, and nothing is stored', async () => {
    const artifactsBefore = await countArtifacts(registry);
    const blobsBefore = await listBlobs(registry.dataDir);
    const response = await upload('evil', await tinyPackage('evil', [{ path: 'pytorch_model.bin', content: await torchZip(osSystemPickle()) }]));
    expect(response.status).to.equal(422);
    expect(response.body.code).to.equal('PACKAGE.UNSAFE');
    expect(response.body.message).to.contain('pytorch_model.bin!archive/data.pkl').and.contain('os.system');
    expect(response.body.details?.findings[0]).to.include({ path: 'pytorch_model.bin!archive/data.pkl', global: 'os.system' });
    expect(await countArtifacts(registry)).to.equal(artifactsBefore);
    expect(await listBlobs(registry.dataDir)).to.deep.equal(blobsBefore);
  });

  it('when a safetensors file lies about its header, then 422 names the file and the lie', async () => {
    const lying = Buffer.concat([Buffer.from([0xff, 0xff, 0, 0, 0, 0, 0, 0]), Buffer.from('{}')]);
    const response = await upload('liar', await tinyPackage('liar', [{ path: 'extra.safetensors', content: lying }]));
    expect(response.status).to.equal(422);
    expect(response.body.message).to.contain('extra.safetensors').and.contain('header');
  });

  it('when a benign torch checkpoint is uploaded, then 201 and the details list every verdict with the globals it imports', async () => {
    const response = await upload('benign-torch', await tinyPackage('benign-torch', [{ path: 'pytorch_model.bin', content: await torchZip(torchStateDictPickle()) }]));
    expect(response.status).to.equal(201);
    const scan = (await details(response.body.metadata.id)).body.content_scan;
    expect(scan?.verdict).to.equal('safe');
    const verdicts = Object.fromEntries((scan?.files ?? []).map((file) => [file.path, file.verdict]));
    expect(verdicts).to.deep.equal({ 'model.safetensors': 'safe', 'pytorch_model.bin!archive/data.pkl': 'safe' });
    expect(scan?.files.find((file) => file.format === 'pickle')?.globals).to.include('torch.FloatStorage');
  });

  it('when a pickle imports a global off the allow-list, then it registers with a visible suspicious verdict', async () => {
    const sklearn = pickle(op.proto(2), op.global('sklearn.linear_model._logistic', 'LogisticRegression'), op.emptyTuple, op.newObj, op.stop);
    const response = await upload('suspicious-clf', await tinyPackage('suspicious-clf', [{ path: 'clf.pkl', content: sklearn }]));
    expect(response.status).to.equal(201);
    const scan = (await details(response.body.metadata.id)).body.content_scan;
    expect(scan?.verdict).to.equal('suspicious');
    expect(scan?.files.find((file) => file.path === 'clf.pkl')?.findings[0]).to.include({ verdict: 'suspicious', global: 'sklearn.linear_model._logistic.LogisticRegression' });
    // The scan counts in the trust bar: whatever the scores, a suspicious file keeps the model below it.
    const trust = ((await details(response.body.metadata.id)).body as unknown as { trust?: { meets_bar: boolean; content?: { passing: boolean; summary: string } } }).trust;
    expect(trust?.meets_bar).to.equal(false);
    expect(trust?.content).to.deep.equal({ passing: false, summary: '0 dangerous, 1 suspicious of 2 scanned file(s)' });
  });

  it('when a replacement carries a dangerous pickle, then 422 and the artifact keeps its old content', async () => {
    const created = await upload('to-replace', await tinyPackage('to-replace'));
    const id = created.body.metadata.id;
    const before = (await registry.request('GET', `/artifacts/model/${id}/download`)).raw;
    const response = await registry.request<ErrorBody>('PUT', `/artifacts/model/${id}?name=to-replace`, {
      body: await tinyPackage('to-replace', [{ path: 'model.pkl', content: Buffer.from("cos\nsystem\n(S'id'\ntR.", 'latin1') }]),
      contentType: 'application/zip',
    });
    expect(response.status).to.equal(422);
    expect(response.body.message).to.contain('model.pkl');
    expect((await registry.request('GET', `/artifacts/model/${id}/download`)).raw.equals(before)).to.equal(true);
  });

  it('when an artifact registered before the scanner is re-scanned by an administrator, then its verdicts are recorded; others may not re-scan', async () => {
    // A record from before the scanner: stored without a scan (written straight to the repository).
    const ok = await upload('pre-scanner', await tinyPackage('pre-scanner'));
    const repository = resolve(registry.container, Tokens.ArtifactRepository);
    const record = await repository.get(ok.body.metadata.id);
    if (record === undefined) throw new Error('missing record');
    const { contentScan: _scan, ...unscanned } = record;
    await repository.update({ ...unscanned, revision: record.revision + 1 }, record.revision);
    expect((await details(record.id)).body.content_scan).to.equal(undefined);

    const reader = await addUser(registry, 'scan-reader', 'a long enough password 1', ['search', 'download']);
    expect((await registry.request('POST', `/artifacts/model/${record.id}/scan`, { token: reader })).status).to.equal(401);
    const all = await registry.request<{ rescanned: { metadata: { id: string }; verdict: string }[] }>('POST', '/admin/rescan');
    expect(all.status).to.equal(200);
    expect(all.body.rescanned.map((entry) => entry.metadata.id)).to.deep.equal([record.id]);
    const one = await registry.request<{ verdict: string; files: FileVerdict[] }>('POST', `/artifacts/model/${record.id}/scan`);
    expect(one.status).to.equal(200);
    expect(one.body.verdict).to.equal('safe');
    expect((await details(record.id)).body.content_scan?.verdict).to.equal('safe');
  });

  it('when a re-scan condemns stored content, then downloads refuse it with 422', async () => {
    const ok = await upload('condemned', await tinyPackage('condemned'));
    const repository = resolve(registry.container, Tokens.ArtifactRepository);
    const record = await repository.get(ok.body.metadata.id);
    if (record?.contentScan === undefined) throw new Error('missing scan');
    const condemned = { ...record.contentScan, verdict: 'dangerous' as const, files: [{ path: 'x.pkl', format: 'pickle', verdict: 'dangerous' as const, findings: [{ verdict: 'dangerous' as const, global: 'os.system', message: 'imports os.system' }] }] };
    await repository.update({ ...record, contentScan: condemned, revision: record.revision + 1 }, record.revision);
    const download = await registry.request<ErrorBody>('GET', `/artifacts/model/${record.id}/download`);
    expect(download.status).to.equal(422);
    expect(download.body.code).to.equal('PACKAGE.UNSAFE');
  });
});

describe('API: package confusion', () => {
  let registry: TestRegistry;
  const ids = new Map<string, string>();

  before(async () => {
    registry = await startTestRegistry({ storage: 'local' });
    const register = async (name: string): Promise<void> => {
      const response = await registry.request<Created>('POST', `/artifact/model?name=${encodeURIComponent(name)}`, { body: await tinyPackage(name), contentType: 'application/zip' });
      expect(response.status, name).to.equal(201);
      ids.set(name, response.body.metadata.id);
    };
    for (const name of ['bert-base-uncased', 'whisper-tiny', 'google-bert/bert-base-cased']) await register(name);
    for (const name of ['bert-base-uncassed', 'bert_base_uncased', 'whsiper-tiny', 'g00gle-bert/bert-base-cased', 'resnet-50', 'bert-large-cased', 'whisper-large-v3']) await register(name);
  });
  after(() => registry.close());

  it('when look-alikes are registered after their originals, then the audit lists each with its original and reasons, and no unrelated name', async () => {
    const response = await registry.request<ConfusionFinding[]>('GET', '/audit/package-confusion');
    expect(response.status).to.equal(200);
    const found = new Map(response.body.map((finding) => [finding.metadata.name, finding]));
    expect(found.get('bert-base-uncassed')?.resembles?.name).to.equal('bert-base-uncased');
    expect(found.get('bert_base_uncased')?.reasons.join(' ')).to.contain('separators');
    expect(found.get('whsiper-tiny')?.reasons.join(' ')).to.contain('swap');
    expect(found.get('g00gle-bert/bert-base-cased')?.resembles?.name).to.equal('google-bert/bert-base-cased');
    for (const name of ['bert-base-uncased', 'whisper-tiny', 'google-bert/bert-base-cased', 'resnet-50', 'bert-large-cased', 'whisper-large-v3']) expect(found.has(name), name).to.equal(false);
    for (const finding of response.body) expect(finding.score).to.be.within(0, 1);
  });

  it('when a look-alike is uploaded, then its record carries the warning; an unrelated upload carries none', async () => {
    const lookAlike = await registry.request<Details>('GET', `/artifacts/model/${ids.get('bert-base-uncassed') ?? ''}/details`);
    expect(lookAlike.body.confusion?.resembles?.id).to.equal(ids.get('bert-base-uncased'));
    const unrelated = await registry.request<Details>('GET', `/artifacts/model/${ids.get('resnet-50') ?? ''}/details`);
    expect(unrelated.body.confusion).to.equal(undefined);
  });

  it('when one user downloads a look-alike in a burst, then the audit adds the burst to its reasons and raises its score', async () => {
    const id = ids.get('whsiper-tiny') ?? '';
    const before = (await registry.request<ConfusionFinding[]>('GET', '/audit/package-confusion')).body.find((finding) => finding.metadata.id === id);
    const booster = await addUser(registry, 'booster', 'a long enough password 2', ['search', 'download']);
    for (let index = 0; index < 25; index += 1) expect((await registry.request('GET', `/artifacts/model/${id}/download`, { token: booster })).status).to.equal(200);
    const after = (await registry.request<ConfusionFinding[]>('GET', '/audit/package-confusion')).body.find((finding) => finding.metadata.id === id);
    expect(after?.reasons.join(' ')).to.contain('25 of its 25 downloads came from 1 user');
    expect(after?.score ?? 0).to.be.greaterThan(before?.score ?? 0);
    const untouched = (await registry.request<ConfusionFinding[]>('GET', '/audit/package-confusion')).body.find((finding) => finding.metadata.name === 'bert_base_uncased');
    expect(untouched?.reasons.join(' ')).to.not.contain('downloads');
  });

  it('when a non-admin asks for the audit, then 401', async () => {
    const reader = await addUser(registry, 'reader', 'a long enough password 3', ['search']);
    expect((await registry.request('GET', '/audit/package-confusion', { token: reader })).status).to.equal(401);
  });
});

describe('API: content security of mirrored sources', () => {
  let fake: FakeUpstream;
  let registry: TestRegistry;

  before(async () => {
    fake = await startFakeUpstream();
    registry = await startTestRegistry({ storage: 'local', env: { HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl, TMR_INGEST_MIN_SCORE: '0' } });
  });
  after(async () => {
    await registry.close();
    await fake.close();
  });

  const model = (id: string, weights: Buffer) => fake.addModel({
    id,
    cardYaml: 'license: apache-2.0',
    readme: `\n# ${id}\n`,
    files: [{ path: 'config.json', content: JSON.stringify({ model_type: 'bert' }) }, { path: 'pytorch_model.bin', content: weights, lfs: true }],
  });

  it('when a Hugging Face model ships a pickle that calls os.system, then registering its URL answers 422 and stores nothing', async () => {
    model('acme-test/evil-bert', osSystemPickle());
    const blobsBefore = await listBlobs(registry.dataDir);
    const response = await registry.request<ErrorBody>('POST', '/artifact/model', { json: { url: 'https://huggingface.co/acme-test/evil-bert' } });
    expect(response.status).to.equal(422);
    expect(response.body.message).to.contain('pytorch_model.bin').and.contain('os.system');
    expect(await countArtifacts(registry)).to.equal(0);
    expect(await listBlobs(registry.dataDir)).to.deep.equal(blobsBefore);
  });

  it('when a Hugging Face model ships a benign torch checkpoint, then it is mirrored with its verdicts', async () => {
    model('acme-test/good-bert', await torchZip(torchStateDictPickle()));
    const response = await registry.request<Created>('POST', '/artifact/model', { json: { url: 'https://huggingface.co/acme-test/good-bert' } });
    expect(response.status).to.equal(201);
    const details = await registry.request<Details>('GET', `/artifacts/model/${response.body.metadata.id}/details`);
    expect(details.body.content_scan?.files.map((file) => [file.path, file.verdict])).to.deep.equal([['pytorch_model.bin!archive/data.pkl', 'safe']]);
  });
});
