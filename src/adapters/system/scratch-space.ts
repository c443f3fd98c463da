import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';

export type ScratchArea = 'uploads' | 'staging' | 'parts' | 'hooks';
const AREAS: readonly ScratchArea[] = ['uploads', 'staging', 'parts', 'hooks'];
const INSTANCE = /^(\d+)-[0-9a-f]{8}$/;
const HEARTBEAT_MS = 60 * 1000;
/** A directory whose owner has not touched it for this long is abandoned even if its pid is alive again (reuse). */
const ABANDONED_MS = 24 * 60 * 60 * 1000;

// Instances of this process that are still open: several registries can share one process (tests).
const openInstances = new Set<string>();

/**
 * The temporary files of one running instance — uploads being received, sources being staged, blob
 * writes not yet complete — in a directory of its own, named after the process. At start-up the
 * directories of instances that died without cleaning up (kill -9, power loss) are recognised by
 * their dead process id and removed; on close an instance removes its own.
 */
export class ScratchSpace {
  readonly dir: string;
  private readonly name: string;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(readonly root: string) {
    this.name = `${process.pid}-${randomUUID().slice(0, 8)}`;
    this.dir = join(root, this.name);
    for (const area of AREAS) mkdirSync(join(this.dir, area), { recursive: true });
    openInstances.add(this.name);
    // A touched directory tells a later sweep that its owner still runs, whatever happened to the pid.
    this.heartbeat = setInterval(() => {
      const now = new Date();
      void utimes(this.dir, now, now).catch(() => undefined);
    }, HEARTBEAT_MS).unref();
  }

  path(area: ScratchArea): string {
    return join(this.dir, area);
  }

  /** Removes what dead instances left under the same root; answers how many directories went. */
  async sweepDead(now = new Date()): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.root).catch(() => [] as string[])) {
      if (name === this.name) continue;
      const path = join(this.root, name);
      const info = await stat(path).catch(() => undefined);
      if (info === undefined || !isAbandoned(name, now.getTime() - info.mtimeMs)) continue;
      await rm(path, { recursive: true, force: true });
      removed += 1;
    }
    return removed;
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    openInstances.delete(this.name);
    await rm(this.dir, { recursive: true, force: true });
  }
}

function isAbandoned(name: string, idleMs: number): boolean {
  const match = INSTANCE.exec(name);
  if (match?.[1] === undefined) return idleMs > ABANDONED_MS;
  const pid = Number(match[1]);
  if (pid === process.pid) return !openInstances.has(name);
  return !isRunning(pid) || idleMs > ABANDONED_MS;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
