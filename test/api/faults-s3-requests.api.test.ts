import { deletePath, uploadZipPath } from '../support/faults/fault-paths';
import { startFaultRegistry, summary, type FaultRegistry } from '../support/faults/fault-registry';
import { sweepFaults, type FaultPath } from '../support/faults/fault-sweep';
import type { FaultMode } from '../support/faults/port-faults';
import { S3RequestFaults } from '../support/faults/s3-request-faults';
import { s3BlobLister } from '../support/faults/store-consistency';
import { startLocalS3, type LocalS3 } from '../support/s3rver';

/*
 * Below the ports: the S3 server drops the answer of its N-th request after carrying it out, the
 * failure a client cannot tell from a request that never arrived. The SDK retries; conditional
 * writes and deletes must recognise their own earlier attempt.
 */
describe('API: a fault at every S3 request (s3rver answering 503 or dropping the answer)', function () {
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
    const options = { ...faults.sweepOptions(s3BlobLister(s3.client(), bucket)), injector: new S3RequestFaults(s3), modes };
    lines.push(summary(await sweepFaults(path, options)));
  };

  it('when any S3 request of an upload loses its answer, then a clear error or success, never a record without blobs, and a retry succeeds', async () => {
    await sweep(await uploadZipPath(), ['timeout']);
  });
  it('when any S3 request of a deletion loses its answer, then the record is there with its content or gone', async () => {
    await sweep(await deletePath(), ['timeout']);
  });
});
