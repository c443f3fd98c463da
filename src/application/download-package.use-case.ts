import type { Readable } from 'node:stream';
import { metadataOf, type ArtifactRecord, type ArtifactType, type StoredBundle } from '../domain/artifact';
import { DomainError, ErrorCode } from '../domain/errors';
import type { PackagePart } from '../domain/package-parts';
import type { User } from '../domain/user';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import type { AuditLog } from '../ports/audit-log.port';
import type { BlobStore } from '../ports/blob-store.port';
import type { Clock } from '../ports/system.port';
import { loadArtifact, requirePermission } from './access';

export type Download =
  | { readonly kind: 'stream'; readonly record: ArtifactRecord; readonly bundle: StoredBundle; readonly filename: string; readonly content: Readable }
  | { readonly kind: 'redirect'; readonly record: ArtifactRecord; readonly bundle: StoredBundle; readonly filename: string; readonly url: string };

export const PRESIGNED_URL_SECONDS = 300;

/** Streams the stored package or one of its parts; the download is audited before bytes flow. */
export class DownloadPackage {
  constructor(
    private readonly repository: ArtifactRepository,
    private readonly blobs: BlobStore,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
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
    const safeName = record.name.replace(/[^A-Za-z0-9._-]+/g, '_');
    const filename = `${safeName}${input.part === undefined ? '' : `-${input.part}`}.zip`;
    const download: Download = this.blobs.presignGet === undefined
      ? { kind: 'stream', record, bundle, filename, content: await this.blobs.get(bundle.sha256) }
      : { kind: 'redirect', record, bundle, filename, url: await this.blobs.presignGet(bundle.sha256, { filename, expiresInSeconds: this.presignSeconds }) };
    try {
      await this.audit.append({
        user: input.actor,
        date: this.clock.now().toISOString(),
        artifact: metadataOf(record),
        action: 'DOWNLOAD',
        detail: input.part ?? 'full',
      });
    } catch (error) {
      // Nobody will read the opened content now: release it rather than leave it open.
      if (download.kind === 'stream') download.content.destroy();
      throw error;
    }
    return download;
  }
}
