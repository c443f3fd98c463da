import { createHash } from 'node:crypto';

export const sha1Hex = (data: Buffer | string): string => createHash('sha1').update(data).digest('hex');
export const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** The object id git gives a file: sha1 over `blob {length}\0{content}`. */
export function gitBlobOid(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** A stable fake object id (commit, tree) derived from a label. */
export const fakeSha = (...parts: readonly (string | number)[]): string => sha1Hex(parts.join('\u0000'));

/** A 24-hex Mongo-style id, the shape of the Hub's `_id`. */
export const fakeObjectId = (label: string): string => sha1Hex(`objectid:${label}`).slice(0, 24);

/** Deterministic bytes that do not compress: the same seed always gives the same content. */
export function deterministicBytes(seed: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(seed).digest();
  for (let offset = 0; offset < size; offset += block.length) {
    block.copy(out, offset);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/** A number in [min, max] derived from a label, for sizes and counts that must not change between runs. */
export function stableInt(label: string, min: number, max: number): number {
  return min + (createHash('sha256').update(label).digest().readUInt32BE(0) % (max - min + 1));
}

/** The pointer file git stores in place of an LFS object. */
export const lfsPointer = (sha256: string, size: number): Buffer =>
  Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`);

export interface GitTreeItem {
  readonly name: string;
  readonly mode: '100644' | '040000';
  readonly sha: string;
}

/** The object id of a git tree, computed the way git does (entries ordered as if directories ended in '/'). */
export function gitTreeOid(items: readonly GitTreeItem[]): string {
  const sortKey = (item: GitTreeItem): string => (item.mode === '040000' ? `${item.name}/` : item.name);
  const sorted = [...items].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  const body = Buffer.concat(
    sorted.map((item) =>
      Buffer.concat([Buffer.from(`${item.mode === '040000' ? '40000' : item.mode} ${item.name}\0`), Buffer.from(item.sha, 'hex')]),
    ),
  );
  return createHash('sha1').update(`tree ${body.length}\0`).update(body).digest('hex');
}

/** Standard base64 wrapped at 60 columns with a trailing newline, as GitHub's contents API sends it. */
export function githubBase64(content: Buffer): string {
  const flat = content.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < flat.length; i += 60) lines.push(flat.slice(i, i + 60));
  return `${lines.join('\n')}\n`;
}
