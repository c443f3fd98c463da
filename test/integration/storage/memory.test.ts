import { MemoryArtifactRepository } from '../../../src/adapters/storage/memory/memory-artifact-repository';
import { MemoryBlobStore } from '../../../src/adapters/storage/memory/memory-blob-store';
import { MemoryLeaseStore } from '../../../src/adapters/storage/memory/memory-lease-store';
import { blobListingContract, leaseStoreContract } from '../../support/lease-store-contract';
import { MemoryAuditLog, MemoryTokenStore, MemoryUserStore } from '../../../src/adapters/storage/memory/memory-user-stores';
import {
  artifactRepositoryContract,
  auditLogContract,
  blobStoreContract,
  tokenStoreContract,
  userStoreContract,
  type Subject,
} from '../../support/storage-contract';

const inMemory = <T>(subject: T): Promise<Subject<T>> => Promise.resolve({ subject, close: async () => undefined });

describe('memory storage adapters', () => {
  artifactRepositoryContract('MemoryArtifactRepository', () => inMemory(new MemoryArtifactRepository()), { snapshotListings: true });
  blobStoreContract('MemoryBlobStore', () => inMemory(new MemoryBlobStore()));
  blobListingContract('MemoryBlobStore', () => inMemory(new MemoryBlobStore()));
  leaseStoreContract('MemoryLeaseStore', () => inMemory(new MemoryLeaseStore()));
  userStoreContract('MemoryUserStore', () => inMemory(new MemoryUserStore()));
  tokenStoreContract('MemoryTokenStore', () => inMemory(new MemoryTokenStore()));
  auditLogContract('MemoryAuditLog', () => inMemory(new MemoryAuditLog()));
});
