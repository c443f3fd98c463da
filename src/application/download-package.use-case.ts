import type { Readable } from 'node:stream';
import { type ArtifactRecord, type ArtifactType, type StoredBundle } from '../domain/artifact';
import { DomainError, ErrorCode } from '../domain/errors';
import type { PackagePart } from '../domain/package-parts';
import type { User } from '../domain/user';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import type { BlobStore, ByteRange } from '../ports/blob-store.port';
import { loadArtifact, requirePermission } from './access';
import type { DownloadGuard } from './sensitivity.use-cases';

export type Download =
  | { readonly kind: 'stream'; readonly record: ArtifactRecord; readonly bundle: StoredBundle; readonly filename: string; readonly open: OpenContent }
  | { readonly kind: 'redirect'; readonly record: ArtifactRecord; readonly bundle: StoredBundle; readonly filename: string; readonly url: string };

/** Opens the bytes, all of them or one inclusive range; opened only once the caller knows it will send them. */
export type OpenContent = (range?: ByteRange) => Promise<Readable>;

export const PRESIGNED_URL_SECONDS = 300;

/** Streams the stored package or one of its parts; the download is audited before bytes flow. */
export class DownloadPackage {
  constructor(
    private readonly repository: ArtifactRepository,
    private readonly blobs: BlobStore,
    private readonly guard: DownloadGuard,
    private readonly presignSeconds: number = PRESIGNED_URL_SECONDS,
  ) {}

  async execute(input: { actor: User; type: ArtifactType; id: string; part?: PackagePart }): Promise<Download> {
    requirePermission(input.actor, 'download');
    const record = await loadArtifact(this.repository, input.type, input.id);
    const bundle = input.part === undefined ? record.package.full : record.package.parts[input.part];
    if (bundle === undefined) {
      throw new DomainError(ErrorCode.ArtifactNotFound, `artifact ${record.id} has no ${input.part ?? ''} files`, {
        available: Object.keys(record.package.parts),
      });
    }
    // A sensitive model's program runs before anything, a presigned URL included, is handed out.
    const verdict = await this.guard.check(input.actor, record, input.part ?? 'full');
    const safeName = record.name.replace(/[^A-Za-z0-9._-]+/g, '_');
    const filename = `${safeName}${input.part === undefined ? '' : `-${input.part}`}.zip`;
    if (this.blobs.presignGet === undefined && (await this.blobs.head(bundle.sha256)) === undefined) {
      throw new DomainError(ErrorCode.StorageUnavailable, `content ${bundle.sha256} of artifact ${record.id} is missing from storage`);
    }
    const download: Download = this.blobs.presignGet === undefined
      ? { kind: 'stream', record, bundle, filename, open: (range) => this.blobs.get(bundle.sha256, range) }
      : { kind: 'redirect', record, bundle, filename, url: await this.blobs.presignGet(bundle.sha256, { filename, expiresInSeconds: this.presignSeconds }) };
    await this.guard.record(input.actor, record, input.part ?? 'full', verdict);
    return download;
  }
}
