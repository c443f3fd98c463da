import yazl from 'yazl';
import { deterministicBytes } from './fake-upstream/bytes';
import { wellFormedWeights } from './fake-upstream/weights';
import { referenceModels } from './reference-data';

export interface ZipEntry {
  readonly path: string;
  readonly content: Buffer | string;
}

/** Deterministic filler: the same path always gets the same bytes, so hashes are stable across runs. */
export const fillerBytes = deterministicBytes;

export function zipBuffer(entries: readonly ZipEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    const content = typeof entry.content === 'string' ? Buffer.from(entry.content) : entry.content;
    zip.addBuffer(content, entry.path, { mtime: new Date(Date.UTC(2024, 0, 1)) });
  }
  zip.end();
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => done(Buffer.concat(chunks)));
    zip.outputStream.on('error', fail);
  });
}

/**
 * A zip laid out like the real model's repository: its card (front matter + text), a config.json,
 * and every listed file, with binary files shrunk to a few KiB of filler so tests stay small.
 */
export function referencePackageEntries(repoId: string, options: { maxBinaryBytes?: number } = {}): ZipEntry[] {
  const model = referenceModels()[repoId];
  if (model === undefined) throw new Error(`no reference model ${repoId}`);
  const maxBinary = options.maxBinaryBytes ?? 4096;
  return model.files.map((file): ZipEntry => {
    if (file.path === 'README.md') return { path: file.path, content: `---\n${model.card_yaml}\n---\n${model.readme_text}` };
    if (file.path === 'config.json') {
      return { path: file.path, content: JSON.stringify({ _name_or_path: model.repo_id, model_type: model.tags[1] ?? 'bert' }, null, 2) };
    }
    const isText = /\.(json|txt|md|py|gitattributes|model)$|^\.git/.test(file.path);
    const size = isText ? Math.min(file.size, 2048) : Math.min(file.size, maxBinary);
    return { path: file.path, content: isText ? `${file.path}\n`.repeat(Math.max(1, Math.floor(size / (file.path.length + 1)))) : wellFormedWeights(file.path, fillerBytes(`${repoId}/${file.path}`, size)) };
  });
}

export const referencePackage = (repoId: string): Promise<Buffer> => zipBuffer(referencePackageEntries(repoId));

/** A tiny but well-formed model package, for tests that need many of them. */
export function tinyPackage(title: string, extra: readonly ZipEntry[] = []): Promise<Buffer> {
  return zipBuffer([
    { path: 'README.md', content: `---\nlicense: mit\n---\n# ${title}\n\nA small test model.\n` },
    { path: 'config.json', content: JSON.stringify({ model_type: 'bert', hidden_size: 32 }) },
    { path: 'model.safetensors', content: wellFormedWeights('model.safetensors', fillerBytes(title, 1024)) },
    ...extra,
  ]);
}
