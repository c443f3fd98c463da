import { createHash, randomUUID, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { DomainError, ErrorCode } from '../../../domain/errors';
import type { BlobStore, ByteRange, ListedBlob, StoredBlob } from '../../../ports/blob-store.port';
import { httpStatusOf, mapLimit, type S3Bucket } from './s3-bucket';
import { Prefix, blobKey } from './s3-layout';

/** Content up to one part is hashed in memory and written once, straight to its final key. */
export const PART_BYTES = 8 * 1024 * 1024;
const UPLOAD_QUEUE = 4;
/** CopyObject's ceiling; larger blobs are copied part by part. */
const SINGLE_COPY_LIMIT = 5 * 1024 ** 3;
const COPY_PART_BYTES = 512 * 1024 * 1024;
/** A server-side copy of gigabytes answers only when done. */
const COPY_TIMEOUT_MS = 15 * 60 * 1000;

const SHA256 = /^[0-9a-f]{64}$/;

const toBuffer = (chunk: unknown): Buffer => (Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array | string));

/**
 * Content-addressed blobs under `blobs/<ab>/<sha256>`. The digest is known only once the last byte
 * is read, so content larger than one part is streamed with a multipart upload to a temporary key,
 * then copied server-side to its digest key with If-None-Match: * — exactly one concurrent writer
 * of the same content is told it created it. Nothing is visible under a digest until complete.
 */
export class S3BlobStore implements BlobStore {
  constructor(
    private readonly bucket: S3Bucket,
    private readonly maxPresignSeconds: number,
  ) {}

  async put(content: Readable, expectedSha256?: string): Promise<StoredBlob> {
    const hash = createHash('sha256');
    const source = content[Symbol.asyncIterator]();
    const head: Buffer[] = [];
    let headBytes = 0;
    for (;;) {
      if (headBytes >= PART_BYTES) return this.putLarge(head, source, hash, expectedSha256);
      const next = await source.next();
      if (next.done === true) break;
      const chunk = toBuffer(next.value);
      hash.update(chunk);
      head.push(chunk);
      headBytes += chunk.length;
    }
    const data = Buffer.concat(head);
    const sha256 = verified(hash, expectedSha256);
    const outcome = await this.bucket.putBytes(blobKey(sha256), data, { ifNoneMatch: '*' });
    return { sha256, size: data.length, created: outcome.ok };
  }

  async get(sha256: string, range?: ByteRange): Promise<Readable> {
    const stream = await this.bucket.getStream(blobKey(sha256), range === undefined ? undefined : `bytes=${range.start}-${range.end}`)
      .catch((error: unknown) => {
        if (httpStatusOf(error) === 416) throw new DomainError(ErrorCode.InvalidInput, 'the requested range is outside the content');
        throw error;
      });
    if (stream === undefined) throw new DomainError(ErrorCode.StorageUnavailable, `content ${sha256} is missing from storage`);
    return stream;
  }

  async head(sha256: string): Promise<number | undefined> {
    return this.bucket.size(blobKey(sha256));
  }

  async delete(sha256: string): Promise<void> {
    await this.bucket.delete(blobKey(sha256));
  }

  async clear(): Promise<void> {
    await this.bucket.deletePrefix(Prefix.blobs);
    await this.bucket.deletePrefix(Prefix.tmp);
  }

  async *list(): AsyncIterable<ListedBlob> {
    for await (const page of this.bucket.pages(Prefix.blobs)) {
      for (const object of page.objects) {
        const sha256 = object.key.slice(object.key.lastIndexOf('/') + 1);
        if (SHA256.test(sha256)) yield { sha256, modifiedAt: object.lastModified };
      }
    }
  }

  /**
   * Removes large uploads staged under `tmp/` that their writer never finished (a function instance
   * timed out mid-upload). The bucket's lifecycle rule would expire them after a day anyway.
   */
  async sweepTemporary(olderThanMs: number, now: Date): Promise<number> {
    let removed = 0;
    for await (const page of this.bucket.pages(Prefix.tmp)) {
      const stale = page.objects.filter((object) => now.getTime() - object.lastModified.getTime() > olderThanMs).map((object) => object.key);
      await this.bucket.deleteKeys(stale);
      removed += stale.length;
    }
    return removed;
  }

  /** Signed locally (no request to S3): the client fetches the bytes from S3 itself. */
  async presignGet(sha256: string, options: { filename: string; expiresInSeconds: number }): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket.name,
      Key: blobKey(sha256),
      ResponseContentType: 'application/zip',
      ResponseContentDisposition: `attachment; filename="${options.filename.replace(/["\\\r\n]/g, '_')}"`,
    });
    const expiresIn = Math.max(1, Math.min(options.expiresInSeconds, this.maxPresignSeconds));
    return this.bucket.send(() => getSignedUrl(this.bucket.client, command, { expiresIn }));
  }

  private async putLarge(head: Buffer[], source: AsyncIterator<unknown>, hash: Hash, expectedSha256?: string): Promise<StoredBlob> {
    let size = head.reduce((sum, chunk) => sum + chunk.length, 0);
    // A failing source is the caller's problem (a client or an upstream hung up), not storage's.
    let sourceFailure: { readonly error: unknown } | undefined;
    const rest = async function* (): AsyncGenerator<Buffer> {
      yield* head;
      for (;;) {
        const next = await source.next().catch((error: unknown) => {
          sourceFailure = { error };
          throw error;
        });
        if (next.done === true) return;
        const chunk = toBuffer(next.value);
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    };
    const staging = `${Prefix.tmp}${randomUUID()}`;
    try {
      await this.bucket.send(() => new Upload({
        client: this.bucket.bulk,
        params: { Bucket: this.bucket.name, Key: staging, Body: Readable.from(rest()), ContentType: 'application/octet-stream' },
        partSize: PART_BYTES,
        queueSize: UPLOAD_QUEUE,
      }).done()).catch((error: unknown) => {
        throw sourceFailure === undefined ? error : sourceFailure.error;
      });
      const sha256 = verified(hash, expectedSha256);
      if ((await this.head(sha256)) !== undefined) return { sha256, size, created: false };
      const created = size <= SINGLE_COPY_LIMIT ? await this.copy(staging, blobKey(sha256)) : await this.copyInParts(staging, blobKey(sha256), size);
      return { sha256, size, created };
    } finally {
      await this.bucket.deleteQuietly([staging]);
    }
  }

  /** Answers false when the target already existed (someone else stored the same content first). */
  private async copy(from: string, to: string): Promise<boolean> {
    try {
      await this.bucket.send(() => this.bucket.bulk.send(new CopyObjectCommand({
        Bucket: this.bucket.name, Key: to, CopySource: `${this.bucket.name}/${from}`, IfNoneMatch: '*',
      }), { requestTimeout: COPY_TIMEOUT_MS }));
      return true;
    } catch (error) {
      if (httpStatusOf(error) === 412 || httpStatusOf(error) === 409) return false;
      throw error;
    }
  }

  private async copyInParts(from: string, to: string, size: number): Promise<boolean> {
    const { bucket } = this;
    const { UploadId } = await bucket.send(() => bucket.client.send(new CreateMultipartUploadCommand({ Bucket: bucket.name, Key: to })));
    const ranges = Array.from({ length: Math.ceil(size / COPY_PART_BYTES) }, (_, index) => ({
      PartNumber: index + 1,
      range: `bytes=${index * COPY_PART_BYTES}-${Math.min(size, (index + 1) * COPY_PART_BYTES) - 1}`,
    }));
    try {
      const parts = await mapLimit(ranges, UPLOAD_QUEUE, async ({ PartNumber, range }) => {
        const copied = await bucket.send(() => bucket.bulk.send(new UploadPartCopyCommand({
          Bucket: bucket.name, Key: to, UploadId, PartNumber, CopySource: `${bucket.name}/${from}`, CopySourceRange: range,
        }), { requestTimeout: COPY_TIMEOUT_MS }));
        return { PartNumber, ETag: copied.CopyPartResult?.ETag };
      });
      await bucket.send(() => bucket.bulk.send(new CompleteMultipartUploadCommand({
        Bucket: bucket.name, Key: to, UploadId, MultipartUpload: { Parts: parts }, IfNoneMatch: '*',
      })));
      return true;
    } catch (error) {
      await bucket.client.send(new AbortMultipartUploadCommand({ Bucket: bucket.name, Key: to, UploadId })).catch(() => undefined);
      if (httpStatusOf(error) === 412 || httpStatusOf(error) === 409) return false;
      throw error;
    }
  }
}

function verified(hash: Hash, expectedSha256: string | undefined): string {
  const sha256 = hash.digest('hex');
  if (expectedSha256 !== undefined && expectedSha256 !== sha256) {
    throw new DomainError(ErrorCode.InvalidPackage, `content hash ${sha256} does not match the expected ${expectedSha256}`);
  }
  return sha256;
}
