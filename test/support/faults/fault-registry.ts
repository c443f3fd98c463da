import { Tokens } from '../../../src/adapters/di/tokens';
import { BlobGuard } from '../../../src/application/blob-guard';
import { PackageIntake } from '../../../src/application/package-intake';
import { SweepUnusedContent } from '../../../src/application/sweep-unused-content.use-case';
import type { ArtifactRepository } from '../../../src/ports/artifact-repository.port';
import type { BlobStore } from '../../../src/ports/blob-store.port';
import type { TransactionStore } from '../../../src/ports/transaction-store.port';
import { startTestRegistry, type TestRegistry, type TestRegistryOptions } from '../test-registry';
import type { SweepOptions, SweepReport } from './fault-sweep';
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

export { Tokens };
