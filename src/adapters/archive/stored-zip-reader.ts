import { createHash } from 'node:crypto';
import { PassThrough, Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LRUCache } from 'lru-cache';
import yauzl, { RandomAccessReader, type Entry, type ZipFile } from 'yauzl';
import type { StoredBundle } from '../../domain/artifact';
import { DomainError, ErrorCode } from '../../domain/errors';
import type { BlobStore, ByteRange } from '../../ports/blob-store.port';
import type { StoredPackageReader } from '../../ports/stored-package.port';
import { readDirectory } from './zip-package-archive';

/** Central directories kept decoded; each is a few kilobytes per thousand entries. */
const DIRECTORY_CACHE_SIZE = 64;

interface Directory {
  readonly zip: ZipFile;
  readonly entries: ReadonlyMap<string, Entry>;
}

/**
 * yauzl over ranged blob reads: the central directory is read once per package (cached by digest,
 * which never changes meaning), and each file is read from its own byte range — for a stored entry
 * exactly the requested range, for a deflated one inflated from its start. Works on every BlobStore.
 */
export class StoredZipReader implements StoredPackageReader {
  private readonly directories = new LRUCache<string, Promise<Directory>>({
    max: DIRECTORY_CACHE_SIZE,
    dispose: (pending) => {
      pending.then((directory) => directory.zip.close(), () => undefined);
    },
  });

  constructor(private readonly blobs: BlobStore) {}

  async openFile(bundle: StoredBundle, path: string, range?: ByteRange): Promise<Readable | undefined> {
    const { zip, entries } = await this.directory(bundle);
    const entry = entries.get(path);
    if (entry === undefined) return undefined;
    const stored = entry.compressionMethod === 0;
    const raw = await openEntry(zip, entry, stored && range !== undefined ? { start: range.start, end: range.end + 1 } : {});
    if (range === undefined || stored) return raw;
    const sliced = new Slice(range.start, range.end + 1);
    raw.once('error', (error) => sliced.destroy(error));
    // The rest of the entry is not wanted once the range is out.
    sliced.once('end', () => raw.destroy());
    sliced.once('close', () => raw.destroy());
    raw.pipe(sliced);
    return sliced;
  }

  async digestFile(bundle: StoredBundle, path: string): Promise<string | undefined> {
    const content = await this.openFile(bundle, path);
    if (content === undefined) return undefined;
    const hash = createHash('sha256');
    await pipeline(content, hash);
    return hash.digest('hex');
  }

  private directory(bundle: StoredBundle): Promise<Directory> {
    let pending = this.directories.get(bundle.sha256);
    if (pending === undefined) {
      pending = readStoredDirectory(new BlobReader(this.blobs, bundle.sha256), bundle.size);
      // A failed read is not remembered: the next request tries again.
      pending.catch(() => this.directories.delete(bundle.sha256));
      this.directories.set(bundle.sha256, pending);
    }
    return pending;
  }
}

class BlobReader extends RandomAccessReader {
  constructor(private readonly blobs: BlobStore, private readonly sha256: string) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const output = new PassThrough();
    if (end <= start) {
      output.end();
      return output;
    }
    this.blobs.get(this.sha256, { start, end: end - 1 }).then(
      (content) => {
        content.once('error', (error) => output.destroy(error));
        output.once('close', () => content.destroy());
        content.pipe(output);
      },
      (error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))),
    );
    return output;
  }
}

async function readStoredDirectory(reader: RandomAccessReader, size: number): Promise<Directory> {
  const zip = await yauzl.fromRandomAccessReaderPromise(reader, size, { lazyEntries: true, autoClose: false, strictFileNames: true, validateEntrySizes: true });
  try {
    const entries = (await readDirectory(zip)).filter((entry) => !entry.fileName.endsWith('/'));
    return { zip, entries: new Map(entries.map((entry) => [entry.fileName, entry])) };
  } catch (error) {
    zip.close();
    throw new DomainError(ErrorCode.InvalidPackage, `stored package cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function openEntry(zip: ZipFile, entry: Entry, options: { start?: number; end?: number }): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, options, (error, stream) => {
      if (error !== null || stream === undefined) reject(error ?? new Error(`cannot read ${entry.fileName}`));
      else resolve(stream);
    });
  });
}

/** Passes bytes [start, end) of what flows through and discards the rest. */
class Slice extends Transform {
  private offset = 0;
  private done = false;

  constructor(private readonly from: number, private readonly until: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.done) {
      callback();
      return;
    }
    const from = Math.max(0, this.from - this.offset);
    const to = Math.min(chunk.length, this.until - this.offset);
    this.offset += chunk.length;
    if (to > from) this.push(chunk.subarray(from, to));
    if (this.offset >= this.until) {
      this.done = true;
      this.push(null);
    }
    callback();
  }
}
