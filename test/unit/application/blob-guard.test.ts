import { MemoryBlobStore } from '../../../src/adapters/storage/memory/memory-blob-store';
import { MemoryLeaseStore } from '../../../src/adapters/storage/memory/memory-lease-store';
import { blobGuardScenarios } from '../../support/blob-guard-scenarios';

blobGuardScenarios('memory storage', async () => {
  const side = { claims: new MemoryLeaseStore(), blobs: new MemoryBlobStore() };
  return { writer: side, deleter: side, close: async () => undefined };
});
