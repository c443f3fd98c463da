import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { fillerBytes, zipBuffer } from '../support/hf-packages';
import { startTestRegistry, type TestRegistry } from '../support/test-registry';

interface Artifact {
  metadata: { id: string };
}

describe('API: resumable and conditional downloads', () => {
  let registry: TestRegistry;
  let path: string;
  let whole: Buffer;
  let etag: string;

  before(async () => {
    registry = await startTestRegistry({ storage: 'local' });
    const zip = await zipBuffer([{ path: 'model.safetensors', content: fillerBytes('range', 200_000) }]);
    const created = await registry.request<Artifact>('POST', '/artifact/model?name=ranged', { body: zip, contentType: 'application/zip' });
    expect(created.status).to.equal(201);
    path = `/artifacts/model/${created.body.metadata.id}/download`;
    const full = await registry.request('GET', path);
    whole = full.raw;
    etag = full.headers.get('etag') ?? '';
    expect(full.status).to.equal(200);
    expect(full.headers.get('accept-ranges')).to.equal('bytes');
  });
  after(() => registry.close());

  const get = (headers: Record<string, string>) => registry.request('GET', path, { headers });

  it('when no Range is sent, then 200 carries the whole zip, its ETag and Accept-Ranges', () => {
    expect(whole.length).to.be.greaterThan(1000);
    expect(etag).to.equal(`"${createHash('sha256').update(whole).digest('hex')}"`);
  });

  it('when a byte range is asked for, then 206 sends exactly those bytes with Content-Range', async () => {
    const response = await get({ Range: 'bytes=100-199' });
    expect(response.status).to.equal(206);
    expect(response.headers.get('content-range')).to.equal(`bytes 100-199/${whole.length}`);
    expect(response.headers.get('content-length')).to.equal('100');
    expect(response.raw.equals(whole.subarray(100, 200))).to.equal(true);
    expect(response.headers.get('etag')).to.equal(etag);
  });

  it('when a transfer resumes from an offset, then the rest arrives and the parts make the whole', async () => {
    const head = await get({ Range: `bytes=0-${999}` });
    const rest = await get({ Range: 'bytes=1000-' });
    expect(rest.status).to.equal(206);
    expect(rest.headers.get('content-range')).to.equal(`bytes 1000-${whole.length - 1}/${whole.length}`);
    expect(Buffer.concat([head.raw, rest.raw]).equals(whole)).to.equal(true);
  });

  it('when the last bytes are asked for by suffix, then they are sent; an end past the size is clamped', async () => {
    const suffix = await get({ Range: 'bytes=-10' });
    expect(suffix.status).to.equal(206);
    expect(suffix.raw.equals(whole.subarray(whole.length - 10))).to.equal(true);
    const clamped = await get({ Range: `bytes=${whole.length - 5}-${whole.length + 1000}` });
    expect(clamped.headers.get('content-range')).to.equal(`bytes ${whole.length - 5}-${whole.length - 1}/${whole.length}`);
    expect(clamped.raw.length).to.equal(5);
  });

  it('when the range starts past the end, then 416 names the size in Content-Range', async () => {
    const response = await get({ Range: `bytes=${whole.length}-` });
    expect(response.status).to.equal(416);
    expect(response.headers.get('content-range')).to.equal(`bytes */${whole.length}`);
  });

  it('when the Range header is malformed or asks for several ranges, then the whole zip is sent', async () => {
    for (const range of ['bytes=abc', 'items=0-10', 'bytes=0-1,5-9', 'bytes=9-3']) {
      const response = await get({ Range: range });
      expect(response.status, range).to.equal(200);
      expect(response.raw.length, range).to.equal(whole.length);
    }
  });

  it('when If-None-Match names the package ETag, then 304 with no body', async () => {
    for (const tag of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await get({ 'If-None-Match': tag });
      expect(response.status, tag).to.equal(304);
      expect(response.raw.length).to.equal(0);
      expect(response.headers.get('etag')).to.equal(etag);
    }
    const changed = await get({ 'If-None-Match': '"0000"' });
    expect(changed.status).to.equal(200);
  });

  it('when If-Range matches the ETag, then the range is honoured; when it does not, the whole zip is sent', async () => {
    const same = await get({ Range: 'bytes=0-9', 'If-Range': etag });
    expect(same.status).to.equal(206);
    expect(same.raw.length).to.equal(10);
    for (const validator of ['"stale"', 'Wed, 21 Oct 2015 07:28:00 GMT']) {
      const stale = await get({ Range: 'bytes=0-9', 'If-Range': validator });
      expect(stale.status).to.equal(200);
      expect(stale.raw.equals(whole)).to.equal(true);
    }
  });
});
