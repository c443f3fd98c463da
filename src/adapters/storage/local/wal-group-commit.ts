import type Database from 'better-sqlite3';
import { open, type FileHandle } from 'node:fs/promises';

const FULL = 2;

/**
 * Group commit for a connection with `synchronous = NORMAL`: its commits reach the write-ahead log
 * (and survive the process dying) at once, but the disk only when the log is synced. `durable()`
 * resolves once everything committed before the call is on disk. One fdatasync, run on libuv's
 * thread pool rather than the event loop, covers every commit made before it started; commits that
 * arrive while it runs share the next one. Under 50 concurrent clients that is a few syncs for
 * dozens of token uses, and never an answer before its use is durable.
 */
export class WalGroupCommit {
  private running: Promise<void> | undefined;
  private waiting: Promise<void> | undefined;
  private handle: Promise<FileHandle> | undefined;
  private closed = false;
  /** Log syncs made so far (the health of group commit: far fewer than the writes they cover). */
  syncs = 0;

  /** A connection that syncs every commit itself (`synchronous = FULL`) needs no group commit. */
  private readonly needed: boolean;

  constructor(private readonly db: Database.Database) {
    this.needed = !db.memory && db.pragma('synchronous', { simple: true }) !== FULL;
  }

  durable(): Promise<void> {
    // Once closed (its connection is closing), a late commit is not synced here: it is in the log,
    // which a process exit does not lose, and the next checkpoint syncs it.
    if (!this.needed || this.closed) return Promise.resolve();
    if (this.waiting !== undefined) return this.waiting;
    if (this.running === undefined) return this.start();
    // The sync in flight may have started before this commit: join the next one.
    this.waiting = this.running.catch(() => undefined).then(() => {
      this.waiting = undefined;
      return this.start();
    });
    return this.waiting;
  }

  /**
   * Asks for a sync without waiting for it: what was committed reaches the disk within one sync. A
   * failed sync is not reported here; the next caller of `durable()` runs its own and sees it.
   */
  soon(): void {
    this.durable().catch(() => undefined);
  }

  /** Waits for the syncs asked for so far, then lets the log file go; later calls sync nothing. */
  async close(): Promise<void> {
    const pending = this.waiting ?? this.running;
    this.closed = true;
    await pending?.catch(() => undefined);
    const handle = this.handle;
    this.handle = undefined;
    await (await handle?.catch(() => undefined))?.close();
  }

  private start(): Promise<void> {
    const sync = this.syncLog().finally(() => {
      if (this.running === sync) this.running = undefined;
    });
    this.running = sync;
    return sync;
  }

  private async syncLog(): Promise<void> {
    this.syncs += 1;
    this.handle ??= open(`${this.db.name}-wal`, 'r');
    try {
      await (await this.handle).datasync();
    } catch (error) {
      // A log that is gone was checkpointed and removed, which SQLite syncs itself; reopen next time.
      this.handle = undefined;
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
