import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalDatabase } from '../../../src/adapters/storage/local/local-database';
import { LocalTransactionStore } from '../../../src/adapters/storage/local/local-transaction-store';
import { MemoryTransactionStore } from '../../../src/adapters/storage/memory/memory-transaction-store';
import { createS3Storage } from '../../../src/adapters/storage/s3/s3-storage';
import { startLocalS3, type LocalS3 } from '../../support/s3rver';
import { transactionStoreContract } from '../../support/transaction-store-contract';

describe('Transaction stores', () => {
  transactionStoreContract('MemoryTransactionStore', async () => ({ subject: new MemoryTransactionStore(), close: async () => undefined }));

  transactionStoreContract('LocalTransactionStore', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tmr-txn-'));
    const db = openLocalDatabase(dir);
    return {
      subject: new LocalTransactionStore(db),
      close: async () => {
        db.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  });

  describe('on s3rver', () => {
    let s3: LocalS3;
    before(async () => {
      s3 = await startLocalS3();
    });
    after(() => s3.close());
    transactionStoreContract('S3TransactionStore', async () => {
      const storage = createS3Storage(s3.config(await s3.newBucket()), { maxAttempts: 2 });
      return { subject: storage.transactions, close: async () => storage.close() };
    });
  });
});
