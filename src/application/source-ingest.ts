import type { ArtifactSource, SourceFile, SourceSnapshot } from '../domain/artifact';
import { DomainError, ErrorCode } from '../domain/errors';
import { nameFromSource, type SourceRef } from '../domain/source-url';
import { versionsFromTags } from '../domain/version';
import type { CodeHost, ModelHub, StagedPackage } from '../ports/source-hubs.port';
import type { Clock } from '../ports/system.port';
import type { AcceptedPackage, PackageIntake } from './package-intake';

export interface IngestedSource {
  readonly name: string;
  readonly source: ArtifactSource;
  readonly origin: SourceSnapshot;
  readonly versions: string[];
  readonly accepted: AcceptedPackage;
  /** Seconds the source's metadata took to fetch: part of the latency of the metrics that read it. */
  readonly sourceSeconds: number;
}

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
  ) {}

  async fetch(ref: SourceRef, url: string): Promise<IngestedSource> {
    return ref.hub === 'huggingface' ? this.fromHub(ref, url) : this.fromCodeHost(ref, url);
  }

  private async fromHub(ref: Extract<SourceRef, { hub: 'huggingface' }>, url: string): Promise<IngestedSource> {
    const requested = { kind: ref.kind, repo: ref.repo, revision: ref.revision ?? 'main' };
    const started = this.clock.now().getTime();
    const info = await this.hub.info(requested);
    // Pin the commit the revision resolved to, so the listing and the downloads describe one snapshot.
    const pinned = { ...requested, revision: info.commit ?? requested.revision };
    const [files, tags] = await Promise.all([this.hub.listFiles(pinned), this.hub.listTags(pinned)]);
    const sourceSeconds = (this.clock.now().getTime() - started) / 1000;
    this.checkSize(files, url);
    const accepted = await this.accept(await this.hub.stage(pinned, files));
    return this.result(ref, url, accepted, tags, sourceSeconds, {
      hub: 'huggingface', repo: ref.repo, revision: requested.revision, ...(info.commit === undefined ? {} : { commit: info.commit }),
      fetchedAt: this.clock.now().toISOString(), info: info.info, files, tags,
    });
  }

  private async fromCodeHost(ref: Extract<SourceRef, { hub: 'github' }>, url: string): Promise<IngestedSource> {
    const started = this.clock.now().getTime();
    const [repository, tags] = await Promise.all([this.code.repository(ref.repo), this.code.listTags(ref.repo)]);
    const sourceSeconds = (this.clock.now().getTime() - started) / 1000;
    const revision = repository.commit ?? repository.defaultBranch;
    const accepted = await this.accept(await this.code.stage(ref.repo, revision, this.maxBytes));
    const files = accepted.package.files.map(({ path, size }) => ({ path, size }));
    return this.result(ref, url, accepted, tags, sourceSeconds, {
      hub: 'github', repo: ref.repo, revision: repository.defaultBranch, ...(repository.commit === undefined ? {} : { commit: repository.commit }),
      fetchedAt: this.clock.now().toISOString(), info: repository.info, files, tags,
    });
  }

  private checkSize(files: readonly SourceFile[], url: string): void {
    const total = files.reduce((sum, file) => sum + file.size, 0);
    if (total > this.maxBytes) {
      throw new DomainError(
        ErrorCode.SourceTooLarge,
        `${url} holds ${total} bytes in ${files.length} files; this registry mirrors at most ${this.maxBytes} (TMR_MAX_INGEST_BYTES)`,
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
