import { expect } from 'chai';
import { readdir, readlink } from 'node:fs/promises';
import { startFakeUpstream } from '../support/fake-upstream/server';
import { deletePath, downloadPath, ingestUrlPath, replacePath, transactionPath, uploadMultipartPath, uploadZipPath } from '../support/faults/fault-paths';
import { faultSuite } from '../support/faults/fault-registry';
import type { FaultPath } from '../support/faults/fault-sweep';
import type { FaultMode } from '../support/faults/port-faults';

/** Temporary files this process holds open (Linux): a failed write must not leave one open, deleted, for ever. */
async function openScratchFiles(): Promise<string[]> {
  const links = await Promise.all((await readdir('/proc/self/fd').catch(() => [])).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return links.filter((link) => link.includes('/scratch/')).sort();
}

describe('API: a storage fault at every port call (local storage)', function () {
  this.timeout(120_000);
  const suite = faultSuite(async () => {
    const fake = await startFakeUpstream();
    return { context: fake, registry: { storage: 'local', env: { HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl, TMR_INGEST_MIN_SCORE: '0' } }, stop: () => fake.close() };
  });

  // The modes differ only in the error and its timing; memory storage runs all three at every call, here each call gets one in turn.
  const sweep = async <S>(path: FaultPath<S>, modes: readonly FaultMode[] = ['fail', 'throttle', 'timeout']): Promise<void> => {
    await suite.sweep(path, { modes });
    expect(await openScratchFiles(), 'no temporary file left open by a failed request').to.deep.equal([]);
  };

  it('when any port call of a zip upload fails, times out or is throttled, then a clear error, nothing half-stored on disk, and a retry succeeds', async () => {
    await sweep(await uploadZipPath());
  });
  it('when any port call of a multipart upload fails, then the same holds', async () => {
    await sweep(await uploadMultipartPath(), ['fail']);
  });
  it('when any port call of a registration by URL fails, then the same holds', async () => {
    await sweep(ingestUrlPath(suite.context()), ['fail']);
  });
  it('when any port call of a replacement fails or is throttled, then the record keeps its old package or has the new one whole', async () => {
    await sweep(await replacePath(), ['fail', 'throttle']);
  });
  it('when any port call of a deletion fails or times out, then the record is there with its content or gone', async () => {
    await sweep(await deletePath(), ['fail', 'timeout']);
  });
  it('when any port call of a transaction commit fails, times out or is throttled, then the release is applied whole with its audit entries or not at all, and can be committed again', async () => {
    await sweep(await transactionPath());
  });
  it('when any port call of a download fails, then a clear error and no DOWNLOAD entry, or the intact bytes', async () => {
    await sweep(await downloadPath(), ['fail']);
  });
});
