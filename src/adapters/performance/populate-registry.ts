import { createCipheriv, createHash } from 'node:crypto';
import yazl from 'yazl';
import type { RunTarget } from '../../domain/performance/performance-run';
import type { PopulateSettings } from '../../domain/performance/run-settings';
import { jsonOf, type Exchange, type RegistryClient } from './registry-client';

const UPLOADS_IN_FLIGHT = 4;
const ZIP_DATE = new Date(Date.UTC(2024, 0, 1));

/**
 * Bytes that look random and never compress, the same for the same seed: AES-256-CTR over zeros,
 * keyed by the seed's digest. Fast enough (hundreds of MB/s) to make a 52 MB package on demand.
 */
export function deterministicContent(seed: string, size: number): Buffer {
  const key = createHash('sha256').update(seed).digest();
  return createCipheriv('aes-256-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

function zipOf(entries: readonly { path: string; content: Buffer | string; store?: boolean }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    zip.addBuffer(typeof entry.content === 'string' ? Buffer.from(entry.content) : entry.content, entry.path, { mtime: ZIP_DATE, compress: entry.store !== true });
  }
  zip.end();
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => done(Buffer.concat(chunks)));
    zip.outputStream.on('error', fail);
  });
}

const card = (name: string, text: string): string =>
  `---\nlicense: apache-2.0\nlibrary_name: transformers\npipeline_tag: text-generation\n---\n# ${name}\n\n${text}\n`;

/** A Tiny-LLM-shaped package: card, config and one weights file of `weightBytes`. */
export function packageZip(name: string, weightBytes: number): Promise<Buffer> {
  return zipOf([
    { path: 'README.md', content: card(name, 'A Tiny-LLM-sized model made by the registry\'s performance run to be downloaded under load.') },
    { path: 'config.json', content: JSON.stringify({ model_type: 'llama', hidden_size: 192, num_hidden_layers: 1, vocab_size: 32000 }) },
    { path: 'model.safetensors', content: deterministicContent(name, weightBytes), store: true },
  ]);
}

const fillerZip = (name: string): Promise<Buffer> => zipOf([
  { path: 'README.md', content: card(name, 'One of the models the performance run registers so the registry holds as many as the track asks.') },
  { path: 'config.json', content: JSON.stringify({ model_type: 'bert', hidden_size: 32 }) },
  { path: 'model.safetensors', content: deterministicContent(name, 1024) },
]);

async function expectStatus(answer: Exchange, wanted: number, what: string): Promise<Exchange> {
  if (answer.status !== wanted) throw new Error(`${what} failed: HTTP ${answer.status} ${(answer.body ?? Buffer.alloc(0)).toString('utf8').slice(0, 200)}`);
  return answer;
}

async function countModels(client: RegistryClient): Promise<number> {
  let count = 0;
  let offset: string | undefined;
  do {
    const answer = await client.call('POST', `/artifacts${offset === undefined ? '' : `?offset=${encodeURIComponent(offset)}`}`, { json: [{ name: '*', types: ['model'] }] });
    if (answer.status === 404) return count;
    await expectStatus(answer, 200, 'listing the models');
    count += jsonOf<unknown[]>(answer).length;
    const next = answer.headers.offset;
    offset = typeof next === 'string' && next !== '' ? next : undefined;
  } while (offset !== undefined);
  return count;
}

async function targetOf(client: RegistryClient, id: string): Promise<RunTarget> {
  const details = jsonOf<{ metadata: { id: string; name: string }; package: { size: number } }>(
    await expectStatus(await client.call('GET', `/artifacts/model/${id}/details`), 200, 'reading the package'),
  );
  return { id: details.metadata.id, type: 'model', name: details.metadata.name, sizeBytes: details.package.size };
}

async function upload(client: RegistryClient, name: string, zip: Buffer): Promise<string> {
  const answer = await client.call('POST', `/artifact/model?name=${encodeURIComponent(name)}&version=1.0.0`, { body: zip, contentType: 'application/zip' });
  return jsonOf<{ metadata: { id: string } }>(await expectStatus(answer, 201, `uploading ${name}`)).metadata.id;
}

/** The package by its size-specific name: made once, then reused by every later run that asks for it. */
async function ensurePackage(client: RegistryClient, packageBytes: number): Promise<{ target: RunTarget; created: boolean }> {
  const name = `perf-package-${packageBytes}`;
  const found = await client.call('GET', `/artifact/byName/${name}`);
  const existing = found.status === 200 ? jsonOf<{ id: string; type: string }[]>(found).find((item) => item.type === 'model') : undefined;
  if (existing !== undefined) return { target: await targetOf(client, existing.id), created: false };
  if (found.status !== 404) await expectStatus(found, 200, 'looking the package up');
  return { target: await targetOf(client, await upload(client, name, await packageZip(name, packageBytes))), created: true };
}

/**
 * Brings the registry to at least `models` models, one of them the package to download. Models it
 * already holds count, so populating twice adds nothing the second time.
 */
export async function populateRegistry(
  client: RegistryClient,
  settings: PopulateSettings,
  report: (models: number) => void,
): Promise<RunTarget> {
  const before = await countModels(client);
  const { target, created } = await ensurePackage(client, settings.packageBytes);
  let models = before + (created ? 1 : 0);
  report(models);
  const missing = Math.max(0, settings.models - models);
  let next = 0;
  const uploader = async (): Promise<void> => {
    while (next < missing) {
      const index = before + next;
      next += 1;
      const name = `perf-model-${String(index).padStart(4, '0')}`;
      await upload(client, name, await fillerZip(name));
      models += 1;
      report(models);
    }
  };
  await Promise.all(Array.from({ length: Math.min(UPLOADS_IN_FLIGHT, missing) }, uploader));
  return target;
}
