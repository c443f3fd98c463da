import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildAbsolutePathZip, buildCrcMismatchZip, buildDuplicateZip, buildEmptyZip, buildRandomBytesFile, buildSymlinkZip,
  buildTruncatedZip, buildZipBomb, buildZipSlip, buildLyingSizeZip, buildLocalNameMismatchZip, buildRawZip,
} from '../support/zip-builder';
import { tinyPackage } from '../support/hf-packages';
import { startTestRegistry, type TestRegistry } from '../support/test-registry';
import { countArtifacts, listBlobs } from '../support/registry-probes';

interface ErrorBody {
  code: string;
  message: string;
  request_id: string;
}

describe('API: hostile input is refused and changes nothing', () => {
  let registry: TestRegistry;
  let dir: string;

  before(async () => {
    registry = await startTestRegistry({ storage: 'local' });
    dir = await mkdtemp(join(tmpdir(), 'tmr-hostile-'));
    const seed = await registry.request('POST', '/artifact/model?name=seed', { body: await tinyPackage('seed'), contentType: 'application/zip' });
    expect(seed.status).to.equal(201);
  });
  after(async () => {
    await registry.close();
    await rm(dir, { recursive: true, force: true });
  });

  const hostileZips: [string, (d: string) => Promise<string>, RegExp][] = [
    ['a zip-slip entry', (d) => buildZipSlip(d), /outside the package/],
    ['an absolute path', (d) => buildAbsolutePathZip(d), /absolute path/],
    ['a symbolic link', (d) => buildSymlinkZip(d), /symbolic link/],
    ['duplicate entries', (d) => buildDuplicateZip(d, ['config.json', 'config.json']), /more than one entry/],
    ['a zip bomb', (d) => buildZipBomb(d, 64), /zip bomb/],
    ['random bytes', (d) => buildRandomBytesFile(d), /not a readable zip/],
    ['a truncated zip', (d) => buildTruncatedZip(d), /not a readable zip/],
    ['a CRC mismatch', (d) => buildCrcMismatchZip(d), /corrupt|CRC|readable/i],
    ['a lying size', (d) => buildLyingSizeZip(d), /not a readable zip|size/],
    ['an empty zip', (d) => buildEmptyZip(d), /no files/],
    ['a local header named "../x.txt" under a central "safe.txt"', (d) => buildLocalNameMismatchZip(d), /"safe.txt" has a local header that disagrees.*"\.\.\/x\.txt"/],
    ['names equal after Unicode normalisation', (d) => buildDuplicateZip(d, ['caf\u00e9.md', 'cafe\u0301.md']), /more than one entry/],
    ['a file "x" beside "x/y"', (d) => buildDuplicateZip(d, ['x', 'x/y']), /"x" is a file/],
    ['a name with CR/LF', (d) => buildDuplicateZip(d, ['README.md', 'evil\r\n.md']), /"evil\\r\\n\.md" contains control characters/],
    ['a FIFO entry', (d) => buildRawZip(d, [{ name: 'README.md', content: '# m' }, { name: 'pipe', content: '', mode: 0o010644 }]), /"pipe" is a device, FIFO or socket/],
    ['a reserved Windows name', (d) => buildDuplicateZip(d, ['README.md', 'aux.txt']), /"aux.txt" uses "aux.txt", a name Windows reserves/],
  ];

  for (const [label, build, message] of hostileZips) {
    it(`when the upload is ${label}, then 400 explains it and no record or blob remains`, async () => {
      const zip = await readFile(await build(dir));
      const artifactsBefore = await countArtifacts(registry);
      const blobsBefore = await listBlobs(registry.dataDir);
      const response = await registry.request<ErrorBody>('POST', '/artifact/model?name=hostile', { body: zip, contentType: 'application/zip' });
      expect(response.status).to.equal(400);
      expect(response.body.code).to.equal('PACKAGE.INVALID');
      expect(response.body.message).to.match(message);
      expect(response.body.request_id).to.have.length.greaterThan(0);
      expect(await countArtifacts(registry)).to.equal(artifactsBefore);
      expect(await listBlobs(registry.dataDir)).to.deep.equal(blobsBefore);
    });
  }

  it('when a hostile zip replaces an artifact, then the artifact keeps its old content', async () => {
    const created = await registry.request<{ metadata: { id: string } }>('POST', '/artifact/model?name=keeper', { body: await tinyPackage('keeper'), contentType: 'application/zip' });
    const id = created.body.metadata.id;
    const before = await registry.request<{ package: { sha256: string } }>('GET', `/artifacts/model/${id}/details`);
    const zip = await readFile(await buildZipSlip(dir, '../../keeper.txt'));
    const response = await registry.request('PUT', `/artifacts/model/${id}?name=keeper`, { body: zip, contentType: 'application/zip' });
    expect(response.status).to.equal(400);
    const after = await registry.request<{ package: { sha256: string } }>('GET', `/artifacts/model/${id}/details`);
    expect(after.body.package.sha256).to.equal(before.body.package.sha256);
  });

  const malformed: [string, string, string][] = [
    ['an unknown artifact type', 'GET', '/artifacts/weights/01JD0000000000000000000001'],
    ['an id with forbidden characters', 'GET', '/artifacts/model/abc$def'],
    ['an id with a dot segment', 'GET', '/artifacts/model/..%2f..%2fetc'],
    ['an unknown download part', 'GET', '/artifacts/model/01JD0000000000000000000001/download?part=secrets'],
    ['an unknown query parameter', 'GET', '/artifacts/model/01JD0000000000000000000001?debug=1'],
  ];
  for (const [label, method, path] of malformed) {
    it(`when a request carries ${label}, then 400`, async () => {
      const response = await registry.request<ErrorBody>(method, path);
      expect(response.status).to.equal(400);
      expect(response.body.message).to.be.a('string').and.not.equal('');
    });
  }

  it('when a URL from a host other than the hubs is registered, then 400 before anything is fetched', async () => {
    for (const url of ['https://evil.example.com/x/y', 'file:///etc/passwd', 'https://huggingface.co@evil.com/x/y', 'http://huggingface.co/a/b', 'https://127.0.0.1/a/b']) {
      const response = await registry.request<ErrorBody>('POST', '/artifact/model', { json: { url } });
      expect(response.status, url).to.equal(400);
      expect(response.body.code, url).to.equal('SOURCE.UNSUPPORTED');
    }
  });

  it('when a Hugging Face URL is registered while the hub is down, then 502 names the source and nothing is stored', async () => {
    const before = await countArtifacts(registry);
    const blobsBefore = await listBlobs(registry.dataDir);
    const response = await registry.request<ErrorBody>('POST', '/artifact/model', { json: { url: 'https://huggingface.co/google-bert/bert-base-uncased' } });
    expect(response.status).to.equal(502);
    expect(response.body.code).to.equal('UPSTREAM.UNAVAILABLE');
    expect(response.body.message).to.contain('Hugging Face');
    expect(await countArtifacts(registry)).to.equal(before);
    expect(await listBlobs(registry.dataDir)).to.deep.equal(blobsBefore);
  });

  it('when the JSON body has no url, then 400 names the missing field', async () => {
    const response = await registry.request<ErrorBody>('POST', '/artifact/model', { json: { link: 'x' } });
    expect(response.status).to.equal(400);
    expect(response.body.message).to.contain('url');
  });
});
