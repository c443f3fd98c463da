import 'reflect-metadata';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container as rootContainer, instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import type { Config, S3Config } from '../../config';
import { DEFAULT_PACKAGE_LIMITS } from '../../domain/package-policy';
import { AuthenticateUser } from '../../application/authenticate-user.use-case';
import { ManageUsers } from '../../application/manage-users.use-cases';
import { LoginThrottle } from '../../application/login-throttle';
import { AuthorizeToken } from '../../application/authorize-token.use-case';
import { BlobGuard } from '../../application/blob-guard';
import { CheckLicense } from '../../application/check-license.use-case';
import { GetCost, GetLineage, GetRating, RefreshEvidence } from '../../application/analysis.use-cases';
import { EvidenceCollector } from '../../application/evidence-collector';
import { LineageService } from '../../application/lineage-service';
import { RatingService } from '../../application/rating-service';
import { DeleteArtifact } from '../../application/delete-artifact.use-case';
import { DownloadPackage } from '../../application/download-package.use-case';
import { FindByName } from '../../application/find-by-name.use-case';
import { GetArtifact } from '../../application/get-artifact.use-case';
import { GetAuditTrail } from '../../application/get-audit-trail.use-case';
import { FindHubRepository, OpenHubFile } from '../../application/hub-repository';
import { DownloadGuard, ManageSensitivity } from '../../application/sensitivity.use-cases';
import { PackageIntake } from '../../application/package-intake';
import { ConfusionCheck, RescanArtifacts } from '../../application/content-security.use-cases';
import { QueryArtifacts } from '../../application/query-artifacts.use-case';
import { RegisterFromUrl } from '../../application/register-from-url.use-case';
import { RegisterPackage } from '../../application/register-package.use-case';
import { ReplacePackage } from '../../application/replace-package.use-case';
import { ReadRegistryAudit } from '../../application/read-registry-audit.use-case';
import { ResetRegistry } from '../../application/reset-registry.use-case';
import { WriteGate } from '../../application/write-gate';
import { SweepUnusedContent } from '../../application/sweep-unused-content.use-case';
import { SearchByRegex } from '../../application/search-by-regex.use-case';
import { SeedDefaultAdmin } from '../../application/seed-default-admin.use-case';
import { SourceIngest } from '../../application/source-ingest';
import { PerformanceRuns } from '../../application/performance-runs';
import { TransactionLedger } from '../../application/transaction-ledger';
import {
  AbortTransaction, CommitTransaction, GetTransaction, OpenTransaction, StageChange, SweepTransactions,
} from '../../application/transactions.use-cases';
import { ChildProcessLoadDriver } from '../performance/child-process-load-driver';
import { runEnvironment } from '../performance/run-environment';
import { LocalPerformanceRunStore } from '../storage/local/local-performance-run-store';
import { LocalTransactionStore } from '../storage/local/local-transaction-store';
import { MemoryTransactionStore } from '../storage/memory/memory-transaction-store';
import { MemoryPerformanceRunStore } from '../storage/memory/memory-performance-run-store';
import { GitHubCodeHost } from '../github/github-code-host';
import { HuggingFaceModelHub } from '../huggingface/hugging-face-model-hub';
import { StoredZipReader } from '../archive/stored-zip-reader';
import { KaggleDatasetHost } from '../kaggle/kaggle-dataset-host';
import { ZipPackageArchive } from '../archive/zip-package-archive';
import { openLocalDatabase } from '../storage/local/local-database';
import { LocalArtifactRepository } from '../storage/local/local-artifact-repository';
import { LocalBlobStore } from '../storage/local/local-blob-store';
import { LocalLeaseStore } from '../storage/local/local-lease-store';
import { MemoryLeaseStore } from '../storage/memory/memory-lease-store';
import { ContentSweeps } from '../system/content-sweeps';
import { WalGroupCommit } from '../storage/local/wal-group-commit';
import { LocalAuditLog, LocalTokenStore, LocalUserStore } from '../storage/local/local-user-stores';
import type { DynamoDbTokenStore } from '../storage/dynamodb/dynamodb-token-store';
import { MemoryArtifactRepository } from '../storage/memory/memory-artifact-repository';
import { MemoryBlobStore } from '../storage/memory/memory-blob-store';
import { MemoryAuditLog, MemoryTokenStore, MemoryUserStore } from '../storage/memory/memory-user-stores';
import { createPino, PinoLogger } from '../system/pino-logger';
import { HOOK_OUTPUT_BYTES, NodeHookRunner } from '../system/node-hook-runner';
import { RecentLogs } from '../system/recent-logs';
import { DiskSpace } from '../system/disk-space';
import { ScratchSpace } from '../system/scratch-space';
import {
  Argon2PasswordHasher, RandomSecretGenerator, Re2PatternCompiler, SystemClock, UlidIdGenerator,
} from '../system/system-adapters';
import { Lifecycle, Tokens, type Token } from './tokens';

export const resolve = <T>(container: DependencyContainer, key: Token<T>): T => container.resolve<T>(key);

const value = <T>(container: DependencyContainer, key: Token<T>, instance: T): void => {
  container.register<T>(key, { useValue: instance });
};

/** Registers a class token built by a factory the compiler checks, once per container. */
function single<T>(container: DependencyContainer, key: abstract new (...args: never[]) => T, build: (c: DependencyContainer) => T): void {
  container.register<T>(key as never, { useFactory: instanceCachingFactory<T>(build) });
}

/**
 * The one composition root. Configuration picks the storage adapters; everything else is the same
 * in every mode. Tests build a container from a test config and may override single registrations.
 */
export function createContainer(config: Config, parent: DependencyContainer = rootContainer): DependencyContainer {
  const c = parent.createChildContainer();
  const lifecycle = new Lifecycle();
  const recentLogs = new RecentLogs();
  const pinoLogger = createPino(config.logLevel, recentLogs);
  value(c, Tokens.RecentLogs, recentLogs);
  value(c, Tokens.Config, config);
  value(c, Tokens.Lifecycle, lifecycle);
  value(c, Tokens.Pino, pinoLogger);
  value(c, Tokens.Logger, new PinoLogger(pinoLogger));
  value(c, Tokens.Clock, new SystemClock());
  value(c, Tokens.IdGenerator, new UlidIdGenerator());
  value(c, Tokens.SecretGenerator, new RandomSecretGenerator());
  value(c, Tokens.PasswordHasher, new Argon2PasswordHasher());
  value(c, Tokens.PatternCompiler, new Re2PatternCompiler());
  value(c, Tokens.PackageLimits, DEFAULT_PACKAGE_LIMITS);
  const logger = resolve(c, Tokens.Logger);
  const scratch = registerScratch(c, config, lifecycle);
  const stagingDir = scratch.path('staging');
  value(c, Tokens.PackageArchive, new ZipPackageArchive(stagingDir));
  value(c, Tokens.ModelHub, new HuggingFaceModelHub({
    endpoint: config.hfEndpoint, timeoutMs: config.upstreamTimeoutMs, logger, stagingDir, ...(config.hfToken === undefined ? {} : { token: config.hfToken }),
  }));
  value(c, Tokens.CodeHost, new GitHubCodeHost({
    apiUrl: config.githubApiUrl, timeoutMs: config.upstreamTimeoutMs, logger, stagingDir, ...(config.githubToken === undefined ? {} : { token: config.githubToken }),
  }));
  value(c, Tokens.LoadDriver, new ChildProcessLoadDriver());
  if (config.kaggle !== undefined) {
    value(c, Tokens.DatasetHost, new KaggleDatasetHost({
      apiUrl: config.kaggleApiUrl, username: config.kaggle.username, key: config.kaggle.key, timeoutMs: config.upstreamTimeoutMs, logger, stagingDir,
    }));
  }
  registerStorage(c, config, lifecycle);
  // Serving does not wait on it: readers ignore unfinished groups, and the next start tries again.
  lifecycle.onStart(async () => {
    const settled = await resolve(c, Tokens.ArtifactRepository).recoverGroups().catch((error: unknown) => {
      logger.warn('could not finish group commits a crash interrupted', { error: String(error) });
      return 0;
    });
    if (settled > 0) logger.info('finished or undid group commits a crash interrupted', { groups: settled });
  });
  value(c, Tokens.HookRunner, new NodeHookRunner(resolve(c, Tokens.BlobStore), logger, {
    timeoutMs: config.hookTimeoutMs, memoryMb: config.hookMemoryMb, outputBytes: HOOK_OUTPUT_BYTES, workRoot: scratch.path('hooks'),
  }));
  registerUseCases(c);
  registerPerformanceRuns(c, config, lifecycle);
  registerTransactions(c, config, lifecycle);
  registerSweeps(c, config, lifecycle, scratch);
  return c;
}

/**
 * Temporary files live in a directory of this instance's own: under the data directory for local
 * storage (same disk as the blobs, so finished writes are renamed into place), else under the
 * system's temporary directory. What dead instances left there is swept before serving.
 */
function registerScratch(c: DependencyContainer, config: Config, lifecycle: Lifecycle): ScratchSpace {
  const root = config.storage === 'local' ? join(config.dataDir, 'scratch') : join(tmpdir(), 'tmr-scratch');
  const scratch = new ScratchSpace(root);
  value(c, Tokens.Scratch, scratch);
  value(c, Tokens.DiskSpace, new DiskSpace(config.storage === 'local' ? config.dataDir : root));
  lifecycle.onStart(async () => {
    const swept = await scratch.sweepDead();
    if (swept > 0) resolve(c, Tokens.Logger).info('removed temporary files of instances that did not shut down', { directories: swept, root });
  });
  lifecycle.onClose(() => scratch.close());
  return scratch;
}

/**
 * Unused content is swept by the process itself on shared storage (local, or S3 from a server),
 * at start-up and then periodically; memory storage dies with its process. A Lambda function sets
 * the interval to 0: a scheduled function of its own sweeps instead (handler.ts, `sweep`).
 */
function registerSweeps(c: DependencyContainer, config: Config, lifecycle: Lifecycle, scratch: ScratchSpace): void {
  if (config.storage === 'memory' || config.sweepIntervalMs === 0) return;
  const sweeps = new ContentSweeps(async () => {
    await c.resolve(SweepUnusedContent).execute();
    await scratch.sweepDead();
  }, config.sweepIntervalMs, resolve(c, Tokens.Logger));
  lifecycle.onStart(async () => sweeps.start());
  lifecycle.onClose(() => sweeps.stop());
}

function registerStorage(c: DependencyContainer, config: Config, lifecycle: Lifecycle): void {
  if (config.storage === 'memory') {
    value(c, Tokens.ArtifactRepository, new MemoryArtifactRepository());
    value(c, Tokens.BlobStore, new MemoryBlobStore());
    value(c, Tokens.LeaseStore, new MemoryLeaseStore());
    value(c, Tokens.UserStore, new MemoryUserStore());
    value(c, Tokens.TokenStore, new MemoryTokenStore());
    value(c, Tokens.AuditLog, new MemoryAuditLog());
    value(c, Tokens.PerformanceRunStore, new MemoryPerformanceRunStore());
    value(c, Tokens.TransactionStore, new MemoryTransactionStore());
    return;
  }
  if (config.storage === 's3' && config.s3 !== undefined) {
    const s3 = awsAdapters().s3.createS3Storage(config.s3);
    lifecycle.onClose(() => s3.close());
    value(c, Tokens.ArtifactRepository, s3.artifacts);
    value(c, Tokens.BlobStore, s3.blobs);
    value(c, Tokens.LeaseStore, s3.claims);
    value(c, Tokens.UserStore, s3.users);
    value(c, Tokens.TokenStore, config.s3.tokensTable === undefined ? s3.tokens : dynamoDbTokens(config.s3, config.s3.tokensTable, lifecycle));
    value(c, Tokens.AuditLog, s3.audit);
    value(c, Tokens.PerformanceRunStore, s3.performanceRuns);
    value(c, Tokens.TransactionStore, s3.transactions);
    return;
  }
  const db = openLocalDatabase(config.dataDir);
  lifecycle.onClose(() => {
    db.close();
  });
  // Token uses and audit entries, written on every call, share log syncs (group commit) on their own
  // connection; the small reads every call makes (its user, the change counter) go through it too.
  const ledger = openLocalDatabase(config.dataDir, { sync: 'group' });
  const commits = new WalGroupCommit(ledger);
  lifecycle.onClose(async () => {
    await commits.close();
    ledger.close();
  });
  value(c, Tokens.ArtifactRepository, new LocalArtifactRepository(db, ledger));
  const blobs = new LocalBlobStore(config.dataDir, { tmpDir: resolve(c, Tokens.Scratch).path('parts'), space: resolve(c, Tokens.DiskSpace) });
  // Versions before per-instance scratch areas wrote here; what they left will never be completed.
  lifecycle.onStart(async () => {
    await blobs.sweepTemporary(60 * 60 * 1000, new Date());
  });
  value(c, Tokens.BlobStore, blobs);
  value(c, Tokens.LeaseStore, new LocalLeaseStore(config.dataDir));
  value(c, Tokens.UserStore, new LocalUserStore(db));
  value(c, Tokens.TransactionStore, new LocalTransactionStore(db));
  value(c, Tokens.TokenStore, new LocalTokenStore(ledger, commits));
  value(c, Tokens.AuditLog, new LocalAuditLog(ledger, commits));
  value(c, Tokens.PerformanceRunStore, new LocalPerformanceRunStore(config.dataDir));
}

/**
 * The AWS SDK is loaded only in S3 mode: its modules were a tenth of a local server's start-up.
 * Plain `require`, because the container is built synchronously.
 */
function awsAdapters() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    s3: require('../storage/s3/s3-storage') as typeof import('../storage/s3/s3-storage'),
    tokens: require('../storage/dynamodb/dynamodb-token-store') as typeof import('../storage/dynamodb/dynamodb-token-store'),
    table: require('../storage/dynamodb/dynamodb-tokens-table') as typeof import('../storage/dynamodb/dynamodb-tokens-table'),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

function dynamoDbTokens(s3: S3Config, table: string, lifecycle: Lifecycle): DynamoDbTokenStore {
  const { tokens, table: tables } = awsAdapters();
  const client = tables.dynamoDbClient({ table, region: s3.region, ...(s3.dynamoDbEndpoint === undefined ? {} : { endpoint: s3.dynamoDbEndpoint }) });
  lifecycle.onClose(() => client.destroy());
  return new tokens.DynamoDbTokenStore(client, table);
}

function registerPerformanceRuns(c: DependencyContainer, config: Config, lifecycle: Lifecycle): void {
  single(c, PerformanceRuns, (k) => {
    const runs = new PerformanceRuns({
      store: resolve(k, Tokens.PerformanceRunStore),
      driver: resolve(k, Tokens.LoadDriver),
      repository: resolve(k, Tokens.ArtifactRepository),
      users: resolve(k, Tokens.UserStore),
      tokens: resolve(k, Tokens.TokenStore),
      hasher: resolve(k, Tokens.PasswordHasher),
      secrets: resolve(k, Tokens.SecretGenerator),
      ids: resolve(k, Tokens.IdGenerator),
      clock: resolve(k, Tokens.Clock),
      environment: runEnvironment(config),
      logger: resolve(k, Tokens.Logger),
    });
    // Stopped before the storage closes (closers run in reverse order), so the run can still be saved.
    lifecycle.onClose(() => runs.stop());
    return runs;
  });
}

function registerUseCases(c: DependencyContainer): void {
  const r = <T>(key: Token<T>) => (k: DependencyContainer): T => resolve(k, key);
  const repo = r(Tokens.ArtifactRepository);
  const clock = r(Tokens.Clock);
  const audit = r(Tokens.AuditLog);
  const users = r(Tokens.UserStore);
  const tokens = r(Tokens.TokenStore);
  single(c, BlobGuard, (k) => new BlobGuard(resolve(k, Tokens.LeaseStore), resolve(k, Tokens.BlobStore), clock(k)));
  single(c, WriteGate, () => new WriteGate());
  single(c, PackageIntake, (k) => new PackageIntake(
    resolve(k, Tokens.PackageArchive), resolve(k, Tokens.BlobStore), repo(k), k.resolve(BlobGuard),
    resolve(k, Tokens.PackageLimits), resolve(k, Tokens.Logger), clock(k), k.resolve(WriteGate), resolve(k, Tokens.TransactionStore),
  ));
  single(c, SeedDefaultAdmin, (k) => new SeedDefaultAdmin(users(k), resolve(k, Tokens.PasswordHasher), resolve(k, Tokens.Config).adminPassword));
  single(c, LoginThrottle, () => new LoginThrottle());
  single(c, AuthenticateUser, (k) => new AuthenticateUser(users(k), tokens(k), resolve(k, Tokens.PasswordHasher), resolve(k, Tokens.SecretGenerator), clock(k), k.resolve(LoginThrottle)));
  single(c, AuthorizeToken, (k) => new AuthorizeToken(users(k), tokens(k), clock(k)));
  single(c, ManageUsers, (k) => new ManageUsers(users(k), tokens(k), resolve(k, Tokens.PasswordHasher), resolve(k, Tokens.Logger), clock(k), k.resolve(LoginThrottle)));
  single(c, LineageService, (k) => new LineageService(repo(k)));
  single(c, EvidenceCollector, (k) => new EvidenceCollector(resolve(k, Tokens.ModelHub), resolve(k, Tokens.CodeHost), clock(k), k.resolve(LineageService)));
  single(c, RatingService, (k) => new RatingService(k.resolve(EvidenceCollector), k.resolve(LineageService), repo(k), resolve(k, Tokens.Config).ingestMinScore));
  single(c, GetRating, (k) => new GetRating(repo(k), k.resolve(RatingService), audit(k), clock(k)));
  single(c, RefreshEvidence, (k) => new RefreshEvidence(repo(k), k.resolve(RatingService), audit(k), clock(k)));
  single(c, GetLineage, (k) => new GetLineage(repo(k), k.resolve(LineageService)));
  single(c, GetCost, (k) => new GetCost(repo(k), k.resolve(LineageService)));
  single(c, ConfusionCheck, (k) => new ConfusionCheck(repo(k), audit(k), clock(k)));
  single(c, RescanArtifacts, (k) => new RescanArtifacts(repo(k), resolve(k, Tokens.BlobStore), resolve(k, Tokens.PackageArchive), resolve(k, Tokens.PackageLimits), audit(k), clock(k)));
  single(c, RegisterPackage, (k) => new RegisterPackage(k.resolve(PackageIntake), repo(k), audit(k), resolve(k, Tokens.IdGenerator), clock(k), k.resolve(RatingService), k.resolve(ConfusionCheck)));
  single(c, ReplacePackage, (k) => new ReplacePackage(k.resolve(PackageIntake), repo(k), audit(k), clock(k), k.resolve(RatingService)));
  single(c, SourceIngest, (k) => {
    const config = resolve(k, Tokens.Config);
    const kaggle = k.isRegistered(Tokens.DatasetHost, true) ? resolve(k, Tokens.DatasetHost) : undefined;
    return new SourceIngest(resolve(k, Tokens.ModelHub), resolve(k, Tokens.CodeHost), k.resolve(PackageIntake), clock(k), config.maxIngestBytes, kaggle);
  });
  single(c, RegisterFromUrl, (k) => new RegisterFromUrl(
    k.resolve(SourceIngest), k.resolve(PackageIntake), repo(k), audit(k), resolve(k, Tokens.IdGenerator), clock(k), k.resolve(RatingService),
    resolve(k, Tokens.Config).registrationGate,
    k.resolve(ConfusionCheck),
  ));
  single(c, GetArtifact, (k) => new GetArtifact(repo(k)));
  single(c, CheckLicense, (k) => new CheckLicense(repo(k), resolve(k, Tokens.CodeHost)));
  single(c, DeleteArtifact, (k) => new DeleteArtifact(repo(k), k.resolve(PackageIntake), audit(k), clock(k)));
  single(c, QueryArtifacts, (k) => new QueryArtifacts(repo(k)));
  single(c, FindByName, (k) => new FindByName(repo(k)));
  single(c, SearchByRegex, (k) => new SearchByRegex(repo(k), resolve(k, Tokens.PatternCompiler)));
  single(c, DownloadGuard, (k) => new DownloadGuard(resolve(k, Tokens.HookRunner), audit(k), clock(k)));
  single(c, ManageSensitivity, (k) => new ManageSensitivity(repo(k), audit(k), clock(k)));
  single(c, DownloadPackage, (k) => new DownloadPackage(
    repo(k), resolve(k, Tokens.BlobStore), k.resolve(DownloadGuard), resolve(k, Tokens.Config).s3?.presignSeconds,
  ));
  single(c, GetAuditTrail, (k) => new GetAuditTrail(repo(k), audit(k), clock(k)));
  single(c, StoredZipReader, (k) => new StoredZipReader(resolve(k, Tokens.BlobStore)));
  single(c, FindHubRepository, (k) => {
    const config = resolve(k, Tokens.Config);
    return new FindHubRepository(repo(k), k.resolve(RatingService), { trustedOnly: config.hubApiTrustedOnly, minScore: config.ingestMinScore });
  });
  single(c, OpenHubFile, (k) => new OpenHubFile(k.resolve(FindHubRepository), k.resolve(StoredZipReader), k.resolve(DownloadGuard)));
  single(c, ReadRegistryAudit, (k) => new ReadRegistryAudit(audit(k)));
  single(c, ResetRegistry, (k) => new ResetRegistry(
    repo(k), resolve(k, Tokens.BlobStore), audit(k), users(k), tokens(k), k.resolve(SeedDefaultAdmin), k.resolve(WriteGate), k.resolve(BlobGuard),
    resolve(k, Tokens.TransactionStore),
  ));
  single(c, SweepUnusedContent, (k) => new SweepUnusedContent(
    resolve(k, Tokens.BlobStore), k.resolve(BlobGuard), k.resolve(PackageIntake), clock(k), resolve(k, Tokens.Logger), resolve(k, Tokens.Config).sweepGraceMs,
  ));
}

/** Transactions over the storage's TransactionStore; expired ones are swept at start-up and every minute. */
function registerTransactions(c: DependencyContainer, config: Config, lifecycle: Lifecycle): void {
  const clock = (k: DependencyContainer) => resolve(k, Tokens.Clock);
  single(c, TransactionLedger, (k) => new TransactionLedger(resolve(k, Tokens.TransactionStore), clock(k)));
  single(c, AbortTransaction, (k) => new AbortTransaction(k.resolve(TransactionLedger), k.resolve(PackageIntake)));
  single(c, SweepTransactions, (k) => new SweepTransactions(k.resolve(TransactionLedger), k.resolve(AbortTransaction), resolve(k, Tokens.ArtifactRepository), clock(k)));
  single(c, OpenTransaction, (k) => new OpenTransaction(k.resolve(TransactionLedger), k.resolve(SweepTransactions), resolve(k, Tokens.IdGenerator), clock(k), config.transactionTtlMs));
  single(c, GetTransaction, (k) => new GetTransaction(k.resolve(TransactionLedger)));
  single(c, StageChange, (k) => new StageChange(
    k.resolve(TransactionLedger), k.resolve(RegisterPackage), k.resolve(RegisterFromUrl), k.resolve(ReplacePackage), resolve(k, Tokens.ArtifactRepository),
  ));
  single(c, CommitTransaction, (k) => new CommitTransaction(
    k.resolve(TransactionLedger), resolve(k, Tokens.ArtifactRepository), k.resolve(RegisterFromUrl), k.resolve(PackageIntake), resolve(k, Tokens.AuditLog),
    k.resolve(WriteGate), clock(k), resolve(k, Tokens.Logger),
  ));
  let timer: NodeJS.Timeout | undefined;
  const sweep = async (): Promise<void> => {
    const aborted = await c.resolve(SweepTransactions).execute();
    if (aborted > 0) resolve(c, Tokens.Logger).info('aborted expired transactions', { aborted });
  };
  lifecycle.onStart(async () => {
    await sweep();
    timer = setInterval(() => {
      sweep().catch((error: unknown) => resolve(c, Tokens.Logger).warn('sweeping expired transactions failed', { error: String(error) }));
    }, Math.min(60_000, config.transactionTtlMs));
    // The sweep must never keep a process alive that has nothing else to do.
    timer.unref();
  });
  lifecycle.onClose(() => clearInterval(timer));
}
