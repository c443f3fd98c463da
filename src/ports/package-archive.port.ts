import type { Readable } from 'node:stream';
import type { FileScan } from '../domain/content-scan';
import type { ArchiveEntry, PackageLimits } from '../domain/package-policy';

export interface PackageInspection {
  /** Regular files only, in archive order, after the package policy accepted them. */
  readonly files: readonly ArchiveEntry[];
  /** The verdict on every file that can carry code or lie about its layout (pickles, torch zips, safetensors…). */
  readonly scan: readonly FileScan[];
  /** README.md (or README) at the package root, if any, truncated to a bound. */
  readonly readme?: string;
  /** The card's YAML front matter, when present and well-formed. */
  readonly cardMetadata?: Record<string, unknown>;
  /** config.json at the package root, when present and valid JSON. */
  readonly config?: Record<string, unknown>;
  /** adapter_config.json (a PEFT adapter's base model) at the package root, when present and valid JSON. */
  readonly adapterConfig?: Record<string, unknown>;
}

/**
 * Reads zip packages shaped like Hugging Face repositories. Inspection verifies the whole archive —
 * names, sizes against what is declared, CRCs — so a package that passes can be repackaged safely.
 */
export interface PackageArchive {
  inspect(zipPath: string, limits: PackageLimits): Promise<PackageInspection>;
  /** Scans a stored package again (an administrator's re-scan): the same verdicts `inspect` gives. */
  scanStream(content: Readable, limits: PackageLimits): Promise<readonly FileScan[]>;
  /** The archive's own bytes. */
  open(zipPath: string): Readable;
  /** A deterministic zip of just these entries: the same input gives the same bytes. */
  repack(zipPath: string, paths: readonly string[]): Readable;
}
