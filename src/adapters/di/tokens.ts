import type { ArtifactRepository } from '../../ports/artifact-repository.port';
import type { AuditLog } from '../../ports/audit-log.port';
import type { BlobStore } from '../../ports/blob-store.port';
import type { LeaseStore } from '../../ports/lease-store.port';
import type { PackageArchive } from '../../ports/package-archive.port';
import type { HookRunner } from '../../ports/hook-runner.port';
import type {
  Clock, IdGenerator, Logger, PasswordHasher, PatternCompiler, SecretGenerator,
} from '../../ports/system.port';
import type { TokenStore, UserStore } from '../../ports/user-store.port';
import type { TransactionStore } from '../../ports/transaction-store.port';
import type { CodeHost, DatasetHost, ModelHub } from '../../ports/source-hubs.port';
import type { Config } from '../../config';
import type { LoadDriver, PerformanceRunStore } from '../../ports/performance.port';
import type { PackageLimits } from '../../domain/package-policy';
import type pino from 'pino';
import type { RecentLogs } from '../system/recent-logs';
import type { DiskSpace } from '../system/disk-space';
import type { ScratchSpace } from '../system/scratch-space';

/** A symbol that remembers the type registered under it, so resolving it needs no cast. */
export type Token<T> = symbol & { readonly __type?: T };
const token = <T>(description: string): Token<T> => Symbol(description) as Token<T>;

export const Tokens = {
  Config: token<Config>('Config'),
  Pino: token<pino.Logger>('Pino'),
  Logger: token<Logger>('Logger'),
  Clock: token<Clock>('Clock'),
  IdGenerator: token<IdGenerator>('IdGenerator'),
  SecretGenerator: token<SecretGenerator>('SecretGenerator'),
  PasswordHasher: token<PasswordHasher>('PasswordHasher'),
  PatternCompiler: token<PatternCompiler>('PatternCompiler'),
  ArtifactRepository: token<ArtifactRepository>('ArtifactRepository'),
  BlobStore: token<BlobStore>('BlobStore'),
  /** Leases and deletion claims on blobs, shared by every process on the same storage. */
  LeaseStore: token<LeaseStore>('LeaseStore'),
  UserStore: token<UserStore>('UserStore'),
  TokenStore: token<TokenStore>('TokenStore'),
  AuditLog: token<AuditLog>('AuditLog'),
  PackageArchive: token<PackageArchive>('PackageArchive'),
  PackageLimits: token<PackageLimits>('PackageLimits'),
  ModelHub: token<ModelHub>('ModelHub'),
  CodeHost: token<CodeHost>('CodeHost'),
  /** Registered only when Kaggle credentials are configured. */
  DatasetHost: token<DatasetHost>('DatasetHost'),
  Lifecycle: token<Lifecycle>('Lifecycle'),
  RecentLogs: token<RecentLogs>('RecentLogs'),
  Scratch: token<ScratchSpace>('Scratch'),
  DiskSpace: token<DiskSpace>('DiskSpace'),
  HookRunner: token<HookRunner>('HookRunner'),
  PerformanceRunStore: token<PerformanceRunStore>('PerformanceRunStore'),
  LoadDriver: token<LoadDriver>('LoadDriver'),
  TransactionStore: token<TransactionStore>('TransactionStore'),
} as const;

/**
 * Work to do once before serving (sweeping what dead instances left) and resources to release on
 * shutdown (database handles), the latter in reverse order of opening.
 */
export class Lifecycle {
  private readonly closers: (() => void | Promise<void>)[] = [];
  private readonly starters: (() => Promise<void>)[] = [];

  onStart(starter: () => Promise<void>): void {
    this.starters.push(starter);
  }

  async start(): Promise<void> {
    for (const starter of this.starters.splice(0)) await starter();
  }

  onClose(closer: () => void | Promise<void>): void {
    this.closers.push(closer);
  }

  async close(): Promise<void> {
    for (const closer of this.closers.splice(0).reverse()) await closer();
  }
}
