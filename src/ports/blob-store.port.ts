import type { Readable, Writable } from 'node:stream';

export interface StoredBlob {
  readonly sha256: string;
  readonly size: number;
  /** False when identical content was already stored: callers must not delete what they did not create. */
  readonly created: boolean;
}

/** A stored blob as a listing shows it. */
export interface ListedBlob {
  readonly sha256: string;
  /** When it was last stored: a put of content already there may refresh it. */
  readonly modifiedAt: Date;
}

export interface ByteRange {
  readonly start: number;
  /** Inclusive. */
  readonly end: number;
}

/**
 * Content bytes, addressed by their sha256. Bytes always move as streams so no file is ever held
 * whole in memory; a put is visible only once complete and verified.
 */
/**
 * What `BlobStore.get` may hand out beside a plain stream: content that writes itself into a
 * destination without allocating a buffer per chunk (a local file). Readers that can use it do;
 * every other reader reads the stream.
 */
export interface SendsItself {
  /** Writes the bytes into `destination` and ends it; rejects if either side fails or the destination closes first. */
  sendTo(destination: Writable): Promise<void>;
}

export interface BlobStore {
  /** Streams content in; when `expectedSha256` is given and differs, nothing is stored. */
  put(content: Readable, expectedSha256?: string): Promise<StoredBlob>;
  get(sha256: string, range?: ByteRange): Promise<Readable>;
  /** Size in bytes, or undefined when absent. */
  head(sha256: string): Promise<number | undefined>;
  delete(sha256: string): Promise<void>;
  clear(): Promise<void>;
  /** Every stored blob, a page at a time, in no particular order (the sweeper's walk). */
  list(): AsyncIterable<ListedBlob>;
  /**
   * Removes what interrupted writes left (partial uploads) older than `olderThanMs`; answers how
   * many. Stores whose writes leave nothing behind leave it out.
   */
  sweepTemporary?(olderThanMs: number, now: Date): Promise<number>;
  /**
   * A short-lived URL from which a client can fetch the blob directly, bypassing this process (large
   * files must not pass through a function's payload limit). Stores without one leave it out.
   */
  presignGet?(sha256: string, options: { filename: string; expiresInSeconds: number }): Promise<string>;
}
