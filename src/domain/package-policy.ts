import { DomainError, ErrorCode } from './errors';

/** What an archive says about one entry in its central directory, before anything is extracted. */
export interface ArchiveEntry {
  readonly path: string;
  readonly uncompressedSize: number;
  readonly compressedSize: number;
  readonly isDirectory: boolean;
  readonly isSymlink: boolean;
  /** The content's sha256, once a reader has verified the entry. */
  readonly sha256?: string;
}

export interface PackageLimits {
  readonly maxEntries: number;
  readonly maxTotalBytes: number;
  /** Highest uncompressed/compressed ratio accepted for one entry or the whole archive. */
  readonly maxCompressionRatio: number;
  readonly maxPathLength: number;
}

export const DEFAULT_PACKAGE_LIMITS: PackageLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 8 * 1024 ** 3,
  maxCompressionRatio: 200,
  maxPathLength: 512,
};

// Ratios of tiny entries mean nothing (an empty file compresses "infinitely"), so they are judged
// only above this many bytes.
const RATIO_FLOOR_BYTES = 1024 * 1024;

const rejected = (message: string, path?: string): DomainError =>
  new DomainError(ErrorCode.InvalidPackage, message, path === undefined ? undefined : { path });

/**
 * Refuses archives that would escape the package (absolute or `..` paths, symlinks), that are
 * ambiguous (duplicate names, also after case folding and Windows separators), or that would exhaust
 * disk or memory (entry count, total size, compression ratio). Pure: sizes are the declared ones;
 * the reader must also stop when actual bytes exceed them.
 */
export function checkArchiveEntries(entries: readonly ArchiveEntry[], limits: PackageLimits): void {
  if (entries.length > limits.maxEntries) {
    throw rejected(`zip has ${entries.length} entries; at most ${limits.maxEntries} are accepted`);
  }
  const seen = new Set<string>();
  let total = 0;
  let compressed = 0;
  for (const entry of entries) {
    checkPath(entry.path, limits);
    if (entry.isSymlink) throw rejected(`zip entry "${entry.path}" is a symbolic link`, entry.path);
    const key = normalisedKey(entry.path);
    if (seen.has(key)) throw rejected(`zip has more than one entry named "${entry.path}"`, entry.path);
    seen.add(key);
    checkRatio(entry.uncompressedSize, entry.compressedSize, limits, entry.path);
    total += entry.uncompressedSize;
    compressed += entry.compressedSize;
    if (total > limits.maxTotalBytes) {
      throw rejected(`zip expands to more than ${limits.maxTotalBytes} bytes`);
    }
  }
  checkRatio(total, compressed, limits);
}

function checkPath(path: string, limits: PackageLimits): void {
  if (path.length === 0) throw rejected('zip has an entry with an empty name');
  if (path.length > limits.maxPathLength) throw rejected(`zip entry name is longer than ${limits.maxPathLength}`, path);
  if (path.includes('\\')) throw rejected(`zip entry "${path}" uses backslashes in its path`, path);
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path)) throw rejected(`zip entry "${path}" has an absolute path`, path);
  if (path.split('/').some((segment) => segment === '..')) {
    throw rejected(`zip entry "${path}" points outside the package ("..")`, path);
  }
  if (/[\x00-\x1f]/.test(path)) throw rejected('zip entry name contains control characters', path);
}

function checkRatio(uncompressed: number, compressed: number, limits: PackageLimits, path?: string): void {
  if (uncompressed < RATIO_FLOOR_BYTES) return;
  const ratio = uncompressed / Math.max(compressed, 1);
  if (ratio > limits.maxCompressionRatio) {
    const what = path === undefined ? 'zip' : `zip entry "${path}"`;
    throw rejected(`${what} expands ${Math.round(ratio)}x; more than ${limits.maxCompressionRatio}x looks like a zip bomb`, path);
  }
}

// "./x", "a//x" and "x" all extract to the same file, so they count as one name.
const normalisedKey = (path: string): string =>
  path
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/')
    .toLowerCase();
