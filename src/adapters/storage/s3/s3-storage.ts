import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { S3Client } from '@aws-sdk/client-s3';
import type { S3Config } from '../../../config';
import type { ArtifactRepository } from '../../../ports/artifact-repository.port';
import type { AuditLog } from '../../../ports/audit-log.port';
import type { BlobStore } from '../../../ports/blob-store.port';
import type { LeaseStore } from '../../../ports/lease-store.port';
import type { PerformanceRunStore } from '../../../ports/performance.port';
import type { TransactionStore } from '../../../ports/transaction-store.port';
import type { TokenStore, UserStore } from '../../../ports/user-store.port';
import { S3ArtifactRepository } from './s3-artifact-repository';
import { S3BlobStore } from './s3-blob-store';
import { S3Bucket } from './s3-bucket';
import { S3LeaseStore } from './s3-lease-store';
import { S3PerformanceRunStore } from './s3-performance-run-store';
import { S3TokenStore } from './s3-token-store';
import { S3TransactionStore } from './s3-transaction-store';
import { S3AuditLog, S3UserStore } from './s3-user-stores';

export interface S3Storage {
  readonly artifacts: ArtifactRepository;
  readonly blobs: BlobStore;
  readonly claims: LeaseStore;
  readonly users: UserStore;
  readonly tokens: TokenStore;
  readonly audit: AuditLog;
  readonly performanceRuns: PerformanceRunStore;
  readonly transactions: TransactionStore;
  close(): void;
}

/** Knobs tests turn; production uses the defaults. */
export interface S3Tuning {
  /** Time allowed to open a connection. */
  readonly connectionTimeoutMs?: number;
  /** Time a metadata request (records, markers, tokens, listings) may take to be answered. */
  readonly requestTimeoutMs?: number;
  /** Time a content request (a blob, a part, a copy) may take to be answered, its upload included. */
  readonly bulkRequestTimeoutMs?: number;
  /** Attempts per request, the first included (the SDK backs off between them). */
  readonly maxAttempts?: number;
  readonly markerGraceMs?: number;
}

/**
 * Every storage port on one S3 bucket (layout in s3-layout.ts). Credentials come from the SDK's
 * default chain: environment variables locally, the function's role in Lambda.
 *
 * A dead endpoint must become STORAGE.UNAVAILABLE well inside the function's 29 s: a refused
 * connection fails at once; a silent one after 3 attempts of at most 2 s to connect and 4 s to
 * answer. Content has its own client, because a part upload is only answered once 8 MiB have gone
 * up, which a slow link may not manage in 4 s.
 */
export function createS3Storage(config: S3Config, tuning: S3Tuning = {}): S3Storage {
  const client = s3Client(config, tuning, tuning.requestTimeoutMs ?? 4_000);
  const bulk = s3Client(config, tuning, tuning.bulkRequestTimeoutMs ?? 120_000);
  const bucket = new S3Bucket(client, config.bucket, bulk);
  return {
    artifacts: new S3ArtifactRepository(bucket, tuning.markerGraceMs === undefined ? {} : { markerGraceMs: tuning.markerGraceMs }),
    blobs: new S3BlobStore(bucket, config.presignSeconds),
    claims: new S3LeaseStore(bucket),
    users: new S3UserStore(bucket),
    tokens: new S3TokenStore(bucket),
    audit: new S3AuditLog(bucket),
    performanceRuns: new S3PerformanceRunStore(bucket),
    transactions: new S3TransactionStore(bucket),
    close: () => {
      client.destroy();
      bulk.destroy();
    },
  };
}

function s3Client(config: S3Config, tuning: S3Tuning, requestTimeoutMs: number): S3Client {
  const agentOptions = { keepAlive: true, maxSockets: 64 };
  return new S3Client({
    region: config.region,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    forcePathStyle: config.forcePathStyle,
    maxAttempts: tuning.maxAttempts ?? 3,
    // Content is addressed and verified by sha256 end to end and TLS protects the wire. The SDK's
    // default trailing checksums would frame streamed bodies in a way S3-compatible servers store
    // verbatim, so they are asked for only where S3 requires them (DeleteObjects).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: tuning.connectionTimeoutMs ?? 2_000,
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
    },
  });
}
