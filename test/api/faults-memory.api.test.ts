import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream/server';
import { deletePath, downloadPath, ingestUrlPath, replacePath, uploadMultipartPath, uploadZipPath } from '../support/faults/fault-paths';
import { startFaultRegistry, summary, type FaultRegistry } from '../support/faults/fault-registry';
import { sweepFaults, type FaultPath } from '../support/faults/fault-sweep';

describe('API: a storage fault at every port call (memory storage)', function () {
  this.timeout(120_000);
  let fake: FakeUpstream;
  let faults: FaultRegistry;
  const lines: string[] = [];

  before(async () => {
    fake = await startFakeUpstream();
    faults = await startFaultRegistry({
      storage: 'memory',
      env: { HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl, TMR_INGEST_MIN_SCORE: '0' },
    });
  });
  after(async () => {
    await faults.registry.close();
    await fake.close();
    if (process.env.FAULT_SWEEP_REPORT !== undefined) process.stdout.write(`${lines.join('\n')}\n`);
  });

  const sweep = async <S>(path: FaultPath<S>): Promise<void> => {
    lines.push(summary(await sweepFaults(path, faults.sweepOptions())));
  };

  it('when any port call of a zip upload fails, times out or is throttled, then the answer is a clear error, nothing is half-stored, and a retry succeeds', async () => {
    await sweep(await uploadZipPath());
  });
  it('when any port call of a multipart upload fails, times out or is throttled, then the same holds', async () => {
    await sweep(await uploadMultipartPath());
  });
  it('when any port call of a registration by URL fails, times out or is throttled, then the same holds', async () => {
    await sweep(ingestUrlPath(fake));
  });
  it('when any port call of a replacement fails, times out or is throttled, then the record keeps its old package or has the new one whole', async () => {
    await sweep(await replacePath());
  });
  it('when any port call of a deletion fails, times out or is throttled, then the record is there with its content or gone', async () => {
    await sweep(await deletePath());
  });
  it('when any port call of a download fails, times out or is throttled, then a clear error and no DOWNLOAD entry, or the intact bytes', async () => {
    await sweep(await downloadPath());
  });
});
