import type { Readable } from 'node:stream';
import yauzl, { type Entry, type LocalFileHeader, type ZipFile } from 'yauzl';
import { DomainError, ErrorCode } from '../../domain/errors';

const ENCRYPTED = 0x0001;
const DATA_DESCRIPTOR = 0x0008;
const UTF8_NAMES = 0x0800;
// The flags that change how an entry is named, found or decoded. The others (deflate speed hints,
// reserved bits) do not, and some writers set them differently in the two headers.
const MEANINGFUL_FLAGS = ENCRYPTED | DATA_DESCRIPTOR | UTF8_NAMES;
const ZIP64_FIELD = 0x0001;
const UNICODE_PATH_FIELD = 0x7075;
const DESCRIPTOR_SIGNATURE = 0x08074b50;
const MAX_DESCRIPTOR_BYTES = 24;
const UINT32_MAX = 0xffffffff;

interface Sizes {
  readonly crc: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
}

const disagreement = (entry: Entry, what: string): DomainError =>
  new DomainError(
    ErrorCode.InvalidPackage,
    `zip entry "${entry.fileName}" has a local header that disagrees with the central directory (${what})`,
    { path: entry.fileName },
  );

/**
 * A zip names every entry twice: the central directory (which yauzl and the policy read) and the
 * local header before the data (which streaming extractors read). The registry serves the original
 * bytes, so an entry whose two headers disagree — a central `safe.txt` over a local `../x.txt` — would
 * pass every check here and be extracted elsewhere as something else. Both copies must say the same.
 */
export async function checkLocalHeader(zip: ZipFile, entry: Entry): Promise<void> {
  checkRawCentralName(entry);
  let local: LocalFileHeader;
  try {
    local = await zip.readLocalFileHeaderPromise(entry);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new DomainError(ErrorCode.InvalidPackage, `not a readable zip (entry "${entry.fileName}"): ${message}`, { path: entry.fileName });
  }
  if (!local.fileName.equals(entry.fileNameRaw)) {
    throw disagreement(entry, `it is named ${JSON.stringify(local.fileName.toString('utf8'))} there`);
  }
  const localExtra = yauzl.parseExtraFields(local.extraField);
  if (yauzl.getFileNameLowLevel(local.generalPurposeBitFlag, local.fileName, localExtra, true) !== entry.fileName) {
    throw disagreement(entry, 'its Unicode path field names another file');
  }
  if (((local.generalPurposeBitFlag ^ entry.generalPurposeBitFlag) & MEANINGFUL_FLAGS) !== 0) {
    throw disagreement(entry, `flags 0x${local.generalPurposeBitFlag.toString(16)} instead of 0x${entry.generalPurposeBitFlag.toString(16)}`);
  }
  if (local.compressionMethod !== entry.compressionMethod) {
    throw disagreement(entry, `compression method ${local.compressionMethod} instead of ${entry.compressionMethod}`);
  }
  const declared = localSizes(local, localExtra);
  if ((entry.generalPurposeBitFlag & DATA_DESCRIPTOR) === 0) {
    if (!sameSizes(declared, entry)) throw disagreement(entry, describeSizes(declared, entry));
    return;
  }
  // With a data descriptor the local header may leave CRC and sizes at zero; the descriptor after
  // the data carries them, and that is what a streaming extractor believes.
  if (!zeroOrSame(declared, entry)) throw disagreement(entry, describeSizes(declared, entry));
  await checkDataDescriptor(zip, entry, local.fileDataStart);
}

/**
 * yauzl takes an entry's name from an Info-ZIP Unicode Path field when there is one, but tools that
 * ignore that field use the raw header name: it must not escape the package either.
 */
function checkRawCentralName(entry: Entry): void {
  if (!entry.extraFields.some((field) => field.id === UNICODE_PATH_FIELD)) return;
  const problem = yauzl.validateFileName(entry.fileNameRaw.toString('latin1'));
  if (problem !== null) {
    throw new DomainError(
      ErrorCode.InvalidPackage,
      `zip entry "${entry.fileName}" has a second, unsafe name in its header (${problem})`,
      { path: entry.fileName },
    );
  }
}

function localSizes(local: LocalFileHeader, extra: readonly yauzl.ExtraField[]): Sizes {
  const sizes = { crc: local.crc32, compressedSize: local.compressedSize, uncompressedSize: local.uncompressedSize };
  if (local.compressedSize !== UINT32_MAX && local.uncompressedSize !== UINT32_MAX) return sizes;
  // Zip64: the local extra field holds both sizes, uncompressed first.
  const zip64 = extra.find((field) => field.id === ZIP64_FIELD)?.data;
  if (zip64 === undefined || zip64.length < 16) return sizes;
  return { crc: local.crc32, uncompressedSize: Number(zip64.readBigUInt64LE(0)), compressedSize: Number(zip64.readBigUInt64LE(8)) };
}

const sameSizes = (sizes: Sizes, entry: Entry): boolean =>
  sizes.crc >>> 0 === entry.crc32 >>> 0 && sizes.compressedSize === entry.compressedSize && sizes.uncompressedSize === entry.uncompressedSize;

const zeroOrSame = (sizes: Sizes, entry: Entry): boolean =>
  (sizes.crc === 0 || sizes.crc >>> 0 === entry.crc32 >>> 0) &&
  (sizes.compressedSize === 0 || sizes.compressedSize === entry.compressedSize) &&
  (sizes.uncompressedSize === 0 || sizes.uncompressedSize === entry.uncompressedSize);

const describeSizes = (sizes: Sizes, entry: Entry): string =>
  `CRC ${sizes.crc >>> 0} and sizes ${sizes.compressedSize}/${sizes.uncompressedSize} instead of ${entry.crc32 >>> 0} and ${entry.compressedSize}/${entry.uncompressedSize}`;

async function checkDataDescriptor(zip: ZipFile, entry: Entry, fileDataStart: number): Promise<void> {
  const start = fileDataStart + entry.compressedSize;
  const length = Math.min(MAX_DESCRIPTOR_BYTES, zip.fileSize - start);
  const bytes = length < 12 ? Buffer.alloc(0) : await readRaw(zip, start, length).catch((error: unknown) => {
    throw disagreement(entry, `its data descriptor cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (!descriptorLayouts(bytes).some((sizes) => sameSizes(sizes, entry))) {
    throw disagreement(entry, 'its data descriptor does not match');
  }
}

/** Every way the bytes after the data can be read as a descriptor: with or without signature, 32- or 64-bit sizes. */
function descriptorLayouts(bytes: Buffer): Sizes[] {
  const layouts: Sizes[] = [];
  const offsets = bytes.length >= 4 && bytes.readUInt32LE(0) === DESCRIPTOR_SIGNATURE ? [4, 0] : [0];
  for (const at of offsets) {
    if (bytes.length >= at + 12) {
      layouts.push({ crc: bytes.readUInt32LE(at), compressedSize: bytes.readUInt32LE(at + 4), uncompressedSize: bytes.readUInt32LE(at + 8) });
    }
    if (bytes.length >= at + 20) {
      layouts.push({ crc: bytes.readUInt32LE(at), compressedSize: Number(bytes.readBigUInt64LE(at + 4)), uncompressedSize: Number(bytes.readBigUInt64LE(at + 12)) });
    }
  }
  return layouts;
}

async function readRaw(zip: ZipFile, start: number, length: number): Promise<Buffer> {
  // Not openReadStreamLowLevelPromise: in yauzl 3.4 it calls openReadStream with the wrong arguments.
  const stream = await new Promise<Readable>((resolve, reject) =>
    zip.openReadStreamLowLevel(start, length, 0, length, false, length, (error, opened) => (error === null ? resolve(opened) : reject(error))),
  );
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
