import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, deflateRawSync } from 'node:zlib';
import { expect } from 'chai';
import yazl from 'yazl';
import { DomainError, type ErrorCode } from '../../src/domain/errors';

/** Awaits a promise that must reject with a DomainError of this code; returns the error for more checks. */
export async function expectRejection(promise: Promise<unknown>, code: ErrorCode): Promise<DomainError> {
  let failure: { error: unknown } | undefined;
  try {
    await promise;
  } catch (error) {
    failure = { error };
  }
  if (failure === undefined) expect.fail(`expected a rejection with ${code}, but the promise resolved`);
  expect(failure.error).to.be.instanceOf(DomainError);
  const error = failure.error as DomainError;
  expect(error.code, error.message).to.equal(code);
  return error;
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Deterministic bytes that do not compress, so fixtures are reproducible from run to run. */
export function pseudoRandomBytes(size: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(size);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

let fileCounter = 0;
const nextZipPath = (dir: string, stem: string): string => join(dir, `${stem}-${++fileCounter}.zip`);

export interface ZipEntrySpec {
  /** A path ending in "/" adds a directory entry. */
  readonly path: string;
  readonly content?: Buffer | string;
  readonly compress?: boolean;
  readonly mode?: number;
}

/** Writes a well-formed zip with yazl, which itself refuses unsafe names. */
export async function buildZip(dir: string, entries: readonly ZipEntrySpec[], stem = 'package'): Promise<string> {
  const zip = new yazl.ZipFile();
  const mtime = new Date(Date.UTC(2024, 0, 1));
  for (const entry of entries) {
    if (entry.path.endsWith('/')) {
      zip.addEmptyDirectory(entry.path, { mtime });
      continue;
    }
    const content = typeof entry.content === 'string' ? Buffer.from(entry.content) : (entry.content ?? Buffer.alloc(0));
    zip.addBuffer(content, entry.path, {
      mtime,
      compress: entry.compress ?? true,
      ...(entry.mode === undefined ? {} : { mode: entry.mode }),
    });
  }
  zip.end();
  const path = nextZipPath(dir, stem);
  await pipeline(zip.outputStream, createWriteStream(path));
  return path;
}

export interface RawEntrySpec {
  /** Written verbatim: raw entries may carry names that yazl refuses. */
  readonly name: string;
  readonly content: Buffer | string;
  readonly compress?: boolean;
  /** Unix mode stored in the external attributes. */
  readonly mode?: number;
  /** Sizes and CRC follow the data in a descriptor (general-purpose bit 3); the local header has zeros. */
  readonly dataDescriptor?: boolean;
  /** Overrides of the local header only, so it can disagree with the central directory. */
  readonly local?: Partial<HeaderFields> & { readonly name?: string; readonly extra?: Buffer };
  /** Overrides of the data descriptor only. */
  readonly descriptor?: Partial<Pick<HeaderFields, 'crc' | 'compressedSize' | 'uncompressedSize'>>;
  /** Extra field of the central header only (e.g. an Info-ZIP Unicode Path field). */
  readonly centralExtra?: Buffer;
}

const UTF8_NAMES = 0x0800;
const DATA_DESCRIPTOR = 0x0008;

/** Writes local headers, data, central directory and end record by hand, with no validation at all. */
export async function buildRawZip(dir: string, entries: readonly RawEntrySpec[], stem = 'raw'): Promise<string> {
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const content = typeof entry.content === 'string' ? Buffer.from(entry.content) : entry.content;
    const data = entry.compress === true ? deflateRawSync(content) : content;
    const flags = UTF8_NAMES | (entry.dataDescriptor === true ? DATA_DESCRIPTOR : 0);
    const central: HeaderFields = {
      flags, method: entry.compress === true ? 8 : 0, crc: crc32(content) >>> 0, compressedSize: data.length, uncompressedSize: content.length,
    };
    const described = entry.dataDescriptor === true ? { crc: 0, compressedSize: 0, uncompressedSize: 0 } : {};
    const local: HeaderFields = { ...central, ...described, ...entry.local };
    const name = Buffer.from(entry.name, 'utf8');
    const localName = Buffer.from(entry.local?.name ?? entry.name, 'utf8');
    const localExtra = entry.local?.extra ?? Buffer.alloc(0);
    const localHeader = Buffer.alloc(30);
    localHeader.writeUInt32LE(0x04034b50, 0);
    writeCommonFields(localHeader, 4, local, localName.length, localExtra.length);
    parts.push(localHeader, localName, localExtra, data);
    if (entry.dataDescriptor === true) parts.push(dataDescriptor({ ...central, ...entry.descriptor }));
    const centralExtra = entry.centralExtra ?? Buffer.alloc(0);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(0x031e, 4); // made by Unix, so the mode in the external attributes counts
    writeCommonFields(header, 6, central, name.length, centralExtra.length);
    header.writeUInt32LE(((entry.mode ?? 0o100644) << 16) >>> 0, 38);
    header.writeUInt32LE(offset, 42);
    centrals.push(header, name, centralExtra);
    offset += localHeader.length + localName.length + localExtra.length + data.length + (entry.dataDescriptor === true ? 16 : 0);
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  const path = nextZipPath(dir, stem);
  await writeFile(path, Buffer.concat([...parts, directory, end]));
  return path;
}

interface HeaderFields {
  readonly flags: number;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
}

/** The fields local and central headers share, from "version needed" to "extra field length". */
function writeCommonFields(header: Buffer, at: number, fields: HeaderFields, nameLength: number, extraLength: number): void {
  header.writeUInt16LE(20, at);
  header.writeUInt16LE(fields.flags, at + 2);
  header.writeUInt16LE(fields.method, at + 4);
  header.writeUInt16LE(0, at + 6);
  header.writeUInt16LE(0x5821, at + 8); // 2024-01-01
  header.writeUInt32LE(fields.crc, at + 10);
  header.writeUInt32LE(fields.compressedSize, at + 14);
  header.writeUInt32LE(fields.uncompressedSize, at + 18);
  header.writeUInt16LE(nameLength, at + 22);
  header.writeUInt16LE(extraLength, at + 24);
}

/** A data descriptor with its optional signature and 32-bit sizes. */
function dataDescriptor(fields: Pick<HeaderFields, 'crc' | 'compressedSize' | 'uncompressedSize'>): Buffer {
  const descriptor = Buffer.alloc(16);
  descriptor.writeUInt32LE(0x08074b50, 0);
  descriptor.writeUInt32LE(fields.crc, 4);
  descriptor.writeUInt32LE(fields.compressedSize, 8);
  descriptor.writeUInt32LE(fields.uncompressedSize, 12);
  return descriptor;
}

/** An Info-ZIP Unicode Path extra field (0x7075) giving `unicodeName` for the header name `rawName`. */
export function unicodePathField(rawName: string, unicodeName: string): Buffer {
  const name = Buffer.from(unicodeName, 'utf8');
  const field = Buffer.alloc(9 + name.length);
  field.writeUInt16LE(0x7075, 0);
  field.writeUInt16LE(5 + name.length, 2);
  field.writeUInt8(1, 4);
  field.writeUInt32LE(crc32(Buffer.from(rawName, 'utf8')) >>> 0, 5);
  name.copy(field, 9);
  return field;
}

interface DirectoryRecord {
  readonly name: string;
  /** Offset of the entry's central directory header. */
  readonly centralOffset: number;
  readonly localOffset: number;
}

/** Walks the central directory of a zip without zip64 or a comment, as the builders here write it. */
export function centralDirectoryOf(zip: Buffer): DirectoryRecord[] {
  const end = zip.length - 22;
  if (zip.readUInt32LE(end) !== 0x06054b50) throw new Error('fixture has a zip comment or no end record');
  const count = zip.readUInt16LE(end + 10);
  const records: DirectoryRecord[] = [];
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < count; i += 1) {
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    records.push({ name: zip.toString('utf8', at + 46, at + 46 + nameLength), centralOffset: at, localOffset: zip.readUInt32LE(at + 42) });
    at += 46 + skip;
  }
  return records;
}

function recordOf(zip: Buffer, entryName: string): DirectoryRecord {
  const record = centralDirectoryOf(zip).find((candidate) => candidate.name === entryName);
  if (record === undefined) throw new Error(`fixture has no entry "${entryName}"`);
  return record;
}

/** Where an entry's (compressed) bytes start, after its local header. */
export function dataOffsetOf(zip: Buffer, entryName: string): number {
  const { localOffset } = recordOf(zip, entryName);
  return localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
}

/** Rewrites bytes of a zip file in place and returns its path. */
export async function patchZip(path: string, patch: (zip: Buffer) => void): Promise<string> {
  const zip = await readFile(path);
  patch(zip);
  await writeFile(path, zip);
  return path;
}

/**
 * Makes an entry lie about its uncompressed size, consistently: in the central directory, in the local
 * header when it holds sizes, and in the (32-bit) data descriptor when there is one. Only reading the
 * data can tell.
 */
export const declareUncompressedSize = (path: string, entryName: string, size: number): Promise<string> =>
  patchZip(path, (zip) => {
    const { centralOffset, localOffset } = recordOf(zip, entryName);
    zip.writeUInt32LE(size, centralOffset + 24);
    if (zip.readUInt32LE(localOffset + 22) !== 0) zip.writeUInt32LE(size, localOffset + 22);
    if ((zip.readUInt16LE(localOffset + 6) & 0x0008) === 0) return;
    let descriptor = dataOffsetOf(zip, entryName) + zip.readUInt32LE(centralOffset + 20);
    if (zip.readUInt32LE(descriptor) === 0x08074b50) descriptor += 4;
    zip.writeUInt32LE(size, descriptor + 8);
  });

// ---- Realistic packages ----

/** A tiny but well-formed safetensors file: an 8-byte header length, a JSON header, float32 data. */
export function safetensorsBytes(values = 1024, seed = 7): Buffer {
  const header = JSON.stringify({
    __metadata__: { format: 'pt' },
    'classifier.weight': { dtype: 'F32', shape: [values / 4, 4], data_offsets: [0, values * 4] },
  });
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([length, Buffer.from(header), pseudoRandomBytes(values * 4, seed)]);
}

export const HF_README = `---
license: apache-2.0
base_model: google-bert/bert-base-uncased
datasets:
- bookcorpus
- wikipedia
language:
- en
tags:
- text-classification
---

# Audience Classifier

A BERT model fine-tuned to tell technical from general audiences.

## Usage

\`\`\`python
from transformers import pipeline
classifier = pipeline("text-classification", model="parvk11/audience_classifier_model")
\`\`\`
`;

export const HF_CONFIG = {
  architectures: ['BertForSequenceClassification'],
  hidden_size: 768,
  model_type: 'bert',
  num_attention_heads: 12,
  num_hidden_layers: 12,
  vocab_size: 30522,
  id2label: { '0': 'general', '1': 'technical' },
};

export interface PackageOptions {
  readonly withDataset?: boolean;
  /** Replaces config.json's text, e.g. with malformed JSON. */
  readonly configText?: string;
  readonly readme?: string;
}

/** Files shaped like a Hugging Face model repository, keyed by path. */
export function huggingFaceFiles(options: PackageOptions = {}): Map<string, Buffer> {
  const files = new Map<string, Buffer>([
    ['README.md', Buffer.from(options.readme ?? HF_README)],
    ['config.json', Buffer.from(options.configText ?? JSON.stringify(HF_CONFIG, null, 2))],
    ['tokenizer.json', Buffer.from(JSON.stringify({ version: '1.0', model: { type: 'WordPiece', unk_token: '[UNK]' } }))],
    ['tokenizer_config.json', Buffer.from(JSON.stringify({ do_lower_case: true, model_max_length: 512 }))],
    ['vocab.txt', Buffer.from(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'model', '##s'].join('\n'))],
    ['model.safetensors', safetensorsBytes()],
  ]);
  if (options.withDataset === true) {
    files.set('data/train.csv', Buffer.from('text,label\n"How do I tune a transformer?",technical\n"Best pizza in town",general\n'));
  }
  return files;
}

/** Writes a Hugging Face-like package (with a directory entry for data/ when it has a dataset). */
export async function buildHuggingFacePackage(dir: string, options: PackageOptions = {}): Promise<{ path: string; files: Map<string, Buffer> }> {
  const files = huggingFaceFiles(options);
  const entries: ZipEntrySpec[] = [...files].map(([path, content]) => ({ path, content, compress: path !== 'model.safetensors' }));
  if (options.withDataset === true) entries.splice(entries.length - 1, 0, { path: 'data/' });
  return { path: await buildZip(dir, entries, 'hf-package'), files };
}

// ---- Hostile archives ----

const README_ENTRY: RawEntrySpec = { name: 'README.md', content: '# Innocent model\n' };

export const buildZipSlip = (dir: string, name = '../../evil.txt'): Promise<string> =>
  buildRawZip(dir, [README_ENTRY, { name, content: 'owned\n' }], 'zip-slip');

export const buildAbsolutePathZip = (dir: string, name = '/etc/passwd'): Promise<string> =>
  buildRawZip(dir, [README_ENTRY, { name, content: 'root:x:0:0:root:/root:/bin/bash\n' }], 'absolute');

export const buildBackslashZip = (dir: string, name = '..\\evil'): Promise<string> =>
  buildRawZip(dir, [README_ENTRY, { name, content: 'owned\n' }], 'backslash');

/** An entry whose Unix mode says symbolic link, pointing its "content" (the link target) outside. */
export const buildSymlinkZip = (dir: string): Promise<string> =>
  buildZip(dir, [{ path: 'README.md', content: '# Model\n' }, { path: 'weights.bin', content: '/etc/shadow', mode: 0o120777 }], 'symlink');

/**
 * Central directory says `safe.txt`; the local header, which streaming extractors read, says
 * `localName`. Every other field agrees.
 */
export const buildLocalNameMismatchZip = (dir: string, localName = '../x.txt'): Promise<string> =>
  buildRawZip(dir, [README_ENTRY, { name: 'safe.txt', content: 'owned\n', local: { name: localName } }], 'local-name');

export const buildDuplicateZip = (dir: string, names: readonly string[]): Promise<string> =>
  buildRawZip(dir, names.map((name, index) => ({ name, content: `copy ${index}\n` })), 'duplicate');

/** `megabytes` of zeros deflated (about 1000:1), streamed so the fixture is never held in memory. */
export async function buildZipBomb(dir: string, megabytes: number): Promise<string> {
  const chunk = Buffer.alloc(1024 * 1024);
  const zeros = Readable.from((function* () {
    for (let i = 0; i < megabytes; i += 1) yield chunk;
  })());
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from('# Tiny model\n'), 'README.md');
  zip.addReadStream(zeros, 'model.safetensors', { size: megabytes * chunk.length });
  zip.end();
  const path = nextZipPath(dir, 'bomb');
  await pipeline(zip.outputStream, createWriteStream(path));
  return path;
}

export async function buildRandomBytesFile(dir: string, size = 4096): Promise<string> {
  const path = nextZipPath(dir, 'random');
  await writeFile(path, pseudoRandomBytes(size, 99));
  return path;
}

/** The first half of a good package: the end record and central directory are gone. */
export async function buildTruncatedZip(dir: string): Promise<string> {
  const { path } = await buildHuggingFacePackage(dir);
  const zip = await readFile(path);
  await writeFile(path, zip.subarray(0, Math.floor(zip.length / 2)));
  return path;
}

/** A stored entry with one data byte flipped: every header is intact, only the CRC can tell. */
export async function buildCrcMismatchZip(dir: string): Promise<string> {
  const path = await buildZip(dir, [
    { path: 'README.md', content: '# Model\n' },
    { path: 'model.safetensors', content: safetensorsBytes(), compress: false },
  ], 'crc');
  return patchZip(path, (zip) => {
    const at = dataOffsetOf(zip, 'model.safetensors') + 100;
    zip[at] = (zip[at] ?? 0) ^ 0xff;
  });
}

/** A deflated entry whose central directory declares far fewer bytes than it inflates to. */
export async function buildLyingSizeZip(dir: string): Promise<string> {
  const path = await buildZip(dir, [
    { path: 'README.md', content: '# Model\n' },
    { path: 'data/train.csv', content: 'text,label\n'.repeat(20_000) },
  ], 'lying-size');
  return declareUncompressedSize(path, 'data/train.csv', 1000);
}

export const buildManyEntriesZip = (dir: string, count: number): Promise<string> =>
  buildZip(dir, Array.from({ length: count }, (_, index) => ({ path: `shard-${index}.txt`, content: `${index}\n` })), 'many');

export const buildEmptyZip = (dir: string): Promise<string> => buildZip(dir, [], 'empty');
