import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { keepNewest, type PerformanceRun } from '../../../domain/performance/performance-run';
import type { PerformanceRunStore } from '../../../ports/performance.port';

const FILE = 'performance-runs.json';

/**
 * Finished runs in one JSON file under the data directory. There are at most 50 and they are
 * written once each, so a whole-file rewrite (temporary file, fsync, rename) is simple and crash-safe.
 */
export class LocalPerformanceRunStore implements PerformanceRunStore {
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly dataDir: string) {}

  async save(run: PerformanceRun): Promise<void> {
    // Saves are chained so two never read the same file and drop each other's run.
    const next = this.writing.then(async () => {
      await this.write(keepNewest([run, ...(await this.list()).filter((kept) => kept.id !== run.id)]));
    });
    this.writing = next.catch(() => undefined);
    await next;
  }

  async get(id: string): Promise<PerformanceRun | undefined> {
    return (await this.list()).find((run) => run.id === id);
  }

  async list(): Promise<PerformanceRun[]> {
    try {
      return JSON.parse(await readFile(join(this.dataDir, FILE), 'utf8')) as PerformanceRun[];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  private async write(runs: readonly PerformanceRun[]): Promise<void> {
    await mkdir(this.dataDir, { recursive: true });
    const temporary = join(this.dataDir, `.${FILE}.${randomUUID()}`);
    try {
      const handle = await open(temporary, 'w');
      try {
        await handle.writeFile(JSON.stringify(runs));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, join(this.dataDir, FILE));
    } finally {
      await rm(temporary, { force: true });
    }
  }
}
