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
  /** A FIFO, device or socket by its Unix mode: nothing a package should ask anyone to create. */
  readonly isSpecial?: boolean;
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
 * Refuses archives that would escape the package (absolute or `..` paths, symlinks, special files),
 * that are ambiguous or confusing (duplicate names, also after case folding, Unicode normalisation and
 * Windows separators; a file where another entry needs a folder; control or bidirectional characters;
 * names Windows reserves or silently rewrites), or that would exhaust disk or memory (entry count,
 * total size, compression ratio). Pure: sizes are the declared ones; the reader must also stop when
 * actual bytes exceed them.
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
    if (entry.isSpecial === true) throw rejected(`zip entry "${entry.path}" is a device, FIFO or socket, not a regular file`, entry.path);
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
  checkFileFolderConflicts(entries);
}

function checkPath(path: string, limits: PackageLimits): void {
  if (path.length === 0) throw rejected('zip has an entry with an empty name');
  if (path.length > limits.maxPathLength) throw rejected(`zip entry name is longer than ${limits.maxPathLength}`, path);
  if (path.includes('\\')) throw rejected(`zip entry "${path}" uses backslashes in its path`, path);
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path)) throw rejected(`zip entry "${path}" has an absolute path`, path);
  if (path.split('/').some((segment) => segment === '..')) {
    throw rejected(`zip entry "${path}" points outside the package ("..")`, path);
  }
  if (CONFUSING_CHARACTERS.test(path)) {
    throw rejected(`zip entry ${JSON.stringify(path)} contains control characters or text-direction marks`, path);
  }
  for (const segment of path.split('/')) checkSegment(segment, path);
}

// C0 and C1 controls and DEL (NUL, CR/LF, escape sequences), line/paragraph separators, and the
// bidirectional overrides that make "evil\u202Etxt.exe" display as "evilexe.txt".
const CONFUSING_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

// Windows opens a device instead of a file for these names, with any extension and in any case.
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/iu;

function checkSegment(segment: string, path: string): void {
  if (segment === '' || segment === '.' || segment === '..') return;
  const stem = segment.split('.')[0]?.trimEnd() ?? '';
  if (WINDOWS_DEVICE.test(stem)) {
    throw rejected(`zip entry "${path}" uses "${segment}", a name Windows reserves for a device`, path);
  }
  // Windows drops trailing dots and spaces, so "model.bin." and "model.bin " become "model.bin".
  if (/[. ]$/.test(segment)) {
    throw rejected(`zip entry "${path}" has a name ending in a dot or space, which Windows silently strips`, path);
  }
}

/** A file `x` beside `x/y`: no file system can hold both, so extractors disagree on which one wins. */
function checkFileFolderConflicts(entries: readonly ArchiveEntry[]): void {
  const folders = new Set<string>();
  for (const entry of entries) {
    const segments = normalisedKey(entry.path).split('/');
    const parents = entry.isDirectory ? segments.length : segments.length - 1;
    for (let depth = 1; depth <= parents; depth += 1) folders.add(segments.slice(0, depth).join('/'));
  }
  for (const entry of entries) {
    if (entry.isDirectory) continue;
    if (folders.has(normalisedKey(entry.path))) {
      throw rejected(`zip entry "${entry.path}" is a file, but other entries put files inside a folder of that name`, entry.path);
    }
  }
}

function checkRatio(uncompressed: number, compressed: number, limits: PackageLimits, path?: string): void {
  if (uncompressed < RATIO_FLOOR_BYTES) return;
  const ratio = uncompressed / Math.max(compressed, 1);
  if (ratio > limits.maxCompressionRatio) {
    const what = path === undefined ? 'zip' : `zip entry "${path}"`;
    throw rejected(`${what} expands ${Math.round(ratio)}x; more than ${limits.maxCompressionRatio}x looks like a zip bomb`, path);
  }
}

// "./x", "a//x" and "x" all extract to the same file, so they count as one name; so do "é" composed
// (NFC) and decomposed (NFD), which macOS treats as one name and Linux as two.
const normalisedKey = (path: string): string =>
  path
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/')
    .normalize('NFC')
    .toLowerCase();
