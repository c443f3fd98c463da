import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestRegistry } from './test-registry';
import { Tokens } from '../../src/adapters/di/tokens';
import type { LogLine, RecentLogs } from '../../src/adapters/system/recent-logs';
import { blobsOf } from '../../src/domain/artifact';
import type { ArtifactRepository } from '../../src/ports/artifact-repository.port';

/** Counts every artifact by paging through the enumeration, exactly as a client would. */
export async function countArtifacts(registry: TestRegistry): Promise<number> {
  let count = 0;
  let offset = '';
  for (;;) {
    const page = await registry.request<unknown[]>('POST', `/artifacts${offset === '' ? '' : `?offset=${offset}`}`, { json: [{ name: '*' }] });
    count += page.body.length;
    offset = page.headers.get('offset') ?? '';
    if (offset === '') return count;
  }
}

/** Names of the blob files on disk, to prove a refused request left nothing behind. */
export async function listBlobs(dataDir: string): Promise<string[]> {
  const root = join(dataDir, 'blobs');
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory()) await walk(join(dir, entry.name));
      else found.push(entry.name);
    }
  };
  await walk(root);
  return found.sort();
}

/**
 * Blobs on disk that no record refers to, and blobs records refer to that are not on disk: both must
 * be empty whatever requests raced each other.
 */
export async function blobConsistency(registry: TestRegistry): Promise<{ orphans: string[]; missing: string[] }> {
  const repository = registry.container.resolve<ArtifactRepository>(Tokens.ArtifactRepository);
  const onDisk = await listBlobs(registry.dataDir);
  const referenced = new Set<string>();
  let after: string | undefined;
  for (;;) {
    const page = await repository.list({}, after, 100);
    for (const record of page) blobsOf(record).forEach((sha) => referenced.add(sha));
    if (page.length < 100) break;
    after = page[page.length - 1]?.id;
  }
  return {
    orphans: onDisk.filter((sha) => !referenced.has(sha)),
    missing: [...referenced].filter((sha) => !onDisk.includes(sha)).sort(),
  };
}

/** Every file under a directory, relative to it. */
export async function listFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory()) await walk(join(dir, entry.name), `${prefix}${entry.name}/`);
      else found.push(`${prefix}${entry.name}`);
    }
  };
  await walk(root, '');
  return found.sort();
}

/** Log lines at error level or above, from the registry's in-memory log buffer. */
export function errorLogs(registry: TestRegistry): LogLine[] {
  return registry.container.resolve<RecentLogs>(Tokens.RecentLogs).recent(500).filter((line) => line.level === 'error' || line.level === 'fatal');
}

/** Polls a condition the registry reaches on its own (work finishing after the client left). */
export async function eventually(condition: () => Promise<boolean>, what: string, attempts = 600): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (await condition()) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`never happened: ${what}`);
}
