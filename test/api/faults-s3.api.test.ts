import { deletePath, downloadPath, replacePath, transactionPath, uploadZipPath } from '../support/faults/fault-paths';
import { faultSuite, startBucket } from '../support/faults/fault-registry';
import type { FaultPath } from '../support/faults/fault-sweep';
import type { FaultMode } from '../support/faults/port-faults';
import { s3BlobLister } from '../support/faults/store-consistency';

describe('API: a storage fault at every port call (S3 storage on s3rver)', function () {
  this.timeout(120_000);
  const suite = faultSuite(startBucket, (faults, { s3, bucket }) => faults.sweepOptions(s3BlobLister(s3.client(), bucket)));
  const sweep = <S>(path: FaultPath<S>, modes: readonly FaultMode[]): Promise<void> => suite.sweep(path, { modes });

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
