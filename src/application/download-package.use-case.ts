import type { Readable } from 'node:stream';
import { type ArtifactRecord, type ArtifactType, type StoredBundle } from '../domain/artifact';
import { DomainError, ErrorCode } from '../domain/errors';
import type { PackagePart } from '../domain/package-parts';
import type { User } from '../domain/user';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import type { BlobStore, ByteRange } from '../ports/blob-store.port';
import type { StageTimer } from '../ports/system.port';
import { loadArtifact, requirePermission } from './access';
import type { DownloadGuard } from './sensitivity.use-cases';
import { refuseDangerous } from './package-intake';

export type Download =
  | { readonly kind: 'stream'; readonly record: ArtifactRecord; readonly bundle: StoredBundle; readonly filename: string; readonly open: OpenContent }
  | { readonly kind: 'redirect'; readonly record: ArtifactRecord; readonly bundle: StoredBundle; readonly filename: string; readonly url: string }
  /** The registry holds no content for an external reference: the client is sent to the source. */
  | { readonly kind: 'external'; readonly record: ArtifactRecord; readonly url: string };

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

  async execute(input: { actor: User; type: ArtifactType; id: string; part?: PackagePart; timer?: StageTimer }): Promise<Download> {
    requirePermission(input.actor, 'download');
    const timed = <T>(stage: string, work: () => Promise<T>): Promise<T> => (input.timer === undefined ? work() : input.timer.measure(stage, work));
    const record = await timed('metadata', () => loadArtifact(this.repository, input.type, input.id, { assessment: false }));
    if (record.package === undefined) {
      await this.guard.record(input.actor, record, 'external', undefined);
      return { kind: 'external', record, url: record.reference?.page ?? (record.source.kind === 'url' ? record.source.url : '') };
    }
    // A re-scan under newer rules can condemn content registered earlier; it is then kept but never served.
    if (record.contentScan?.verdict === 'dangerous') refuseDangerous(record.contentScan);
    const bundle = input.part === undefined ? record.package.full : record.package.parts[input.part];
    if (bundle === undefined) {
      throw new DomainError(ErrorCode.ArtifactNotFound, `artifact ${record.id} has no ${input.part ?? ''} files`, {
        available: Object.keys(record.package.parts),
      });
    }
    // A sensitive model's program runs before anything, a presigned URL included, is handed out.
    const verdict = await timed('hook', () => this.guard.check(input.actor, record, input.part ?? 'full'));
    const safeName = record.name.replace(/[^A-Za-z0-9._-]+/g, '_');
    const filename = `${safeName}${input.part === undefined ? '' : `-${input.part}`}.zip`;
    const presignGet = this.blobs.presignGet?.bind(this.blobs);
    const download: Download = await timed('storage', async () => {
      if (presignGet !== undefined) return { kind: 'redirect', record, bundle, filename, url: await presignGet(bundle.sha256, { filename, expiresInSeconds: this.presignSeconds }) };
      if ((await this.blobs.head(bundle.sha256)) === undefined) {
        throw new DomainError(ErrorCode.StorageUnavailable, `content ${bundle.sha256} of artifact ${record.id} is missing from storage`);
      }
      // Recorded once the content is open: a store that fails to hand it out leaves no DOWNLOAD entry.
      const open = async (range?: ByteRange): Promise<Readable> => {
        const content = await timed('storage', () => this.blobs.get(bundle.sha256, range));
        try {
          await timed('audit', () => this.guard.record(input.actor, record, input.part ?? 'full', verdict));
        } catch (error) {
          content.destroy();
          throw error;
        }
        return content;
      };
      return { kind: 'stream', record, bundle, filename, open };
    });
    if (download.kind === 'redirect') await timed('audit', () => this.guard.record(input.actor, record, input.part ?? 'full', verdict));
    return download;
  }
}
