import { statfs } from 'node:fs/promises';
import { DomainError, ErrorCode } from '../../domain/errors';

const OUT_OF_SPACE = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

export const isOutOfSpace = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && OUT_OF_SPACE.has(String((error as { code?: unknown }).code));

export interface SpaceReport {
  /** A write failed for lack of space and none has succeeded since. */
  readonly full: boolean;
  readonly freeBytes?: number;
  readonly lastFailure?: string;
}

/**
 * What the registry knows about the room left on its disk: the last write that failed for lack of
 * space (until a later write succeeds) and, when asked, the free bytes of the data directory.
 */
export class DiskSpace {
  private failure: { at: string; message: string } | undefined;

  constructor(private readonly dir: string) {}

  noteFailure(error: unknown, at: Date): void {
    if (isOutOfSpace(error)) this.failure = { at: at.toISOString(), message: error instanceof Error ? error.message : String(error) };
  }

  noteWrite(): void {
    this.failure = undefined;
  }

  async report(): Promise<SpaceReport> {
    const fs = await statfs(this.dir).catch(() => undefined);
    return {
      full: this.failure !== undefined,
      ...(fs === undefined ? {} : { freeBytes: fs.bavail * fs.bsize }),
      ...(this.failure === undefined ? {} : { lastFailure: `${this.failure.at}: ${this.failure.message}` }),
    };
  }
}

/**
 * Failures of the disk or database itself rather than of the request: a read-only file system, a data
 * directory this process may not write, an I/O error, a database opened read-only or failing to write.
 */
const REFUSED_BY_DISK = new Set(['EROFS', 'EACCES', 'EPERM', 'EIO', 'SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN']);

const codeOf = (error: unknown): string =>
  typeof error === 'object' && error !== null ? String((error as { code?: unknown }).code ?? '') : '';

/** File-system codes count only on file-system errors (they name a syscall); SQLite's extended codes count by family. */
export function isRefusedByDisk(error: unknown): boolean {
  const code = codeOf(error);
  if (code.startsWith('SQLITE_')) return [...REFUSED_BY_DISK].some((family) => family.startsWith('SQLITE_') && code.startsWith(family));
  return REFUSED_BY_DISK.has(code) && typeof (error as { syscall?: unknown }).syscall === 'string';
}

/**
 * Out-of-space failures become STORAGE.FULL (507); a disk that refuses or fails writes becomes
 * STORAGE.UNAVAILABLE (503, naming the cause for the operator); anything else passes through unchanged.
 */
export function asStorageError(error: unknown, space?: DiskSpace): unknown {
  if (isRefusedByDisk(error)) {
    return Object.assign(
      new DomainError(ErrorCode.StorageUnavailable, `the registry's storage refused the operation (${codeOf(error)}); the request was not completed — try again later or ask an administrator to check the data directory`),
      { cause: error },
    );
  }
  if (!isOutOfSpace(error)) return error;
  space?.noteFailure(error, new Date());
  return new DomainError(ErrorCode.StorageFull, 'the registry ran out of disk space while storing this request; nothing was stored — free space or ask an administrator');
}
