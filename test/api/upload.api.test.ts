import { expect } from 'chai';
import { referencePackage, tinyPackage, zipBuffer, fillerBytes } from '../support/hf-packages';
import { wellFormedWeights } from '../support/fake-upstream/weights';
import { addUser, startTestRegistry, type TestRegistry } from '../support/test-registry';
import { countArtifacts } from '../support/registry-probes';

interface Artifact {
  metadata: { name: string; id: string; type: string };
  data: { url: string; download_url: string };
}
interface ErrorBody {
  code: string;
  message: string;
}

const uploadZip = (registry: TestRegistry, zip: Buffer, query = '', type = 'model') =>
  registry.request<Artifact & ErrorBody>('POST', `/artifact/${type}${query}`, { body: zip, contentType: 'application/zip' });

describe('API: registering an uploaded zip', () => {
  let registry: TestRegistry;

  before(async () => {
    registry = await startTestRegistry({ storage: 'local', env: { TMR_MAX_UPLOAD_BYTES: String(256 * 1024) } });
  });
  after(() => registry.close());

  it('when a Hugging Face-shaped zip is uploaded with a name and version, then 201 returns its id and download url', async () => {
    const zip = await referencePackage('google-bert/bert-base-uncased');
    const response = await uploadZip(registry, zip, '?name=bert-base-uncased&version=v1.2.0');
    expect(response.status).to.equal(201);
    expect(response.body.metadata).to.include({ name: 'bert-base-uncased', type: 'model' });
    expect(response.body.metadata.id).to.match(/^[A-Z0-9]{26}$/);
    expect(response.body.data.url).to.match(/^urn:tmr:upload:sha256:[0-9a-f]{64}$/);
    expect(response.body.data.download_url).to.equal(`${registry.url}/artifacts/model/${response.body.metadata.id}/download`);
    const details = await registry.request<{ version: string; package: { parts: Record<string, unknown>; files: unknown[] } }>(
      'GET', `/artifacts/model/${response.body.metadata.id}/details`,
    );
    expect(details.body.version).to.equal('1.2.0');
    expect(Object.keys(details.body.package.parts).sort()).to.deep.equal(['code', 'docs', 'weights']);
  });

  it('when the same name is uploaded twice, then each gets its own id', async () => {
    const zip = await tinyPackage('twin');
    const first = await uploadZip(registry, zip, '?name=twin');
    const second = await uploadZip(registry, zip, '?name=twin');
    expect(first.status).to.equal(201);
    expect(second.status).to.equal(201);
    expect(first.body.metadata.id).not.to.equal(second.body.metadata.id);
  });

  it('when no name is given, then the name comes from the model card', async () => {
    const response = await uploadZip(registry, await referencePackage('openai/whisper-tiny'));
    expect(response.status).to.equal(201);
    expect(response.body.metadata.name).to.equal('whisper-tiny');
  });

  it('when no name is given and the card has no title, then 400 explains how to name it', async () => {
    const zip = await zipBuffer([{ path: 'model.safetensors', content: wellFormedWeights('model.safetensors', fillerBytes('x', 100)) }]);
    const response = await uploadZip(registry, zip);
    expect(response.status).to.equal(400);
    expect(response.body.message).to.contain('?name=');
  });

  it('when the zip is sent as multipart form data, then the form fields name and version it', async () => {
    const form = new FormData();
    form.append('file', new Blob([await tinyPackage('form-upload')]), 'form-upload.zip');
    form.append('name', 'from-form');
    form.append('version', '2.0.1');
    const response = await registry.request<Artifact>('POST', '/artifact/dataset', { body: form });
    expect(response.status).to.equal(201);
    expect(response.body.metadata).to.include({ name: 'from-form', type: 'dataset' });
    const details = await registry.request<{ version: string; source: { filename: string } }>('GET', `/artifacts/dataset/${response.body.metadata.id}/details`);
    expect(details.body.version).to.equal('2.0.1');
    expect(details.body.source.filename).to.equal('form-upload.zip');
  });

  it('when the version is malformed, then 400 and nothing is stored', async () => {
    const before = await countArtifacts(registry);
    const response = await uploadZip(registry, await tinyPackage('badversion'), '?name=x&version=1.2');
    expect(response.status).to.equal(400);
    expect(response.body.message).to.contain('version');
    expect(await countArtifacts(registry)).to.equal(before);
  });

  it('when the artifact type is unknown, then 400', async () => {
    const response = await uploadZip(registry, await tinyPackage('t'), '?name=x', 'weights');
    expect(response.status).to.equal(400);
  });

  it('when the content type is neither JSON nor zip, then 415', async () => {
    const response = await registry.request<ErrorBody>('POST', '/artifact/model', { body: Buffer.from('hello'), contentType: 'text/plain' });
    expect(response.status).to.equal(415);
    expect(response.body.code).to.equal('REQUEST.UNSUPPORTED_MEDIA_TYPE');
  });

  it('when the body exceeds TMR_MAX_UPLOAD_BYTES, then 413 and nothing is stored', async () => {
    const before = await countArtifacts(registry);
    const big = await zipBuffer([{ path: 'README.md', content: '# big' }, { path: 'model.bin', content: fillerBytes('big', 300 * 1024) }]);
    const raw = await uploadZip(registry, big, '?name=big');
    expect(raw.status).to.equal(413);
    expect(raw.body.message).to.contain('TMR_MAX_UPLOAD_BYTES');
    const form = new FormData();
    form.append('file', new Blob([big]), 'big.zip');
    expect((await registry.request('POST', '/artifact/model', { body: form })).status).to.equal(413);
    expect(await countArtifacts(registry)).to.equal(before);
  });

  it('when a user without the upload permission uploads, then 401', async () => {
    const token = await addUser(registry, 'reader', 'reader-password', ['search', 'download']);
    const response = await registry.request<ErrorBody>('POST', '/artifact/model?name=x', { body: await tinyPackage('x'), contentType: 'application/zip', token });
    expect(response.status).to.equal(401);
    expect(response.body.message).to.contain('upload');
  });
});
