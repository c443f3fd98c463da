import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { DomainError, ErrorCode } from '../../../domain/errors';

export interface StoredText {
  readonly text: string;
  readonly etag: string;
}

export interface ListedObject {
  readonly key: string;
  readonly etag: string;
  readonly lastModified: Date;
}

export interface ListPage {
  readonly objects: readonly ListedObject[];
  readonly truncated: boolean;
}

/** `ifNoneMatch: '*'` creates only; `ifMatch` replaces only the version that was read. */
export type WriteCondition = { readonly ifNoneMatch: '*' } | { readonly ifMatch: string };

/** A conditional write either lands or says why not: someone else's version is there, or nothing is. */
export type WriteOutcome = { readonly ok: true; readonly etag: string } | { readonly ok: false; readonly reason: 'precondition' | 'missing' };

interface SdkError {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED',
]);

export const httpStatusOf = (error: unknown): number | undefined =>
  typeof error === 'object' && error !== null ? (error as SdkError).$metadata?.httpStatusCode : undefined;

/**
 * Whether S3 could not be reached or failed on its side (5xx, throttling, timeouts, refused access,
 * a missing bucket): the request may succeed later, so it is a 503 rather than a 500.
 */
export function isUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const sdk = error as SdkError;
  const status = sdk.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429 || status === 403 || sdk.name === 'NoSuchBucket';
  // Errors below HTTP (refused, reset, timed out) carry $metadata once the SDK's retries gave up.
  return sdk.name === 'TimeoutError' || (sdk.code !== undefined && NETWORK_CODES.has(sdk.code)) || sdk.$metadata !== undefined;
}

/** The client sees the kind of failure (never addresses or keys); the log gets the cause. */
export function storageUnavailable(error: unknown, bucket: string): DomainError {
  const sdk = error as SdkError;
  const why = sdk.name === 'NoSuchBucket' ? `bucket "${bucket}" does not exist`
    : httpStatusOf(error) === 403 ? `access to bucket "${bucket}" was denied`
      : sdk.code ?? sdk.name ?? 'unknown error';
  return Object.assign(new DomainError(ErrorCode.StorageUnavailable, `storage is unreachable: ${why}`), { cause: error });
}

const isStatus = (error: unknown, ...statuses: number[]): boolean => statuses.includes(httpStatusOf(error) ?? -1);

/** Runs `work` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const LIST_MAX = 1000;
const DELETE_BATCH = 1000;

/**
 * The few object operations the storage adapters need, with S3's failures turned into answers
 * (missing, precondition failed) or into STORAGE.UNAVAILABLE. Everything else is rethrown.
 */
export class S3Bucket {
  /**
   * @param client for metadata: small requests, short timeouts, so an outage shows within seconds.
   * @param bulk for content: uploads and copies whose answer only comes once megabytes have moved.
   */
  constructor(
    readonly client: S3Client,
    readonly name: string,
    readonly bulk: S3Client = client,
  ) {}

  async send<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw isUnavailable(error) ? storageUnavailable(error, this.name) : error;
    }
  }

  /** The object's text and ETag; undefined when absent; 'unchanged' when it still has `knownEtag`. */
  async getText(key: string, knownEtag?: string): Promise<StoredText | undefined | 'unchanged'> {
    try {
      const response = await this.send(() => this.client.send(new GetObjectCommand({
        Bucket: this.name, Key: key, ...(knownEtag === undefined ? {} : { IfNoneMatch: knownEtag }),
      })));
      const text = (await response.Body?.transformToString('utf8')) ?? '';
      return { text, etag: response.ETag ?? '' };
    } catch (error) {
      if (isStatus(error, 304)) return 'unchanged';
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  /** JSON documents, and empty markers when `text` is empty. */
  async putText(key: string, text: string, condition?: WriteCondition): Promise<WriteOutcome> {
    return this.put(this.client, key, Buffer.from(text, 'utf8'), text === '' ? 'application/x-empty' : 'application/json', condition);
  }

  async putBytes(key: string, body: Buffer, condition?: WriteCondition): Promise<WriteOutcome> {
    return this.put(this.bulk, key, body, 'application/octet-stream', condition);
  }

  private async put(client: S3Client, key: string, body: Buffer, contentType: string, condition?: WriteCondition): Promise<WriteOutcome> {
    try {
      const response = await this.send(() => client.send(new PutObjectCommand({
        Bucket: this.name,
        Key: key,
        Body: body,
        ContentLength: body.length,
        ContentType: contentType,
        ...(condition === undefined ? {} : 'ifMatch' in condition ? { IfMatch: condition.ifMatch } : { IfNoneMatch: condition.ifNoneMatch }),
      })));
      return { ok: true, etag: response.ETag ?? '' };
    } catch (error) {
      return failedCondition(error);
    }
  }

  async getStream(key: string, range?: string): Promise<Readable | undefined> {
    try {
      const response = await this.send(() => this.client.send(new GetObjectCommand({
        Bucket: this.name, Key: key, ...(range === undefined ? {} : { Range: range }),
      })));
      return response.Body as Readable;
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  /** Size in bytes, or undefined when absent. */
  async size(key: string): Promise<number | undefined> {
    try {
      const response = await this.send(() => this.client.send(new HeadObjectCommand({ Bucket: this.name, Key: key })));
      return response.ContentLength ?? 0;
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  /** With `ifMatch`, deletes only that version; without, deleting an absent key is not an error. */
  async delete(key: string, ifMatch?: string): Promise<'deleted' | 'precondition' | 'missing'> {
    try {
      await this.send(() => this.client.send(new DeleteObjectCommand({
        Bucket: this.name, Key: key, ...(ifMatch === undefined ? {} : { IfMatch: ifMatch }),
      })));
      return 'deleted';
    } catch (error) {
      if (isStatus(error, 404)) return 'missing';
      if (isStatus(error, 412, 409)) return 'precondition';
      throw error;
    }
  }

  /** Deletes what it can and never throws: for cleanup whose failure leaves only ignorable garbage. */
  async deleteQuietly(keys: readonly string[]): Promise<void> {
    await this.deleteKeys(keys).catch(() => undefined);
  }

  async deleteKeys(keys: readonly string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
      const response = await this.send(() => this.client.send(new DeleteObjectsCommand({
        Bucket: this.name,
        Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
      })));
      const failed = response.Errors ?? [];
      if (failed.length > 0) {
        throw new DomainError(ErrorCode.StorageUnavailable, `storage is unreachable: ${failed.length} objects could not be deleted (${failed[0]?.Code ?? 'unknown'})`);
      }
    }
  }

  /** One page of keys under `prefix` that sort after `startAfter`, in key order. */
  async list(prefix: string, startAfter?: string, maxKeys = LIST_MAX): Promise<ListPage> {
    const response = await this.send(() => this.client.send(new ListObjectsV2Command({
      Bucket: this.name,
      Prefix: prefix,
      MaxKeys: Math.min(Math.max(maxKeys, 1), LIST_MAX),
      ...(startAfter === undefined ? {} : { StartAfter: startAfter }),
    })));
    const objects = (response.Contents ?? []).flatMap((item) => (item.Key === undefined ? [] : [{
      key: item.Key,
      etag: item.ETag ?? '',
      lastModified: item.LastModified ?? new Date(0),
    }]));
    return { objects, truncated: response.IsTruncated === true };
  }

  /** Every page under `prefix`, fetched one at a time as the caller asks for it. */
  async *pages(prefix: string, startAfter?: string): AsyncGenerator<ListPage> {
    let after = startAfter;
    for (;;) {
      const page = await this.list(prefix, after);
      yield page;
      const last = page.objects[page.objects.length - 1];
      if (!page.truncated || last === undefined) return;
      after = last.key;
    }
  }

  /** Removes everything under `prefix`, a page at a time. */
  async deletePrefix(prefix: string): Promise<void> {
    for await (const page of this.pages(prefix)) await this.deleteKeys(page.objects.map((object) => object.key));
  }
}

function failedCondition(error: unknown): WriteOutcome {
  // 409 ConditionalRequestConflict: a concurrent conditional write to the same key was in flight.
  if (isStatus(error, 412, 409)) return { ok: false, reason: 'precondition' };
  if (isStatus(error, 404)) return { ok: false, reason: 'missing' };
  throw error;
}
