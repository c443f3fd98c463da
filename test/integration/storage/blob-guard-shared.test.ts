import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBlobStore } from '../../../src/adapters/storage/local/local-blob-store';
import { LocalLeaseStore } from '../../../src/adapters/storage/local/local-lease-store';
import { createS3Storage } from '../../../src/adapters/storage/s3/s3-storage';
import { blobGuardScenarios } from '../../support/blob-guard-scenarios';
import { startLocalS3, type LocalS3 } from '../../support/s3rver';

// Each side has adapters of its own over the same data, as two processes do: what one writes, the
// other sees only through the file system or the bucket.
describe('the blob guard across processes, through real storage', () => {
  blobGuardScenarios('one local data directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tmr-guard-'));
    const side = () => ({ claims: new LocalLeaseStore(dir), blobs: new LocalBlobStore(dir) });
    return { writer: side(), deleter: side(), close: () => rm(dir, { recursive: true, force: true }) };
  });

  describe('on s3rver', () => {
    let s3: LocalS3;
    before(async () => {
      s3 = await startLocalS3();
    });
    after(() => s3.close());

    blobGuardScenarios('one S3 bucket', async () => {
      const config = s3.config(await s3.newBucket());
      const [writer, deleter] = [createS3Storage(config), createS3Storage(config)];
      return {
        writer: { claims: writer.claims, blobs: writer.blobs },
        deleter: { claims: deleter.claims, blobs: deleter.blobs },
        close: async () => {
          writer.close();
          deleter.close();
        },
      };
    });
  });
});
