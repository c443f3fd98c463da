import type { S3Config } from '../../../config';
import type { ArtifactRepository } from '../../../ports/artifact-repository.port';
import type { AuditLog } from '../../../ports/audit-log.port';
import type { BlobStore } from '../../../ports/blob-store.port';
import type { TokenStore, UserStore } from '../../../ports/user-store.port';

export interface S3Storage {
  readonly artifacts: ArtifactRepository;
  readonly blobs: BlobStore;
  readonly users: UserStore;
  readonly tokens: TokenStore;
  readonly audit: AuditLog;
  close(): void;
}

/** Every storage port on one S3 bucket. */
export function createS3Storage(config: S3Config): S3Storage {
  throw new Error(`S3 storage for bucket ${config.bucket} is being built`);
}
