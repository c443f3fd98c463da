import type { Readable } from 'node:stream';
import type { ArtifactPackage, ArtifactRecord, ArtifactType, PackageFile } from '../domain/artifact';
import { DomainError, ErrorCode } from '../domain/errors';
import { gateDecision } from '../domain/rating';
import type { User } from '../domain/user';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import type { ByteRange } from '../ports/blob-store.port';
import type { StoredPackageReader } from '../ports/stored-package.port';
import { requirePermission } from './access';
import type { DownloadGuard } from './sensitivity.use-cases';
import type { RatingService } from './rating-service';

/** Repositories of things the registry holds itself (uploads) live under this namespace. */
export const REGISTRY_NAMESPACE = 'registry';
export type HubKind = 'model' | 'dataset';
/** How the Hub's clients tell a missing repository, revision and file apart (X-Error-Code). */
export type HubMiss = 'RepoNotFound' | 'RevisionNotFound' | 'EntryNotFound';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;
const COMMIT = /^[0-9a-f]{40}$/;
const LATEST = new Set(['main', 'HEAD', 'master']);
// Names are not unique (every version is its own artifact): a repository is looked up among at most
// this many artifacts of one name.
const MAX_CANDIDATES = 1_000;
const PAGE = 100;
const MAX_REMEMBERED_DIGESTS = 10_000;

export const hubMiss = (miss: HubMiss, message: string): DomainError =>
  new DomainError(ErrorCode.ArtifactNotFound, message, { hub_error: miss });

/** The repository id an artifact answers to: its source's for a mirror, the registry's otherwise. */
export function hubRepoIdOf(record: ArtifactRecord): string {
  if (record.origin?.hub === 'huggingface') return record.origin.repo;
  return `${REGISTRY_NAMESPACE}/${SEGMENT.test(record.name) ? record.name : record.id}`;
}

/** The commit a client pins: the mirrored commit, or one derived from the package's own digest. */
export function hubCommitOf(record: ArtifactRecord & { readonly package: ArtifactPackage }): string {
  const commit = record.origin?.commit;
  return commit !== undefined && COMMIT.test(commit) ? commit : record.package.full.sha256.slice(0, 40);
}

/** Only artifacts whose content the registry holds can be served; external references cannot. */
type Mirrored = ArtifactRecord & { readonly package: ArtifactPackage };
const isMirrored = (record: ArtifactRecord): record is Mirrored => record.package !== undefined;

export interface HubRepository {
  readonly record: Mirrored;
  readonly repoId: string;
  readonly commit: string;
}

export interface HubRepositoryQuery {
  readonly actor: User;
  readonly kind: HubKind;
  readonly repoId: string;
  /** A branch name (`main`, `HEAD`), a commit, or one of the artifact's versions. */
  readonly revision?: string;
}

/**
 * Finds the registered artifact behind a Hub repository id and revision, as the Hub's read API
 * (`huggingface_hub`, `transformers`, `@huggingface/hub` with `HF_ENDPOINT`) names it. The newest
 * artifact answers `main`; a commit or a version picks an exact one. With `trustedOnly`, models
 * below the trust bar are not served at all.
 */
export class FindHubRepository {
  constructor(
    private readonly repository: ArtifactRepository,
    private readonly ratings: RatingService,
    private readonly options: { readonly trustedOnly: boolean; readonly minScore: number },
  ) {}

  async execute(query: HubRepositoryQuery): Promise<HubRepository> {
    requirePermission(query.actor, 'search');
    const candidates = (await this.candidates(query.kind, query.repoId)).filter(isMirrored);
    if (candidates.length === 0) throw hubMiss('RepoNotFound', `no ${query.kind} repository "${query.repoId}" in this registry`);
    const record = pickRevision(candidates, query.revision);
    if (record === undefined) throw hubMiss('RevisionNotFound', `${query.repoId} has no revision "${query.revision ?? ''}" in this registry`);
    if (this.options.trustedOnly && record.type === 'model' && !(await this.meetsBar(record))) {
      throw hubMiss('RepoNotFound', `${query.repoId} does not meet this registry's trust bar and is not served here`);
    }
    return { record, repoId: query.repoId, commit: hubCommitOf(record) };
  }

  private async candidates(kind: HubKind, repoId: string): Promise<ArtifactRecord[]> {
    const segments = repoId.split('/');
    if (segments.length > 2 || !segments.every((segment) => SEGMENT.test(segment))) return [];
    const type: ArtifactType = kind;
    if (segments.length === 2 && segments[0] === REGISTRY_NAMESPACE) {
      const key = segments[1] ?? '';
      const byId = await this.repository.get(key);
      if (byId !== undefined && byId.type === type) return [byId];
      return (await this.named(key, type)).filter((record) => record.origin?.hub !== 'huggingface');
    }
    const name = segments[segments.length - 1] ?? repoId;
    const wanted = repoId.toLowerCase();
    const named = await this.named(name, type);
    const mirrors = named.filter((record) => record.origin?.hub === 'huggingface' && record.origin.repo.toLowerCase() === wanted);
    return mirrors.length > 0 || name === repoId ? mirrors : (await this.named(repoId, type)).filter((record) => record.origin?.repo.toLowerCase() === wanted);
  }

  private async named(name: string, type: ArtifactType): Promise<ArtifactRecord[]> {
    const found: ArtifactRecord[] = [];
    let after: string | undefined;
    while (found.length < MAX_CANDIDATES) {
      const page = await this.repository.list({ name, types: [type] }, after, PAGE);
      found.push(...page);
      if (page.length < PAGE) break;
      after = page[page.length - 1]?.id;
    }
    return found;
  }

  private async meetsBar(listed: ArtifactRecord): Promise<boolean> {
    const record = listed.assessment === undefined ? await this.repository.get(listed.id) : listed;
    if (record?.assessment === undefined) return false;
    const view = await this.ratings.current(record);
    return gateDecision(view.rating, view.explanation, this.options.minScore).accepted;
  }
}

/** Ids are time-ordered, so the last candidate is the newest. */
function pickRevision(candidates: readonly Mirrored[], revision: string | undefined): Mirrored | undefined {
  const newestFirst = [...candidates].sort((a, b) => (a.id < b.id ? 1 : -1));
  if (revision === undefined || LATEST.has(revision)) return newestFirst[0];
  const exact = newestFirst.find((record) => hubCommitOf(record) === revision.toLowerCase());
  if (exact !== undefined) return exact;
  const version = revision.replace(/^v/, '');
  return newestFirst.find((record) => record.version === version || (record.versions ?? []).includes(version));
}

export interface HubFile extends HubRepository {
  readonly file: PackageFile;
  /** The content's sha256: recorded at registration, the source's own, or computed once now. */
  readonly sha256: string;
  /** Streams the file, or a range of it; a read of more than the first byte is audited. */
  open(range?: ByteRange): Promise<Readable>;
}

/**
 * One file of a registered artifact, for the Hub's `resolve` route: download permission, the file's
 * digest so clients can cache by it, and an audit entry for every read of content (a HEAD, or the
 * one-byte probe clients send to learn a file's size, is not one).
 */
export class OpenHubFile {
  private readonly digests = new Map<string, string>();

  constructor(
    private readonly find: FindHubRepository,
    private readonly reader: StoredPackageReader,
    private readonly guard: DownloadGuard,
  ) {}

  async execute(query: HubRepositoryQuery & { readonly path: string }): Promise<HubFile> {
    requirePermission(query.actor, 'download');
    const repo = await this.find.execute(query);
    const file = repo.record.package.files.find((candidate) => candidate.path === query.path);
    if (file === undefined) throw hubMiss('EntryNotFound', `${repo.repoId} has no file "${query.path}"`);
    const sha256 = await this.digestOf(repo.record, file);
    const open = async (range?: ByteRange): Promise<Readable> => {
      const part = `file ${file.path}${range === undefined ? '' : ` bytes ${range.start}-${range.end}`}`;
      const verdict = await this.guard.check(query.actor, repo.record, part);
      const content = await this.reader.openFile(repo.record.package.full, file.path, range);
      if (content === undefined) throw hubMiss('EntryNotFound', `the stored package of ${repo.record.id} has no file "${file.path}"`);
      if (range === undefined || range.end > 0 || verdict !== undefined) await this.guard.record(query.actor, repo.record, part, verdict);
      return content;
    };
    return { ...repo, file, sha256, open };
  }

  private async digestOf(record: Mirrored, file: PackageFile): Promise<string> {
    if (file.sha256 !== undefined) return file.sha256;
    const declared = record.origin?.files.find((candidate) => candidate.path === file.path)?.sha256;
    if (declared !== undefined) return declared;
    const key = `${record.package.full.sha256}:${file.path}`;
    const known = this.digests.get(key);
    if (known !== undefined) return known;
    const digest = await this.reader.digestFile(record.package.full, file.path);
    if (digest === undefined) throw hubMiss('EntryNotFound', `the stored package of ${record.id} has no file "${file.path}"`);
    // Packages registered before file digests were recorded: a bounded memory of what was computed.
    if (this.digests.size >= MAX_REMEMBERED_DIGESTS) this.digests.delete(this.digests.keys().next().value ?? '');
    this.digests.set(key, digest);
    return digest;
  }
}
