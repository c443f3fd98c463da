import { deletePath, downloadPath, replacePath, transactionPath, uploadZipPath } from '../support/faults/fault-paths';
import { startFaultRegistry, summary, type FaultRegistry } from '../support/faults/fault-registry';
import { sweepFaults, type FaultPath } from '../support/faults/fault-sweep';
import type { FaultMode } from '../support/faults/port-faults';
import { s3BlobLister } from '../support/faults/store-consistency';
import { startLocalS3, type LocalS3 } from '../support/s3rver';

describe('API: a storage fault at every port call (S3 storage on s3rver)', function () {
  this.timeout(120_000);
  let s3: LocalS3;
  let bucket: string;
  let faults: FaultRegistry;
  const lines: string[] = [];

  before(async () => {
    s3 = await startLocalS3();
    bucket = await s3.newBucket();
    faults = await startFaultRegistry({ storage: 's3', env: s3.env(bucket) });
  });
  after(async () => {
    await faults.registry.close();
    await s3.close();
    if (process.env.FAULT_SWEEP_REPORT !== undefined) process.stdout.write(`${lines.join('\n')}\n`);
  });

  const sweep = async <S>(path: FaultPath<S>, modes: readonly FaultMode[]): Promise<void> => {
    lines.push(summary(await sweepFaults(path, { ...faults.sweepOptions(s3BlobLister(s3.client(), bucket)), modes })));
  };

  it('when any port call of an upload is throttled, then a clear error, no object without its record in the bucket, and a retry succeeds', async () => {
    await sweep(await uploadZipPath(), ['throttle']);
  });
  it('when any port call of a deletion times out, then the record is there with its content or gone, and what a failed release left is swept', async () => {
    await sweep(await deletePath(), ['timeout']);
  });
  it('when any port call of a replacement fails, then the record keeps its old package or has the new one whole', async () => {
    await sweep(await replacePath(), ['fail']);
  });
  it('when any port call of a transaction commit fails, then the release is applied whole with its audit entries or not at all', async () => {
    await sweep(await transactionPath(), ['fail']);
  });
  it('when any port call of a download is throttled, then a clear error and no DOWNLOAD entry, or a presigned redirect', async () => {
    await sweep(await downloadPath(), ['throttle']);
  });
});
