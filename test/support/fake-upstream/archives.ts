import { gzipSync } from 'node:zlib';
import yazl from 'yazl';

export interface ArchiveInput {
  /** Top-level folder, as GitHub names it: `{owner}-{repo}-{short sha}`. */
  readonly root: string;
  readonly commit: string;
  readonly mtime: Date;
  readonly directories: readonly string[];
  readonly files: ReadonlyMap<string, Buffer>;
}

/** A zip like GitHub's zipball: a root folder, directory entries, the commit sha as the archive comment. */
export function zipArchive(input: ArchiveInput): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  zip.addEmptyDirectory(`${input.root}/`, { mtime: input.mtime });
  for (const dir of input.directories) zip.addEmptyDirectory(`${input.root}/${dir}/`, { mtime: input.mtime });
  for (const [path, content] of input.files) zip.addBuffer(content, `${input.root}/${path}`, { mtime: input.mtime, mode: 0o100644 });
  zip.end({ forceZip64Format: false, comment: input.commit });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, size: number, type: '0' | '5' | 'x' | 'g', mtime: number, prefix = ''): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(type === '5' ? 0o755 : 0o644, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(mtime, 12), 136, 'ascii');
  block.write(' '.repeat(8), 148, 'ascii');
  block.write(type, 156, 'ascii');
  block.write('ustar\u000000', 257, 'ascii');
  block.write('root', 265, 'ascii');
  block.write('root', 297, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  let checksum = 0;
  for (const byte of block) checksum += byte;
  block.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

const padded = (data: Buffer): Buffer => Buffer.concat([data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK)]);

/** A pax record `"{length} {key}={value}\n"` whose length counts its own digits. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body);
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return Buffer.from(`${length}${body}`);
}

/** ustar splits long paths into prefix + name; anything that still does not fit gets a pax `path` record. */
function entry(path: string, type: '0' | '5', data: Buffer, mtime: number): Buffer[] {
  if (Buffer.byteLength(path) <= 100) return [header(path, data.length, type, mtime), padded(data)];
  const cut = path.lastIndexOf('/', path.length - 2);
  const [prefix, name] = [path.slice(0, cut), path.slice(cut + 1)];
  if (cut > 0 && Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return [header(name, data.length, type, mtime, prefix), padded(data)];
  const pax = paxRecord('path', path);
  return [header('PaxHeader', pax.length, 'x', mtime), padded(pax), header(path.slice(0, 100), data.length, type, mtime), padded(data)];
}

/** A gzipped tar like `git archive` makes: a pax global header with the commit, then directories and files. */
export function tarGzArchive(input: ArchiveInput): Buffer {
  const mtime = Math.floor(input.mtime.getTime() / 1000);
  const global = paxRecord('comment', input.commit);
  const blocks: Buffer[] = [header('pax_global_header', global.length, 'g', mtime), padded(global)];
  blocks.push(...entry(`${input.root}/`, '5', Buffer.alloc(0), mtime));
  for (const dir of input.directories) blocks.push(...entry(`${input.root}/${dir}/`, '5', Buffer.alloc(0), mtime));
  for (const [path, content] of input.files) blocks.push(...entry(`${input.root}/${path}`, '0', content, mtime));
  blocks.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(blocks));
}
