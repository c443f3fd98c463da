import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Entry } from 'yauzl';
import yazl from 'yazl';
import { DomainError, ErrorCode } from '../../domain/errors';
import { classifyPackageFile } from '../../domain/package-parts';
import type { StagedPackage } from '../../ports/source-hubs.port';
import { openValidated, readDirectory } from './zip-package-archive';

export const STAGING_DIR = join(tmpdir(), 'tmr-staging');
const FIXED_MTIME = new Date(Date.UTC(2000, 0, 1));
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

export interface StageEntry {
  readonly path: string;
  /** Expected byte count, when the source declared one. */
  readonly size?: number;
  /** Expected sha256, when the source declared one. */
  readonly sha256?: string;
  open(): Promise<Readable>;
}

const integrity = (message: string, path: string): DomainError =>
  new DomainError(ErrorCode.SourceIntegrity, message, { path });

/**
 * Streams entries one after another into a zip on local disk, checking each against the size and
 * sha256 its source declared. Nothing is held in memory; a failure removes the partial file.
 */
export async function stageZip(entries: readonly StageEntry[], sourceName: string): Promise<StagedPackage> {
  mkdirSync(STAGING_DIR, { recursive: true });
  const path = join(STAGING_DIR, `${randomUUID()}.zip`);
  const zip = new yazl.ZipFile();
  let failure: Error | undefined;
  const fail = (error: Error): void => {
    failure ??= error;
    (zip.outputStream as unknown as Readable).destroy(failure);
  };
  zip.on('error', (error: Error) => fail(error));
  for (const entry of entries) {
    zip.addReadStreamLazy(
      entry.path,
      { mtime: FIXED_MTIME, mode: 0o100644, compress: classifyPackageFile(entry.path) !== 'weights', ...(entry.size === undefined ? {} : { size: entry.size }) },
      (callback) => {
        entry.open().then(
          (stream) => {
            const verified = stream.pipe(verifier(entry, sourceName));
            stream.once('error', (error) => fail(error));
            verified.once('error', (error) => fail(error));
            callback(null, verified);
          },
          (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
        );
      },
    );
  }
  zip.end();
  try {
    await pipeline(zip.outputStream, createWriteStream(path));
    if (failure !== undefined) throw failure;
  } catch (error) {
    await rm(path, { force: true });
    throw failure ?? error;
  }
  return { path, size: (await stat(path)).size, dispose: () => rm(path, { force: true }) };
}

function verifier(entry: StageEntry, sourceName: string): Transform {
  const hash = createHash('sha256');
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      hash.update(chunk);
      if (entry.size !== undefined && size > entry.size) {
        callback(integrity(`${sourceName} sent more bytes for ${entry.path} than the ${entry.size} it declared`, entry.path));
        return;
      }
      callback(null, chunk);
    },
    flush(callback) {
      if (entry.size !== undefined && size !== entry.size) {
        callback(integrity(`${sourceName} sent ${size} bytes for ${entry.path} but declared ${entry.size}: the transfer was cut short`, entry.path));
        return;
      }
      const digest = hash.digest('hex');
      if (entry.sha256 !== undefined && digest !== entry.sha256) {
        callback(integrity(`${entry.path} from ${sourceName} hashes to ${digest}, not the ${entry.sha256} the source declared`, entry.path));
        return;
      }
      callback();
    },
  });
}

/** Downloads a stream to a staging file, refusing to write more than `maxBytes`. */
export async function stageStream(content: Readable, maxBytes: number, tooLarge: () => DomainError): Promise<StagedPackage> {
  mkdirSync(STAGING_DIR, { recursive: true });
  const path = join(STAGING_DIR, `${randomUUID()}.download`);
  let size = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      callback(size > maxBytes ? tooLarge() : null, chunk);
    },
  });
  try {
    await pipeline(content, limiter, createWriteStream(path));
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return { path, size, dispose: () => rm(path, { force: true }) };
}

/**
 * Re-zips a source archive (a GitHub zipball) without its single top-level folder, so the package
 * looks like the repository itself. Links and other non-regular files are left out: a mirror holds
 * content, and a link could point outside it.
 */
export async function restageWithoutTopFolder(archivePath: string, sourceName: string, within?: string): Promise<StagedPackage> {
  // A broken archive is the source's fault (502), not the caller's, so reading errors are re-labelled.
  const asSourceFault = (error: unknown): DomainError =>
    integrity(`${sourceName} sent an archive that is not a readable zip: ${error instanceof Error ? error.message : String(error)}`, archivePath);
  const zip = await openValidated(archivePath).catch((error: unknown) => {
    throw asSourceFault(error);
  });
  try {
    const entries = await readDirectory(zip).catch((error: unknown) => {
      throw asSourceFault(error);
    });
    // With `within`, only that directory is kept, and its files become the package's top level.
    const top = commonTopFolder(entries.map((entry) => entry.fileName)) + (within === undefined ? '' : `${within}/`);
    const files = entries.filter((entry) => !entry.fileName.endsWith('/') && isRegularFile(entry) && entry.fileName.startsWith(top));
    if (within !== undefined && files.length === 0) {
      throw new DomainError(ErrorCode.SourceNotFound, `${sourceName} has no files under ${within}/`, { path: within });
    }
    return await stageZip(
      files.map((entry) => ({
        path: entry.fileName.slice(top.length),
        size: entry.uncompressedSize,
        open: () => new Promise<Readable>((done, failOpen) => zip.openReadStream(entry, (error, stream) => (error === null ? done(stream) : failOpen(error)))),
      })).filter((entry) => entry.path.length > 0),
      sourceName,
    );
  } finally {
    zip.close();
  }
}

function isRegularFile(entry: Entry): boolean {
  const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
  return mode === 0 || mode === S_IFREG;
}

function commonTopFolder(names: readonly string[]): string {
  const first = names[0]?.split('/')[0];
  if (first === undefined || first === '' || !names.every((name) => name.startsWith(`${first}/`))) return '';
  return `${first}/`;
}
