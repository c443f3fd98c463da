import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { promisify } from 'node:util';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import yazl from 'yazl';
import { DomainError, ErrorCode } from '../../domain/errors';
import { checkArchiveEntries, type ArchiveEntry, type PackageLimits } from '../../domain/package-policy';
import type { FileScan } from '../../domain/content-scan';
import type { PackageArchive, PackageInspection } from '../../ports/package-archive.port';
import { checkLocalHeader } from './zip-header-consistency';
import { EntrySniffer, scanZipEntry } from './zip-content-scanner';
import { DEFAULT_STAGING_DIR, stageStream } from './zip-stager';

const openZip = promisify<string, yauzl.Options, ZipFile>(yauzl.open);
const MAX_README_BYTES = 1024 * 1024;
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
/** Real configs and cards nest a handful of levels; far deeper ones only exist to exhaust a stack later. */
export const MAX_METADATA_DEPTH = 64;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
// Entries in a repacked part carry this fixed time so the same files always give the same bytes.
const FIXED_MTIME = new Date(Date.UTC(2000, 0, 1));

const invalid = (message: string, path?: string): DomainError =>
  new DomainError(ErrorCode.InvalidPackage, message, path === undefined ? undefined : { path });

/**
 * yauzl reads the central directory without trusting it: names are validated, and actual sizes are
 * compared with declared ones while inflating. CRCs, and the agreement of every local header with its
 * central entry, are checked here, so a package that passes is byte-for-byte what its directory claims.
 */
export class ZipPackageArchive implements PackageArchive {
  /** `scratch`: where nested zips and stored packages are staged while scanned (the instance's own area). */
  constructor(private readonly scratch: string = DEFAULT_STAGING_DIR) {}

  async inspect(zipPath: string, limits: PackageLimits): Promise<PackageInspection> {
    const zip = await openValidated(zipPath);
    try {
      const entries = await readDirectory(zip, limits);
      const archiveEntries = entries.map(toArchiveEntry);
      checkArchiveEntries(archiveEntries, limits);
      if (!archiveEntries.some((entry) => !entry.isDirectory)) throw invalid('zip contains no files');
      for (const entry of entries) await checkLocalHeader(zip, entry);
      const digests = new Map<string, string>();
      let readme: string | undefined;
      let config: Record<string, unknown> | undefined;
      let adapterConfig: Record<string, unknown> | undefined;
      const scan: FileScan[] = [];
      const archives: { entry: Entry; format: string }[] = [];
      for (const entry of entries) {
        if (entry.fileName.endsWith('/')) continue;
        const keep = keepLimit(entry.fileName);
        // Content is scanned, and its digest taken, in the same pass that checks the CRC: each byte is read once.
        const sniffer = new EntrySniffer(entry.fileName, entry.uncompressedSize, false);
        const { content, sha256 } = await verifyEntry(zip, entry, keep, sniffer);
        digests.set(entry.fileName, sha256);
        const outcome = sniffer.finish();
        if (outcome.kind === 'scanned') scan.push(outcome.scan);
        if (outcome.kind === 'archive') archives.push({ entry, format: outcome.format });
        if (keep > 0 && /^readme(\.md)?$/i.test(entry.fileName)) readme ??= content.toString('utf8');
        if (keep > 0 && entry.fileName === 'config.json') config = shallow(parseConfig(content), entry.fileName);
        if (keep > 0 && entry.fileName === 'adapter_config.json') adapterConfig = shallow(parseConfig(content), entry.fileName);
      }
      const source = { path: zipPath, start: 0, size: (await stat(zipPath)).size, scratch: this.scratch };
      for (const { entry, format } of archives) scan.push(...(await scanZipEntry(zip, source, entry, entry.fileName, format, 1)));
      const cardMetadata = readme === undefined ? undefined : shallow(frontMatter(readme), 'README.md front matter');
      const files = archiveEntries.filter((entry) => !entry.isDirectory).map((entry) => ({ ...entry, sha256: digests.get(entry.path) }));
      return {
        files,
        scan,
        ...(readme === undefined ? {} : { readme }),
        ...(cardMetadata === undefined ? {} : { cardMetadata }),
        ...(config === undefined ? {} : { config }),
        ...(adapterConfig === undefined ? {} : { adapterConfig }),
      };
    } finally {
      zip.close();
    }
  }

  async scanStream(content: Readable, limits: PackageLimits): Promise<readonly FileScan[]> {
    const staged = await stageStream(content, limits.maxTotalBytes * 2, () => invalid('the stored package is larger than any package this registry accepts'), this.scratch);
    try {
      return (await this.inspect(staged.path, limits)).scan;
    } finally {
      await staged.dispose();
    }
  }

  open(zipPath: string): Readable {
    return createReadStream(zipPath);
  }

  repack(zipPath: string, paths: readonly string[]): Readable {
    const output = new PassThrough();
    const wanted = new Set(paths);
    openValidated(zipPath)
      .then(async (zip) => {
        const entries = (await readDirectory(zip).catch((error: unknown) => {
          zip.close();
          throw error;
        })).filter((entry) => wanted.has(entry.fileName));
        // The reader may have gone before the zip was open (a store that refused the write at once):
        // the close handler below would never run, so the zip is closed here.
        if (output.destroyed) return void zip.close();
        const target = new yazl.ZipFile();
        // yazl reports a failed open on the ZipFile and pipes entry streams without forwarding their
        // errors: unhandled, either would crash the process, so both end the output instead.
        target.on('error', (error: Error) => output.destroy(asPackageError(error)));
        target.outputStream.on('error', (error) => output.destroy(error)).pipe(output);
        // An entry stream holds the zip's file open until it ends: when the reader goes away early
        // (a client aborting a download), it is destroyed so the descriptor is released.
        const reading = new Set<Readable>();
        output.on('close', () => {
          for (const stream of reading) stream.destroy();
          zip.close();
        });
        for (const entry of entries) {
          target.addReadStreamLazy(
            entry.fileName,
            { mtime: FIXED_MTIME, mode: 0o100644, compress: entry.compressionMethod !== 0, size: entry.uncompressedSize },
            (callback) =>
              zip.openReadStream(entry, (error, stream) => {
                if (error !== null) return callback(asPackageError(error, entry.fileName), stream);
                if (output.destroyed) return stream.destroy();
                reading.add(stream);
                stream.once('end', () => reading.delete(stream));
                stream.once('error', (streamError) => output.destroy(asPackageError(streamError, entry.fileName)));
                callback(null, stream);
              }),
          );
        }
        target.end();
      })
      .catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
    return output;
  }
}

/** Opens a zip for entry-by-entry reading, with yauzl's name and size checks on. */
export async function openValidated(zipPath: string): Promise<ZipFile> {
  try {
    return await openZip(zipPath, { lazyEntries: true, autoClose: false, strictFileNames: true, validateEntrySizes: true });
  } catch (error) {
    throw asPackageError(error);
  }
}

/** Every entry of the central directory, refusing more than `limits.maxEntries` before reading them. */
export function readDirectory(zip: ZipFile, limits?: PackageLimits): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    if (limits !== undefined && zip.entryCount > limits.maxEntries) {
      reject(invalid(`zip has ${zip.entryCount} entries; at most ${limits.maxEntries} are accepted`));
      return;
    }
    const entries: Entry[] = [];
    zip.on('entry', (entry: Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', (error: unknown) => reject(asPackageError(error)));
    zip.readEntry();
  });
}

function toArchiveEntry(entry: Entry): ArchiveEntry {
  const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
  return {
    path: entry.fileName,
    uncompressedSize: entry.uncompressedSize,
    compressedSize: entry.compressedSize,
    isDirectory: entry.fileName.endsWith('/'),
    isSymlink: mode === S_IFLNK,
    // 0 is what writers that keep no Unix mode (Windows tools) leave here.
    isSpecial: mode !== 0 && mode !== S_IFREG && mode !== S_IFDIR && mode !== S_IFLNK,
  };
}

const keepLimit = (fileName: string): number =>
  /^readme(\.md)?$/i.test(fileName) ? MAX_README_BYTES : fileName === 'config.json' || fileName === 'adapter_config.json' ? MAX_CONFIG_BYTES : 0;

/** Inflates one entry to the end, checking its CRC; returns its first `keep` bytes and its sha256. */
function verifyEntry(zip: ZipFile, entry: Entry, keep: number, sniffer: EntrySniffer): Promise<{ content: Buffer; sha256: string }> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error !== null || stream === undefined) {
        reject(asPackageError(error, entry.fileName));
        return;
      }
      let crc = 0;
      const hash = createHash('sha256');
      const kept: Buffer[] = [];
      let keptBytes = 0;
      stream.on('data', (chunk: Buffer) => {
        crc = crc32(chunk, crc);
        hash.update(chunk);
        if (sniffer.wantsMore) sniffer.push(chunk);
        if (keptBytes < keep) {
          kept.push(chunk.subarray(0, keep - keptBytes));
          keptBytes += Math.min(chunk.length, keep - keptBytes);
        }
      });
      stream.once('error', (streamError) => reject(asPackageError(streamError, entry.fileName)));
      stream.once('end', () => {
        if (crc >>> 0 !== entry.crc32 >>> 0) reject(invalid(`zip entry "${entry.fileName}" is corrupt (CRC mismatch)`, entry.fileName));
        else resolve({ content: Buffer.concat(kept), sha256: hash.digest('hex') });
      });
    });
  });
}

function parseConfig(content: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(content.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    // A malformed config.json is the publisher's problem, not a reason to refuse the package.
    return undefined;
  }
}

/** Refuses metadata nested deeper than MAX_METADATA_DEPTH; measured without recursion. */
function shallow<T>(value: T, what: string): T {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, depth] = next;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > MAX_METADATA_DEPTH) throw invalid(`${what} is nested more than ${MAX_METADATA_DEPTH} levels deep`, what);
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return value;
}

function frontMatter(readme: string): Record<string, unknown> | undefined {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(readme);
  if (match?.[1] === undefined) return undefined;
  // Loaded here, where a card has front matter, rather than with the server.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse: parseYaml } = require('yaml') as typeof import('yaml');
  try {
    const value: unknown = parseYaml(match[1], { maxAliasCount: 50 });
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function asPackageError(error: unknown, path?: string): DomainError {
  if (error instanceof DomainError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const named = /^(invalid relative path|absolute path|invalid characters in fileName): (.*)$/.exec(message);
  if (named?.[2] !== undefined) {
    const reason = named[1] === 'absolute path' ? 'has an absolute path' : named[1] === 'invalid relative path' ? 'points outside the package ("..")' : 'uses backslashes in its path';
    return invalid(`zip entry "${named[2]}" ${reason}`, named[2]);
  }
  return invalid(`not a readable zip${path === undefined ? '' : ` (entry "${path}")`}: ${message}`, path);
}
