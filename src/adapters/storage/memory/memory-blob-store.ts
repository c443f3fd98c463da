import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { DomainError, ErrorCode } from '../../../domain/errors';
import type { BlobStore, ByteRange, ListedBlob, StoredBlob } from '../../../ports/blob-store.port';

/** Blobs held in memory — only for tests, where packages are small. */
export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Buffer>();
  private readonly stored = new Map<string, Date>();

  async put(content: Readable, expectedSha256?: string): Promise<StoredBlob> {
    const chunks: Buffer[] = [];
    const hash = createHash('sha256');
    for await (const chunk of content) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      hash.update(buffer);
      chunks.push(buffer);
    }
    const sha256 = hash.digest('hex');
    if (expectedSha256 !== undefined && expectedSha256 !== sha256) {
      throw new DomainError(ErrorCode.InvalidPackage, `content hash ${sha256} does not match the expected ${expectedSha256}`);
    }
    const data = Buffer.concat(chunks);
    const created = !this.blobs.has(sha256);
    if (created) this.blobs.set(sha256, data);
    this.stored.set(sha256, new Date());
    return { sha256, size: data.length, created };
  }

  async get(sha256: string, range?: ByteRange): Promise<Readable> {
    const data = this.blobs.get(sha256);
    if (data === undefined) throw new DomainError(ErrorCode.StorageUnavailable, `content ${sha256} is missing from storage`);
    return Readable.from([range === undefined ? data : data.subarray(range.start, range.end + 1)]);
  }

  async head(sha256: string): Promise<number | undefined> {
    return this.blobs.get(sha256)?.length;
  }

  async delete(sha256: string): Promise<void> {
    this.blobs.delete(sha256);
    this.stored.delete(sha256);
  }

  async clear(): Promise<void> {
    this.blobs.clear();
    this.stored.clear();
  }

  async *list(): AsyncIterable<ListedBlob> {
    for (const [sha256, modifiedAt] of [...this.stored]) yield { sha256, modifiedAt };
  }
}
