import type { BlobStore } from '../ports/blob-store.port';
import type { Clock, Logger } from '../ports/system.port';
import type { BlobGuard } from './blob-guard';
import type { PackageIntake } from './package-intake';

export interface SweepReport {
  /** Blobs no record or writer referred to, removed. */
  readonly removedBlobs: number;
  /** Blobs old enough to be judged, of which `removedBlobs` went. */
  readonly examinedBlobs: number;
  /** Claims whose holders crashed (or were too slow), removed. */
  readonly expiredClaims: number;
  /** Partial uploads that interrupted writes left. */
  readonly temporaryFiles: number;
}

/**
 * Removes content that nothing refers to: what a crashed writer stored but never recorded, or what a
 * failed release left. Blobs younger than the grace period are not even looked at; older ones go
 * through the same deletion handshake and the same `inUse` as a delete, so content a writer (in any
 * process) is about to refer to, or an open transaction holds, is never removed.
 */
export class SweepUnusedContent {
  constructor(
    private readonly blobs: BlobStore,
    private readonly guard: BlobGuard,
    private readonly intake: PackageIntake,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly graceMs: number,
  ) {}

  async execute(): Promise<SweepReport> {
    const now = this.clock.now();
    const expiredClaims = await this.guard.sweepExpired();
    const temporaryFiles = (await this.blobs.sweepTemporary?.(this.graceMs, now)) ?? 0;
    let examinedBlobs = 0;
    let removedBlobs = 0;
    for await (const blob of this.blobs.list()) {
      if (now.getTime() - blob.modifiedAt.getTime() < this.graceMs) continue;
      examinedBlobs += 1;
      removedBlobs += await this.intake.releaseUnused([blob.sha256]);
    }
    const report = { removedBlobs, examinedBlobs, expiredClaims, temporaryFiles };
    if (removedBlobs + expiredClaims + temporaryFiles > 0) this.logger.info('swept unused content', { ...report });
    return report;
  }
}
