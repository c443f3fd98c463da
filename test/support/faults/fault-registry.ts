import { Tokens } from '../../../src/adapters/di/tokens';
import { BlobGuard } from '../../../src/application/blob-guard';
import { PackageIntake } from '../../../src/application/package-intake';
import { SweepUnusedContent } from '../../../src/application/sweep-unused-content.use-case';
import type { ArtifactRepository } from '../../../src/ports/artifact-repository.port';
import type { BlobStore } from '../../../src/ports/blob-store.port';
import type { TransactionStore } from '../../../src/ports/transaction-store.port';
import { startLocalS3, type LocalS3 } from '../s3rver';
import { startTestRegistry, type TestRegistry, type TestRegistryOptions } from '../test-registry';
import { sweepFaults, type FaultPath, type SweepOptions, type SweepReport } from './fault-sweep';
import { FaultPlan, installPortFaults } from './port-faults';
import { localBlobLister, probedBlobLister, type BlobLister } from './store-consistency';

export interface FaultRegistry {
  readonly registry: TestRegistry;
  readonly plan: FaultPlan;
  /** The stores behind the faults. */
  readonly repository: ArtifactRepository;
  readonly blobStore: BlobStore;
  sweepOptions(blobs?: BlobLister): SweepOptions;
}

/** A real registry whose storage ports are wrapped in one fault plan. */
export async function startFaultRegistry(options: TestRegistryOptions): Promise<FaultRegistry> {
  const plan = new FaultPlan();
  let originals = new Map<string, object>();
  const registry = await startTestRegistry({
    ...options,
    configure: (container) => {
      options.configure?.(container);
      originals = installPortFaults(container, plan);
    },
  });
  const repository = originals.get('ArtifactRepository') as ArtifactRepository;
  const blobStore = originals.get('BlobStore') as BlobStore;
  const defaultBlobs = options.storage === 'local' ? localBlobLister(registry.dataDir) : probedBlobLister(blobStore, () => plan.stored);
  return {
    registry,
    plan,
    repository,
    blobStore,
    sweepOptions: (blobs = defaultBlobs) => ({
      registry,
      plan,
      repository,
      blobs,
      staged: (sha: string) => registry.container.resolve<TransactionStore>(Tokens.TransactionStore).referencesBlob(sha),
      // The registry's own sweeper, without its grace period: every blob nothing uses goes now.
      sweep: async () => {
        const { container } = registry;
        await new SweepUnusedContent(
          blobStore, container.resolve(BlobGuard), container.resolve(PackageIntake), container.resolve(Tokens.Clock), container.resolve(Tokens.Logger), 0,
        ).execute();
      },
    }),
  };
}

/** One line per path for the test's output: the numbers docs/reliability.md quotes. */
export const summary = (report: SweepReport): string =>
  `${report.path}: ${report.calls.length} port calls, ${report.runs} faulted runs (${report.failed} answered an error, ${report.succeeded} succeeded), `
  + `${report.swept} orphans swept, ${report.requests} requests, ${report.milliseconds} ms\n  calls: ${report.calls.join(' ')}\n  survived: ${report.tolerated.join('; ')}`;

/** What a fault suite starts before its registry (a fake upstream, s3rver) and stops after it. */
export interface SuiteSetUp<C> {
  readonly context: C;
  readonly registry: TestRegistryOptions;
  stop(): Promise<void>;
}

export interface FaultSuite<C> {
  faults(): FaultRegistry;
  context(): C;
  /** Sweeps one path; `options` replaces what the suite's sweep options say (modes, injector…). */
  sweep<S>(path: FaultPath<S>, options?: Partial<SweepOptions>): Promise<void>;
}

/**
 * The frame every fault-sweep suite shares, called inside its `describe`: a fault registry started
 * before the tests over what `setUp` starts, both stopped after, and one summary line per swept path,
 * printed at the end when FAULT_SWEEP_REPORT is set.
 */
export function faultSuite<C>(setUp: () => Promise<SuiteSetUp<C>>, sweepOptions: (faults: FaultRegistry, context: C) => SweepOptions = (faults) => faults.sweepOptions()): FaultSuite<C> {
  let started: SuiteSetUp<C> | undefined;
  let faults: FaultRegistry | undefined;
  const lines: string[] = [];
  const ready = (): { started: SuiteSetUp<C>; faults: FaultRegistry } => {
    if (started === undefined || faults === undefined) throw new Error('fault suite used before its set-up ran');
    return { started, faults };
  };
  before(async () => {
    started = await setUp();
    faults = await startFaultRegistry(started.registry);
  });
  after(async () => {
    await faults?.registry.close();
    await started?.stop();
    if (process.env.FAULT_SWEEP_REPORT !== undefined) process.stdout.write(`${lines.join('\n')}\n`);
  });
  return {
    faults: () => ready().faults,
    context: () => ready().started.context,
    sweep: async (path, options = {}) => {
      const { started: s, faults: f } = ready();
      lines.push(summary(await sweepFaults(path, { ...sweepOptions(f, s.context), ...options })));
    },
  };
}

/** A fresh bucket on its own s3rver, for the S3 fault suites. */
export async function startBucket(): Promise<SuiteSetUp<{ s3: LocalS3; bucket: string }>> {
  const s3 = await startLocalS3();
  const bucket = await s3.newBucket();
  return { context: { s3, bucket }, registry: { storage: 's3', env: s3.env(bucket) }, stop: () => s3.close() };
}

export { Tokens };
