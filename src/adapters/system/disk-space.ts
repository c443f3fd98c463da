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

/** Out-of-space failures become STORAGE.FULL (507); anything else passes through unchanged. */
export function asStorageError(error: unknown, space?: DiskSpace): unknown {
  if (!isOutOfSpace(error)) return error;
  space?.noteFailure(error, new Date());
  return new DomainError(ErrorCode.StorageFull, 'the registry ran out of disk space while storing this request; nothing was stored — free space or ask an administrator');
}
