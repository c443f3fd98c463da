import { randomBytes } from 'node:crypto';
import { DomainError, ErrorCode } from '../domain/errors';
import type { BlobStore } from '../ports/blob-store.port';
import { EVERY_BLOB, type Claim, type ClaimKind, type LeaseStore } from '../ports/lease-store.port';
import type { Clock } from '../ports/system.port';

export interface GuardTimes {
  /** How long a writer's lease protects a blob between storing it and recording a reference to it. */
  readonly leaseMs: number;
  /** How long a deletion claim stands; a deleter that took more than half of it leaves the blob. */
  readonly deletionMs: number;
  /** How long a reset's claim on every blob stands. */
  readonly resetMs: number;
  /** How often a writer looks again while a deletion of its blob is under way. */
  readonly pollMs: number;
}

export const DEFAULT_GUARD_TIMES: GuardTimes = { leaseMs: 30 * 60 * 1000, deletionMs: 2 * 60 * 1000, resetMs: 15 * 60 * 1000, pollMs: 25 };

export type Removal = 'removed' | 'in-use' | 'too-slow';

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/**
 * Keeps a delete in one process from removing content that a writer in another is about to refer to,
 * on one data directory or one bucket, with a Dekker-style handshake over shared claims:
 *
 * - a writer stores the blob, then writes a lease, then looks for deletion claims on it; while one is
 *   live it waits, and once none is it makes sure the blob is there, storing it again if a deletion
 *   removed it meanwhile;
 * - a deleter writes a deletion claim, then asks `inUse` (live leases and references), and removes
 *   the blob only when nothing uses it, then drops its claim.
 *
 * Each side writes its own claim before reading the other's, and a claim that has been written is
 * seen by every later read in every process, so whichever of the two reads second sees the other:
 * either the deleter sees the lease and leaves the blob, or the writer sees the deletion claim and
 * waits for it to end before checking the blob. A writer that saw no claim checks the blob only
 * after its lease is visible, so any deletion still to come will see the lease. The lease is taken
 * after the store because the digest is known only then; the check afterwards covers a deletion
 * that completed in between.
 *
 * Claims expire so that a crashed holder stops counting; expired ones are ignored and removed.
 * Correctness then needs clocks that agree to well within the claims' lifetimes, and a deleter that
 * is still within its claim's lifetime when it deletes: it gives up after half of it.
 */
export class BlobGuard {
  constructor(
    private readonly claims: LeaseStore,
    private readonly blobs: BlobStore,
    private readonly clock: Clock,
    private readonly times: GuardTimes = DEFAULT_GUARD_TIMES,
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {}

  /**
   * Leases a blob the caller has just stored and returns once it is safe to refer to: no deletion
   * can remove it until `release`. `restore` stores the content again; it runs when a deletion
   * removed the blob between the caller's store and the lease. Refused while a reset runs.
   */
  async secure(sha256: string, restore: () => Promise<unknown>): Promise<Claim> {
    return (await this.secureAll([{ sha256, restore }]))[0] as Claim;
  }

  /** `secure` for several blobs at once: each step is one round for all of them. */
  async secureAll(blobs: readonly { readonly sha256: string; readonly restore: () => Promise<unknown> }[]): Promise<Claim[]> {
    const leases = blobs.map((blob) => this.claim('lease', blob.sha256, this.times.leaseMs));
    try {
      await Promise.all(leases.map((lease) => this.claims.put(lease)));
      await this.untilNoDeletion(new Set(blobs.map((blob) => blob.sha256)));
      await Promise.all(blobs.map(async (blob) => {
        if ((await this.blobs.head(blob.sha256)) === undefined) await blob.restore();
      }));
      return leases;
    } catch (error) {
      await Promise.all(leases.map((lease) => this.claims.remove(lease).catch(() => undefined)));
      throw error;
    }
  }

  async release(lease: Claim): Promise<void> {
    await this.claims.remove(lease);
  }

  /** Whether a writer holds a live lease on the blob. */
  async isLeased(sha256: string): Promise<boolean> {
    return (await this.live('lease', sha256)).length > 0;
  }

  /**
   * Removes the blob unless `inUse` says something still refers to it. `inUse` runs while this
   * deletion's claim stands, so it must count live leases (see `isLeased`) as well as references.
   */
  async removeUnless(sha256: string, inUse: (sha256: string) => Promise<boolean>): Promise<Removal> {
    const started = this.clock.now().getTime();
    const claim = this.claim('deletion', sha256, this.times.deletionMs);
    await this.claims.put(claim);
    try {
      if (await inUse(sha256)) return 'in-use';
      if (this.clock.now().getTime() - started > this.times.deletionMs / 2) return 'too-slow';
      await this.blobs.delete(sha256);
      return 'removed';
    } finally {
      await this.claims.remove(claim);
    }
  }

  /**
   * Runs `work` (a reset) under a claim on every blob, unless a writer anywhere holds a live lease:
   * writers that lease afterwards see the claim and are refused until the reset is over.
   */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const claim = this.claim('deletion', EVERY_BLOB, this.times.resetMs);
    await this.claims.put(claim);
    try {
      const leases = await this.live('lease');
      if (leases.length > 0) {
        throw new DomainError(ErrorCode.ArtifactConflict, `${leases.length} upload(s) are being stored by registry instances; reset once they have finished`, {
          writes_in_progress: leases.length,
        });
      }
      return await work();
    } finally {
      await this.claims.remove(claim);
    }
  }

  /** Removes expired claims of crashed holders; answers how many. */
  async sweepExpired(): Promise<number> {
    let removed = 0;
    for (const kind of ['lease', 'deletion'] as const) {
      for (const claim of await this.claims.list(kind)) {
        if (this.isLive(claim)) continue;
        await this.claims.remove(claim);
        removed += 1;
      }
    }
    return removed;
  }

  private async untilNoDeletion(shas: ReadonlySet<string>): Promise<void> {
    for (;;) {
      const deletions = (await this.live('deletion')).filter((claim) => shas.has(claim.sha256) || claim.sha256 === EVERY_BLOB);
      if (deletions.some((claim) => claim.sha256 === EVERY_BLOB)) {
        throw new DomainError(ErrorCode.RegistryResetting, 'the registry is being reset; try again in a moment');
      }
      if (deletions.length === 0) return;
      await this.wait(this.times.pollMs);
    }
  }

  private async live(kind: ClaimKind, sha256?: string): Promise<Claim[]> {
    return (await this.claims.list(kind, sha256)).filter((claim) => this.isLive(claim));
  }

  private isLive(claim: Claim): boolean {
    return claim.expiresAt.getTime() > this.clock.now().getTime();
  }

  private claim(kind: ClaimKind, sha256: string, lifetimeMs: number): Claim {
    return { kind, sha256, holder: randomBytes(8).toString('hex'), expiresAt: new Date(this.clock.now().getTime() + lifetimeMs) };
  }
}
