import { deletePath, uploadZipPath } from '../support/faults/fault-paths';
import { faultSuite, startBucket } from '../support/faults/fault-registry';
import type { FaultPath } from '../support/faults/fault-sweep';
import type { FaultMode } from '../support/faults/port-faults';
import { S3RequestFaults } from '../support/faults/s3-request-faults';
import { s3BlobLister } from '../support/faults/store-consistency';

/*
 * Below the ports: the S3 server drops the answer of its N-th request after carrying it out, the
 * failure a client cannot tell from a request that never arrived. The SDK retries; conditional
 * writes and deletes must recognise their own earlier attempt.
 */
describe('API: a fault at every S3 request (s3rver answering 503 or dropping the answer)', function () {
  this.timeout(120_000);
  const suite = faultSuite(startBucket, (faults, { s3, bucket }) => ({ ...faults.sweepOptions(s3BlobLister(s3.client(), bucket)), injector: new S3RequestFaults(s3) }));
  const sweep = <S>(path: FaultPath<S>, modes: readonly FaultMode[]): Promise<void> => suite.sweep(path, { modes });

  it('when any S3 request of an upload loses its answer, then a clear error or success, never a record without blobs, and a retry succeeds', async () => {
    await sweep(await uploadZipPath(), ['timeout']);
  });
  it('when any S3 request of a deletion loses its answer, then the record is there with its content or gone', async () => {
    await sweep(await deletePath(), ['timeout']);
  });
});
