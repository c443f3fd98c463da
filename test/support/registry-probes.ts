import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestRegistry } from './test-registry';

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
