import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, open as openDescriptor } from 'node:fs';
import { link, mkdir, open, readdir, rm, stat, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError, ErrorCode } from '../../../domain/errors';
import type { BlobStore, ByteRange, ListedBlob, StoredBlob } from '../../../ports/blob-store.port';
import { asStorageError, type DiskSpace } from '../../system/disk-space';
import { sendingItself } from './file-sender';

export interface LocalBlobStoreOptions {
  /** Where writes in progress live; the instance's own scratch area, so a dead instance's are swept. */
  readonly tmpDir?: string;
  /** The one place bytes are written to disk (tests put a full disk here). */
  readonly openWrite?: (path: string) => Writable;
  readonly space?: DiskSpace;
}

const openExclusive = (path: string): Writable => createWriteStream(path, { flags: 'wx' });

const SHA256 = /^[0-9a-f]{64}$/;


/**
 * Content-addressed files under `<dir>/ab/cd/<sha256>`: two levels of fan-out keep every directory
 * small at millions of blobs. Writes go to a temporary file that is fsynced and then renamed into
 * place, so a crash leaves either the whole blob or nothing under its name.
 */
const openForReading = (path: string): Promise<number> => promisify(openDescriptor)(path, 'r');

export class LocalBlobStore implements BlobStore {
  private readonly blobDir: string;
  /** Where a crashed writer of an older version left its temporary files. */
  private readonly legacyTmpDir: string;
  private readonly tmpDir: string;
  private readonly openWrite: (path: string) => Writable;

  constructor(dataDir: string, private readonly options: LocalBlobStoreOptions = {}) {
    this.blobDir = join(dataDir, 'blobs');
    this.legacyTmpDir = join(dataDir, 'tmp');
    this.tmpDir = options.tmpDir ?? this.legacyTmpDir;
    this.openWrite = options.openWrite ?? openExclusive;
    mkdirSync(this.tmpDir, { recursive: true });
  }

  async put(content: Readable, expectedSha256?: string): Promise<StoredBlob> {
    try {
      const stored = await this.write(content, expectedSha256);
      this.options.space?.noteWrite();
      return stored;
    } catch (error) {
      throw asStorageError(error, this.options.space);
    }
  }

  private async write(content: Readable, expectedSha256?: string): Promise<StoredBlob> {
    const tmp = join(this.tmpDir, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    try {
      // Piped before any await: a source that fails at once (a file gone, a client gone) must meet a listener.
      await pipeline(content, measure, this.openWrite(tmp));
      await fsyncFile(tmp);
      const sha256 = hash.digest('hex');
      if (expectedSha256 !== undefined && expectedSha256 !== sha256) {
        throw new DomainError(ErrorCode.InvalidPackage, `content hash ${sha256} does not match the expected ${expectedSha256}`);
      }
      const target = this.pathOf(sha256);
      // Another process sharing the directory may remove the existing blob (and its directory)
      // between the link being refused and the refresh: then link again, a few times at most.
      for (let attempt = 1; ; attempt += 1) {
        try {
          await mkdir(dirname(target), { recursive: true });
          // Unlike rename, link refuses an existing name, so of concurrent puts of the same content
          // exactly one is told it created the blob (and only that one may delete it on failure).
          if (await linkUnlessExists(tmp, target)) {
            await fsyncFile(dirname(target));
            return { sha256, size, created: true };
          }
          // Refreshing the time tells any future sweep that the blob is in use again.
          const now = new Date();
          await utimes(target, now, now);
          return { sha256, size, created: false };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 5) throw error;
        }
      }
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async get(sha256: string, range?: ByteRange): Promise<Readable> {
    const path = this.pathOf(sha256);
    // Opened before the stream is handed out, so a missing file is an answer here, never a stream
    // that fails later before anyone listens.
    const fd = await openForReading(path).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new DomainError(ErrorCode.StorageUnavailable, `content ${sha256} is missing from local storage`);
      }
      throw error;
    });
    // A plain descriptor, read with callbacks like a bare `fs.createReadStream`: a FileHandle's
    // stream reads through promises, which cost downloads measurably more CPU per byte. A download
    // sends it with `sendTo` instead of reading it (file-sender.ts).
    const stream = createReadStream(path, { fd, autoClose: true, ...(range === undefined ? {} : { start: range.start, end: range.end }) });
    return sendingItself(stream, fd, range);
  }

  /** Where the content lives on this disk, for a reader that needs a file (a sensitive model's program). */
  localPath(sha256: string): string | undefined {
    const path = this.pathOf(sha256);
    return existsSync(path) ? path : undefined;
  }

  async head(sha256: string): Promise<number | undefined> {
    try {
      return (await stat(this.pathOf(sha256))).size;
    } catch {
      return undefined;
    }
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  /**
   * Removes temporary files that a crashed write left behind. Only old ones: another process sharing
   * the directory may be writing the recent ones right now.
   */
  async sweepTemporary(olderThanMs: number, now: Date): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.legacyTmpDir).catch(() => [] as string[])) {
      const path = join(this.legacyTmpDir, name);
      if (!name.endsWith('.part')) continue;
      const info = await stat(path).catch(() => undefined);
      if (info !== undefined && now.getTime() - info.mtimeMs > olderThanMs) {
        await rm(path, { force: true });
        removed += 1;
      }
    }
    return removed;
  }

  /** Walks the two levels of fan-out; a blob removed during the walk is left out. */
  async *list(): AsyncIterable<ListedBlob> {
    for (const first of await readdir(this.blobDir).catch(() => [] as string[])) {
      for (const second of await readdir(join(this.blobDir, first)).catch(() => [] as string[])) {
        for (const name of await readdir(join(this.blobDir, first, second)).catch(() => [] as string[])) {
          if (!SHA256.test(name)) continue;
          const info = await stat(join(this.blobDir, first, second, name)).catch(() => undefined);
          if (info !== undefined) yield { sha256: name, modifiedAt: info.mtime };
        }
      }
    }
  }

  async clear(): Promise<void> {
    for (const entry of await readdir(this.blobDir).catch(() => [])) {
      await rm(join(this.blobDir, entry), { recursive: true, force: true });
    }
    // The temporary area is left alone: it holds writes in progress, not content.
  }

  private pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new DomainError(ErrorCode.InvalidInput, `"${sha256}" is not a sha256 digest`);
    return join(this.blobDir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }
}

async function linkUnlessExists(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
