import type { ContentScan } from './content-scan';
import type { ConfusionReport } from './package-confusion';
import { invalidInput } from './errors';
import type { PackagePart } from './package-parts';
import type { Evidence, MetricName, ModelRating } from './rating';
import type { Sensitivity } from './sensitivity';
import type { TrustVerdict } from './trust-verdict';

export const ARTIFACT_TYPES = ['model', 'dataset', 'code'] as const;
export type ArtifactType = (typeof ARTIFACT_TYPES)[number];

export interface ArtifactMetadata {
  readonly name: string;
  readonly id: string;
  readonly type: ArtifactType;
}

/** One file inside a stored package, as listed when the package was accepted. */
export interface PackageFile {
  readonly path: string;
  readonly size: number;
  readonly part: PackagePart;
  /** The file's own sha256, computed while the package was verified (absent on older records). */
  readonly sha256?: string;
}

/** A stored zip: the whole package or one part of it. Blobs are addressed by sha256. */
export interface StoredBundle {
  readonly sha256: string;
  readonly size: number;
  readonly fileCount: number;
}

export interface ArtifactPackage {
  readonly full: StoredBundle;
  readonly parts: Partial<Record<PackagePart, StoredBundle>>;
  readonly files: readonly PackageFile[];
}

export type ArtifactSource =
  | { readonly kind: 'upload'; readonly filename?: string }
  | { readonly kind: 'url'; readonly url: string };

export interface SourceFile {
  readonly path: string;
  readonly size: number;
  /** The source's own content hash (Hugging Face LFS oid), checked while mirroring. */
  readonly sha256?: string;
}

/**
 * What the source said about itself when it was mirrored: the evidence later ratings and audits read,
 * kept so nothing has to be fetched again to explain a number.
 */
export interface SourceSnapshot {
  readonly hub: 'huggingface' | 'github' | 'kaggle';
  readonly repo: string;
  readonly revision: string;
  /** The one directory mirrored, when the source URL named a subdirectory of a repository. */
  readonly path?: string;
  /** The exact commit mirrored, when the source names one. */
  readonly commit?: string;
  readonly fetchedAt: string;
  readonly info: Readonly<Record<string, unknown>>;
  readonly files: readonly SourceFile[];
  readonly tags: readonly string[];
}

/** Why an artifact is known by reference only, and where its content can be had. */
export interface ExternalReference {
  /** The page a person (or a download) is sent to. */
  readonly page: string;
  readonly reason: string;
}

export interface ModelCard {
  /** Searchable card text, truncated to a bound so search stays cheap at scale. */
  readonly text: string;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface Assessment {
  readonly evidence: Evidence;
  /** Seconds spent collecting each metric's evidence; part of each metric's latency. */
  readonly collectionSeconds: Partial<Record<MetricName, number>>;
  /** Evidence that could not be collected (a source was down), said rather than silently scored. */
  readonly problems: readonly string[];
  readonly rating: ModelRating;
}

export interface ArtifactRecord {
  readonly id: string;
  readonly type: ArtifactType;
  readonly name: string;
  /** The primary version: the uploaded one, or the highest the source's tags name. */
  readonly version?: string;
  /** Every version the artifact answers to (tags of its source); includes `version`. */
  readonly versions?: readonly string[];
  readonly source: ArtifactSource;
  readonly origin?: SourceSnapshot;
  /**
   * The stored content. Absent only for an external reference: a source registered without its
   * content (see `reference`), whose download sends the client to the source instead.
   */
  readonly package?: ArtifactPackage;
  readonly reference?: ExternalReference;
  readonly card?: ModelCard;
  readonly config?: Readonly<Record<string, unknown>>;
  readonly adapterConfig?: Readonly<Record<string, unknown>>;
  /** Models only: what the rating was computed from, and the rating as it stood at registration. */
  readonly assessment?: Assessment;
  /** Models only: the pre-download program that makes the model sensitive. */
  readonly sensitivity?: Sensitivity;
  /** Models only: whether the rating met the trust bar when it was computed, and if not, why not. */
  readonly trust?: TrustVerdict;
  /** The canonical source (type, URL, revision) it was registered from; one artifact per source. */
  readonly sourceKey?: string;
  /** The content scanner's verdict on every file that can carry code or lie; absent for records older than it. */
  readonly contentScan?: ContentScan;
  /** Registered artifacts this one's name or popularity imitates, found at intake: a warning, not a refusal. */
  readonly confusion?: ConfusionReport;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  /** Incremented by every save; a save carrying a stale revision is refused. */
  readonly revision: number;
}

export const MAX_NAME_LENGTH = 256;
const ID_PATTERN = /^[a-zA-Z0-9-]+$/;
// "Keyboard" characters: printable ASCII, no control characters.
const NAME_PATTERN = /^[\x20-\x7e]+$/;

export function parseArtifactType(value: string): ArtifactType {
  if ((ARTIFACT_TYPES as readonly string[]).includes(value)) return value as ArtifactType;
  throw invalidInput(`artifact type must be one of ${ARTIFACT_TYPES.join(', ')}; got "${value}"`);
}

export function assertArtifactId(id: string): string {
  if (!ID_PATTERN.test(id) || id.length > 64) {
    throw invalidInput(`artifact id must be 1-64 letters, digits or dashes; got "${id}"`);
  }
  return id;
}

export function parseArtifactName(raw: string): string {
  const name = raw.trim();
  if (name.length === 0) throw invalidInput('artifact name must not be empty');
  if (name === '*') throw invalidInput('the name "*" is reserved for enumerating all artifacts');
  if (name.length > MAX_NAME_LENGTH) {
    throw invalidInput(`artifact name must be at most ${MAX_NAME_LENGTH} characters`);
  }
  if (!NAME_PATTERN.test(name)) {
    throw invalidInput('artifact name may only use printable keyboard characters');
  }
  return name;
}

/** Whether any of the artifact's versions satisfies `matches`. */
export const hasVersionMatching = (record: Pick<ArtifactRecord, 'version' | 'versions'>, matches: (version: string) => boolean): boolean =>
  [...(record.versions ?? []), ...(record.version === undefined ? [] : [record.version])].some(matches);

export const metadataOf = (record: ArtifactRecord): ArtifactMetadata => ({
  name: record.name,
  id: record.id,
  type: record.type,
});

/** Bytes the registry stores for an artifact: nothing for an external reference. */
export const storedSize = (record: ArtifactRecord): number => record.package?.full.size ?? 0;

/** Every blob an artifact references, so deletion can release what nothing else uses. */
export function blobsOf(record: ArtifactRecord): string[] {
  if (record.package === undefined) return [];
  const parts = Object.values(record.package.parts).map((bundle) => bundle.sha256);
  return [...new Set([record.package.full.sha256, ...parts])];
}
