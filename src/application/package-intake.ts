import type { Readable } from 'node:stream';
import type { ArtifactPackage, ArtifactRecord, ModelCard, PackageFile, StoredBundle } from '../domain/artifact';
import { contentScan, dangerousFindings, type ContentScan } from '../domain/content-scan';
import { DomainError, ErrorCode } from '../domain/errors';
import { classifyPackageFile, PACKAGE_PARTS, type PackagePart } from '../domain/package-parts';
import type { PackageLimits } from '../domain/package-policy';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import type { BlobStore, StoredBlob } from '../ports/blob-store.port';
import type { Claim } from '../ports/lease-store.port';
import type { PackageArchive, PackageInspection } from '../ports/package-archive.port';
import type { TransactionStore } from '../ports/transaction-store.port';
import type { Clock, Logger } from '../ports/system.port';
import type { BlobGuard } from './blob-guard';
import type { WriteGate } from './write-gate';

export const MAX_CARD_TEXT = 64 * 1024;

export interface AcceptedPackage {
  readonly package: ArtifactPackage;
  readonly inspection: PackageInspection;
  readonly card?: ModelCard;
  readonly contentScan: ContentScan;
  /** Leases on the stored blobs; the caller must `settle` once the record is saved or abandoned. */
  readonly leased: readonly Claim[];
  readonly created: readonly string[];
}

/**
 * Turns an uploaded zip into stored content: the archive is inspected first (nothing is written for a
 * hostile one), then the whole package and each non-empty part are stored as content-addressed
 * bundles, so downloads are plain streams of bytes whose sha256 is known before they start.
 */
export class PackageIntake {
  constructor(
    private readonly archive: PackageArchive,
    private readonly blobs: BlobStore,
    private readonly repository: ArtifactRepository,
    private readonly guard: BlobGuard,
    private readonly limits: PackageLimits,
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly gate: WriteGate,
    private readonly transactions?: Pick<TransactionStore, 'referencesBlob'>,
  ) {}

  /** Every accepted package holds the write gate until `settle`, so a reset cannot cut it in half. */
  async accept(zipPath: string): Promise<AcceptedPackage> {
    this.gate.enter();
    let inspection: PackageInspection;
    let scan: ContentScan;
    try {
      inspection = await this.archive.inspect(zipPath, this.limits);
      scan = contentScan(inspection.scan, this.clock.now().toISOString());
      // Refused before a byte is stored: nothing dangerous can be downloaded, and nothing needs cleaning up.
      refuseDangerous(scan);
    } catch (error) {
      this.gate.leave();
      throw error;
    }
    const files: PackageFile[] = inspection.files.map((entry) => ({
      path: entry.path,
      size: entry.uncompressedSize,
      part: classifyPackageFile(entry.path),
      ...(entry.sha256 === undefined ? {} : { sha256: entry.sha256 }),
    }));
    const leased: Claim[] = [];
    const created: string[] = [];
    const put = async (content: () => Readable): Promise<StoredBlob> => {
      const stream = content();
      // A store that fails before reading to the end leaves the source open: its file would stay open, deleted, for ever.
      const blob = await this.blobs.put(stream).catch((error: unknown) => {
        stream.destroy();
        throw error;
      });
      if (blob.created) created.push(blob.sha256);
      return blob;
    };
    const stored: { sha256: string; restore: () => Promise<unknown> }[] = [];
    const store = async (content: () => Readable, fileCount: number): Promise<StoredBundle> => {
      const blob = await put(content);
      // A deletion elsewhere may remove identical content before the lease: then it is stored again.
      stored.push({ sha256: blob.sha256, restore: () => put(content) });
      return { sha256: blob.sha256, size: blob.size, fileCount };
    };
    try {
      const full = await store(() => this.archive.open(zipPath), files.length);
      const parts: Partial<Record<PackagePart, StoredBundle>> = {};
      for (const part of PACKAGE_PARTS) {
        const paths = files.filter((file) => file.part === part).map((file) => file.path);
        if (paths.length > 0) parts[part] = await store(() => this.archive.repack(zipPath, paths), paths.length);
      }
      leased.push(...(await this.guard.secureAll(stored)));
      return { package: { full, parts, files }, inspection, card: cardOf(inspection), contentScan: scan, leased, created };
    } catch (error) {
      await this.settle({ leased, created }, false);
      throw error;
    }
  }

  /**
   * Ends the leases. When the record was not saved, blobs this intake created are removed unless
   * another record or lease now uses them.
   */
  async settle(accepted: Pick<AcceptedPackage, 'leased' | 'created'>, saved: boolean): Promise<void> {
    try {
      await this.releaseLeases(accepted.leased);
      if (!saved) await this.releaseUnused(accepted.created);
    } finally {
      this.gate.leave();
    }
  }

  /**
   * Whether anything may still refer to this blob: a record, a write (in any process) that stored it
   * and has not recorded it yet, or an open transaction that staged it. Asked by deletions while
   * their claim on the blob stands.
   */
  async inUse(sha: string): Promise<boolean> {
    return (
      (await this.guard.isLeased(sha)) || (await this.repository.isBlobReferenced(sha)) || ((await this.transactions?.referencesBlob(sha)) ?? false)
    );
  }

  /** Removes the blobs nothing uses any more; answers how many went. */
  async releaseUnused(shas: readonly string[]): Promise<number> {
    const outcomes = await Promise.all([...new Set(shas)].map(async (sha) => {
      try {
        return await this.guard.removeUnless(sha, (candidate) => this.inUse(candidate));
      } catch (error) {
        // An orphan blob wastes space but loses nothing (the sweeper removes it later); the
        // request's outcome must not depend on it.
        this.logger.warn('could not release blob', { sha256: sha, error: String(error) });
        return 'failed';
      }
    }));
    return outcomes.filter((outcome) => outcome === 'removed').length;
  }

  private async releaseLeases(leases: readonly Claim[]): Promise<void> {
    await Promise.all(leases.map((lease) => this.guard.release(lease).catch((error: unknown) => {
      // A lease left behind only delays the removal of unused content until it expires.
      this.logger.warn('could not release a blob lease', { sha256: lease.sha256, error: String(error) });
    })));
  }
}

/** The record fields an accepted package provides: the package itself, its card and configs. */
export function contentOf(accepted: AcceptedPackage): Pick<ArtifactRecord, 'package' | 'card' | 'config' | 'adapterConfig' | 'contentScan'> {
  const { inspection } = accepted;
  return {
    package: accepted.package,
    contentScan: accepted.contentScan,
    ...(accepted.card === undefined ? {} : { card: accepted.card }),
    ...(inspection.config === undefined ? {} : { config: inspection.config }),
    ...(inspection.adapterConfig === undefined ? {} : { adapterConfig: inspection.adapterConfig }),
  };
}

function cardOf(inspection: PackageInspection): ModelCard | undefined {
  if (inspection.readme === undefined) return undefined;
  return { text: inspection.readme.slice(0, MAX_CARD_TEXT), metadata: inspection.cardMetadata ?? {} };
}

/** PACKAGE.UNSAFE naming each dangerous file and the global or the lie that condemned it. */
export function refuseDangerous(scan: ContentScan): void {
  const dangerous = dangerousFindings(scan);
  const first = dangerous[0];
  if (first === undefined) return;
  const what = first.finding.global === undefined ? first.finding.message : `it imports ${first.finding.global}: ${first.finding.message}`;
  const more = dangerous.length > 1 ? ` (and ${dangerous.length - 1} more finding(s))` : '';
  throw new DomainError(ErrorCode.PackageUnsafe, `${first.path} is unsafe to load: ${what}${more}`, {
    findings: dangerous.map(({ path, finding }) => ({ path, ...(finding.global === undefined ? {} : { global: finding.global }), message: finding.message })),
  });
}
