import { createHash } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { tinyPackage } from '../support/hf-packages';
import { countArtifacts } from '../support/registry-probes';
import { startLocalS3, type LocalS3 } from '../support/s3rver';
import { startTestRegistry, type TestRegistry } from '../support/test-registry';

interface Artifact {
  metadata: { name: string; id: string; type: string };
  data: { url: string; download_url: string };
}

interface Details {
  package: { sha256: string; parts: Record<string, { sha256: string }> };
}

interface ErrorBody {
  code: string;
  message: string;
  request_id: string;
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('API: the registry on S3 storage', () => {
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
  afterEach(() => s3.start());

  const keysUnder = async (prefix: string): Promise<string[]> => {
    const page = await s3.client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    return (page.Contents ?? []).map((item) => item.Key ?? '').sort();
  };
  const blobKey = (sha: string): string => `blobs/${sha.slice(0, 2)}/${sha}`;
  const upload = (name: string, zip: Buffer) =>
    registry.request<Artifact>('POST', `/artifact/model?name=${name}&version=1.0.0`, { body: zip, contentType: 'application/zip' });
  /** Downloads without following the redirect, as a client that wants to see it would. */
  const download = async (path: string): Promise<Response> =>
    fetch(`${registry.url}${path}`, { headers: { 'X-Authorization': await registry.token() }, redirect: 'manual' });
  const blobsOf = async (id: string): Promise<string[]> => {
    const details = (await registry.request<Details>('GET', `/artifacts/model/${id}/details`)).body;
    return [...new Set([details.package.sha256, ...Object.values(details.package.parts).map((part) => part.sha256)])].map(blobKey).sort();
  };

  it('when a package is uploaded, then it can be read, found by name and by its card, and its content is stored by digest', async () => {
    const zip = await tinyPackage('s3-bert');

    const created = await upload('s3-bert', zip);

    expect(created.status).to.equal(201);
    const { id } = created.body.metadata;
    expect((await registry.request<Artifact>('GET', `/artifacts/model/${id}`)).body).to.deep.equal(created.body);
    expect((await registry.request<{ id: string }[]>('GET', '/artifact/byName/s3-bert')).body.map((item) => item.id)).to.deep.equal([id]);
    const found = await registry.request<{ id: string }[]>('POST', '/artifact/byRegEx', { json: { regex: 'A small test model' } });
    expect(found.body.map((item) => item.id)).to.include(id);
    expect(await keysUnder(blobKey(sha256(zip)))).to.deep.equal([blobKey(sha256(zip))]);
  });

  it('when a package is downloaded, then the answer is a 302 to a short-lived URL that serves exactly the stored bytes', async () => {
    const zip = await tinyPackage('s3-download');
    const { id } = (await upload('s3-download', zip)).body.metadata;

    const response = await download(`/artifacts/model/${id}/download`);

    expect(response.status).to.equal(302);
    expect(response.headers.get('x-content-sha256')).to.equal(sha256(zip));
    expect(response.headers.get('cache-control')).to.equal('no-store');
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.origin).to.equal(s3.endpoint);
    expect(Number(location.searchParams.get('X-Amz-Expires'))).to.be.within(1, 300);
    const fetched = await fetch(location);
    expect(fetched.status).to.equal(200);
    expect(fetched.headers.get('content-disposition')).to.equal('attachment; filename="s3-download.zip"');
    expect(Buffer.from(await fetched.arrayBuffer()).equals(zip)).to.equal(true);
  });

  it('when one part is downloaded, then its URL serves a zip whose digest is the one announced', async () => {
    const { id } = (await upload('s3-weights', await tinyPackage('s3-weights'))).body.metadata;

    const response = await download(`/artifacts/model/${id}/download?part=weights`);

    expect(response.status).to.equal(302);
    const bytes = Buffer.from(await (await fetch(response.headers.get('location') ?? '')).arrayBuffer());
    expect(sha256(bytes)).to.equal(response.headers.get('x-content-sha256'));
  });

  it('when a package is replaced and then deleted, then content nothing else uses leaves the bucket, shared content stays', async () => {
    const sibling = (await upload('s3-sibling', await tinyPackage('s3-sibling'))).body.metadata.id;
    const { id } = (await upload('s3-replace', await tinyPackage('s3-replace'))).body.metadata;
    const oldBlobs = await blobsOf(id);

    const replaced = await registry.request('PUT', `/artifacts/model/${id}?name=s3-replace&version=1.1.0`, {
      body: await tinyPackage('s3-replace', [{ path: 'extra.txt', content: 'a second revision' }]),
      contentType: 'application/zip',
    });

    expect(replaced.status).to.equal(200);
    const newBlobs = await blobsOf(id);
    const afterReplace = await keysUnder('blobs/');
    for (const key of newBlobs) expect(afterReplace).to.include(key);
    const dropped = oldBlobs.filter((key) => !newBlobs.includes(key));
    expect(dropped).to.not.deep.equal([]);
    for (const key of dropped) expect(afterReplace).to.not.include(key);

    expect((await registry.request('DELETE', `/artifacts/model/${id}`)).status).to.equal(200);

    const shared = (await blobsOf(sibling)).filter((key) => newBlobs.includes(key));
    expect(shared, 'tiny packages share their config.json part').to.not.deep.equal([]);
    const remaining = await keysUnder('');
    for (const key of shared) expect(remaining).to.include(key);
    for (const key of newBlobs.filter((candidate) => !shared.includes(candidate))) expect(remaining).to.not.include(key);
    expect(remaining.filter((key) => key.includes(id) && !key.startsWith('audit/'))).to.deep.equal([]);
  });

  it('when S3 stops answering, then requests get 503 STORAGE.UNAVAILABLE with a request id, and succeed again once it is back', async () => {
    const { id } = (await upload('s3-outage', await tinyPackage('s3-outage'))).body.metadata;
    await registry.token();
    await s3.stop();

    const failed = await registry.request<ErrorBody>('GET', `/artifacts/model/${id}`);

    expect(failed.status).to.equal(503);
    expect(failed.body.code).to.equal('STORAGE.UNAVAILABLE');
    expect(failed.body.request_id).to.equal(failed.headers.get('x-request-id'));
    const health = await registry.request<{ status: string }>('GET', '/health');
    expect(health.body.status).to.equal('critical');

    await s3.start();
    expect((await registry.request('GET', `/artifacts/model/${id}`)).status).to.equal(200);
  });

  it('when S3 goes away just as the record is written, then the upload fails with 503 and no trace of the artifact is visible', async () => {
    const before = await countArtifacts(registry);
    const zip = await tinyPackage('s3-half-written');
    s3.fail((request) => request.method === 'PUT' && request.key.startsWith('artifacts/'), 'stop');

    const failed = await upload('s3-half-written', zip);

    expect(failed.status).to.equal(503);
    expect((failed.body as unknown as ErrorBody).code).to.equal('STORAGE.UNAVAILABLE');
    await s3.start();
    expect((await registry.request('GET', '/artifact/byName/s3-half-written')).status).to.equal(404);
    expect(await countArtifacts(registry)).to.equal(before);
    const retried = await upload('s3-half-written', zip);
    expect(retried.status).to.equal(201);
    expect(await countArtifacts(registry)).to.equal(before + 1);
  });
});
