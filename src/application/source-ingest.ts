import type { ArtifactSource, ExternalReference, SourceSnapshot } from '../domain/artifact';
import { DomainError, ErrorCode } from '../domain/errors';
import { nameFromSource, sourcePageOf, type SourceRef } from '../domain/source-url';
import { versionsFromTags } from '../domain/version';
import type { CodeHost, DatasetHost, ModelHub, StagedPackage } from '../ports/source-hubs.port';
import type { Clock } from '../ports/system.port';
import type { AcceptedPackage, PackageIntake } from './package-intake';

export interface IngestedSource {
  readonly name: string;
  readonly source: ArtifactSource;
  readonly origin: SourceSnapshot;
  readonly versions: string[];
  /** The stored content; absent for an external reference. */
  readonly accepted?: AcceptedPackage;
  readonly reference?: ExternalReference;
  /** Seconds the source's metadata took to fetch: part of the latency of the metrics that read it. */
  readonly sourceSeconds: number;
}

type Ref<H extends SourceRef['hub']> = Extract<SourceRef, { hub: H }>;

/**
 * Fetches what a source publishes and stores it as a package: metadata first (so an oversized source
 * is refused before a byte is downloaded), then the files, streamed into a staged zip and verified,
 * then the same intake as an upload. The staged zip is removed whatever happens.
 */
export class SourceIngest {
  constructor(
    private readonly hub: ModelHub,
    private readonly code: CodeHost,
    private readonly intake: PackageIntake,
    private readonly clock: Clock,
    private readonly maxBytes: number,
    /** Absent when the registry has no Kaggle credentials: Kaggle datasets are then referenced, not mirrored. */
    private readonly kaggle?: DatasetHost,
  ) {}

  async fetch(ref: SourceRef, url: string): Promise<IngestedSource> {
    if (ref.hub === 'huggingface') return this.fromHub(ref, url);
    if (ref.hub === 'github') return this.fromCodeHost(ref, url);
    return this.kaggle === undefined ? this.referenceTo(ref, url) : this.fromKaggle(this.kaggle, ref, url);
  }

  private async fromHub(ref: Ref<'huggingface'>, url: string): Promise<IngestedSource> {
    const requested = { kind: ref.kind, repo: ref.repo, revision: ref.revision ?? 'main' };
    const started = this.clock.now().getTime();
    const info = await this.hub.info(requested);
    // Pin the commit the revision resolved to, so the listing and the downloads describe one snapshot.
    const pinned = { ...requested, revision: info.commit ?? requested.revision };
    const [files, tags] = await Promise.all([this.hub.listFiles(pinned), this.hub.listTags(pinned)]);
    const sourceSeconds = (this.clock.now().getTime() - started) / 1000;
    this.checkSize(files.reduce((sum, file) => sum + file.size, 0), files.length, url);
    const accepted = await this.accept(await this.hub.stage(pinned, files));
    return this.result(ref, url, accepted, tags, sourceSeconds, {
      hub: 'huggingface', repo: ref.repo, revision: requested.revision, ...(info.commit === undefined ? {} : { commit: info.commit }),
      fetchedAt: this.clock.now().toISOString(), info: info.info, files, tags,
    });
  }

  /** A repository, or one ref of it, or one directory at that ref: always pinned to a commit. */
  private async fromCodeHost(ref: Ref<'github'>, url: string): Promise<IngestedSource> {
    const started = this.clock.now().getTime();
    const [repository, tags] = await Promise.all([this.code.repository(ref.repo), this.code.listTags(ref.repo)]);
    const revision = ref.ref ?? repository.defaultBranch;
    const commit = ref.ref === undefined ? repository.commit : await this.code.resolveRef(ref.repo, ref.ref);
    const sourceSeconds = (this.clock.now().getTime() - started) / 1000;
    const at = commit ?? revision;
    const staged = ref.path === undefined
      ? await this.code.stage(ref.repo, at, this.maxBytes)
      : await this.code.stageDirectory(ref.repo, at, ref.path, this.maxBytes);
    const accepted = await this.accept(staged);
    const files = accepted.package.files.map(({ path, size }) => ({ path, size }));
    return this.result(ref, url, accepted, tags, sourceSeconds, {
      hub: 'github', repo: ref.repo, revision, ...(commit === undefined ? {} : { commit }), ...(ref.path === undefined ? {} : { path: ref.path }),
      fetchedAt: this.clock.now().toISOString(), info: repository.info, files, tags,
    });
  }

  private async fromKaggle(host: DatasetHost, ref: Ref<'kaggle'>, url: string): Promise<IngestedSource> {
    const started = this.clock.now().getTime();
    const dataset = await host.info(ref.dataset);
    const sourceSeconds = (this.clock.now().getTime() - started) / 1000;
    if (dataset.totalBytes !== undefined) this.checkSize(dataset.totalBytes, undefined, url);
    const accepted = await this.accept(await host.stage(ref.dataset, dataset.version, this.maxBytes));
    const files = accepted.package.files.map(({ path, size }) => ({ path, size }));
    return this.result(ref, url, accepted, [], sourceSeconds, {
      hub: 'kaggle', repo: ref.dataset, revision: 'latest', ...(dataset.version === undefined ? {} : { commit: `version ${dataset.version}` }),
      fetchedAt: this.clock.now().toISOString(), info: dataset.info, files, tags: [],
    });
  }

  /** Without credentials nothing is fetched: the record says what the URL says, and where to get the content. */
  private referenceTo(ref: Ref<'kaggle'>, url: string): IngestedSource {
    const [owner = '', slug = ''] = ref.dataset.split('/');
    return {
      name: nameFromSource(ref),
      source: { kind: 'url', url },
      origin: { hub: 'kaggle', repo: ref.dataset, revision: 'latest', fetchedAt: this.clock.now().toISOString(), info: { ownerRef: owner, datasetSlug: slug }, files: [], tags: [] },
      versions: [],
      reference: { page: sourcePageOf(ref), reason: 'not mirrored: the registry has no Kaggle credentials (KAGGLE_USERNAME, KAGGLE_KEY), so the dataset is registered by reference only' },
      sourceSeconds: 0,
    };
  }

  private checkSize(total: number, fileCount: number | undefined, url: string): void {
    if (total > this.maxBytes) {
      const files = fileCount === undefined ? '' : ` in ${fileCount} files`;
      throw new DomainError(
        ErrorCode.SourceTooLarge,
        `${url} holds ${total} bytes${files}; this registry mirrors at most ${this.maxBytes} (TMR_MAX_INGEST_BYTES)`,
        { total_bytes: total, limit_bytes: this.maxBytes },
      );
    }
  }

  private async accept(staged: StagedPackage): Promise<AcceptedPackage> {
    try {
      return await this.intake.accept(staged.path);
    } finally {
      await staged.dispose();
    }
  }

  private result(ref: SourceRef, url: string, accepted: AcceptedPackage, tags: readonly string[], sourceSeconds: number, origin: SourceSnapshot): IngestedSource {
    return { name: nameFromSource(ref), source: { kind: 'url', url }, origin, versions: versionsFromTags(tags), accepted, sourceSeconds };
  }
}
