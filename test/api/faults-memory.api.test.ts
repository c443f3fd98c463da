import { expect } from 'chai';
import { startFakeUpstream } from '../support/fake-upstream/server';
import { storeConsistency } from '../support/faults/store-consistency';
import { tinyPackage } from '../support/hf-packages';
import { eventually } from '../support/registry-probes';
import { deletePath, downloadPath, ingestUrlPath, replacePath, transactionPath, uploadMultipartPath, uploadZipPath } from '../support/faults/fault-paths';
import { faultSuite } from '../support/faults/fault-registry';
import type { FaultPath } from '../support/faults/fault-sweep';

describe('API: a storage fault at every port call (memory storage)', function () {
  this.timeout(120_000);
  const suite = faultSuite(async () => {
    const fake = await startFakeUpstream();
    return { context: fake, registry: { storage: 'memory', env: { HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl, TMR_INGEST_MIN_SCORE: '0' } }, stop: () => fake.close() };
  });
  const sweep = <S>(path: FaultPath<S>): Promise<void> => suite.sweep(path);

  it('when any port call of a zip upload fails, times out or is throttled, then the answer is a clear error, nothing is half-stored, and a retry succeeds', async () => {
    await sweep(await uploadZipPath());
  });
  it('when any port call of a multipart upload fails, times out or is throttled, then the same holds', async () => {
    await sweep(await uploadMultipartPath());
  });
  it('when any port call of a registration by URL fails, times out or is throttled, then the same holds', async () => {
    await sweep(ingestUrlPath(suite.context()));
  });
  it('when any port call of a replacement fails, times out or is throttled, then the record keeps its old package or has the new one whole', async () => {
    await sweep(await replacePath());
  });
  it('when any port call of a deletion fails, times out or is throttled, then the record is there with its content or gone', async () => {
    await sweep(await deletePath());
  });
  it('when any port call of a transaction commit fails, times out or is throttled, then the release is applied whole with its audit entries or not at all, and can be committed again', async () => {
    await sweep(await transactionPath());
  });
  it('when any port call of a download fails, times out or is throttled, then a clear error and no DOWNLOAD entry, or the intact bytes', async () => {
    await sweep(await downloadPath());
  });

  it('when a storage call of an upload never settles, then other requests are served meanwhile, a reset is refused while it holds its content, and once the call fails it answers 503 leaving nothing behind', async () => {
    const faults = suite.faults();
    const { registry, plan } = faults;
    const token = await registry.token();
    expect((await registry.request('DELETE', '/reset', { token })).status).to.equal(200);
    const fresh = await registry.token();
    // Calls 1-2 authenticate; 3 is the first BlobStore.put.
    plan.arm(3, 'hang');
    const stuck = registry.request<{ code: string }>('POST', '/artifact/model?name=stuck', { body: await tinyPackage('stuck'), contentType: 'application/zip', token: fresh });
    await eventually(async () => plan.struck !== undefined, 'the put hangs');
    expect(`${plan.struck?.port}.${plan.struck?.method}`).to.equal('BlobStore.put');
    const other = await registry.request('POST', '/artifact/model?name=beside', { body: await tinyPackage('beside'), contentType: 'application/zip', token: fresh });
    expect(other.status, 'another upload goes through').to.equal(201);
    expect((await registry.request('DELETE', '/reset', { token: fresh })).status, 'a reset would cut the stuck write in half').to.equal(409);
    plan.releaseHanging();
    const answer = await stuck;
    plan.disarm();
    expect(answer.status).to.equal(503);
    expect(answer.body.code).to.equal('STORAGE.UNAVAILABLE');
    const options = faults.sweepOptions();
    expect(await storeConsistency(options.repository, options.blobs)).to.deep.equal({ records: 1, orphans: [], missing: [] });
  });
});
