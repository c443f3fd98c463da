import type { ScanFinding } from './verdict';

/**
 * Header checks for formats that carry no code but can lie about themselves: a file whose header
 * contradicts its own size or layout is refused, because a loader that trusts it reads out of bounds
 * or a scanner that trusts it looks at the wrong bytes.
 */
export const SAFETENSORS_MAX_HEADER = 100_000_000;
// Bits per element, from the safetensors specification's Dtype enum.
const SAFETENSORS_BITS: Readonly<Record<string, number>> = {
  BOOL: 8, F4: 4, F6_E2M3: 6, F6_E3M2: 6, U8: 8, I8: 8, F8_E5M2: 8, F8_E4M3: 8, F8_E8M0: 8, I16: 16, U16: 16, F16: 16, BF16: 16,
  I32: 32, U32: 32, F32: 32, C64: 64, F64: 64, I64: 64, U64: 64,
};

const lie = (message: string): ScanFinding => ({ verdict: 'dangerous', message });

/** Bytes needed to judge a safetensors file: the 8-byte length, then the header it declares. */
export function safetensorsBytesNeeded(head: Uint8Array): number {
  if (head.length < 8) return 8;
  const declared = Buffer.from(head.buffer, head.byteOffset, 8).readBigUInt64LE(0);
  return declared > BigInt(SAFETENSORS_MAX_HEADER) ? 8 : 8 + Number(declared);
}

export function checkSafetensors(head: Uint8Array, fileSize: number): ScanFinding[] {
  if (fileSize < 8 || head.length < 8) return [lie(`is ${fileSize} bytes, too short for a safetensors header length`)];
  const declared = Buffer.from(head.buffer, head.byteOffset, 8).readBigUInt64LE(0);
  if (declared > BigInt(SAFETENSORS_MAX_HEADER)) return [lie(`declares a ${declared}-byte header; safetensors allows at most ${SAFETENSORS_MAX_HEADER}`)];
  const headerLength = Number(declared);
  if (8 + headerLength > fileSize) return [lie(`declares a ${headerLength}-byte header, but the file holds only ${fileSize - 8} bytes after the length`)];
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(head.buffer, head.byteOffset + 8, headerLength).toString('utf8'));
  } catch {
    return [lie('has a header that is not valid JSON')];
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return [lie('has a header that is not a JSON object')];
  return checkTensorTable(header as Record<string, unknown>, fileSize - 8 - headerLength);
}

function checkTensorTable(header: Record<string, unknown>, dataSize: number): ScanFinding[] {
  const spans: { name: string; begin: number; end: number }[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (typeof entry !== 'object' || entry === null || Object.values(entry).some((value) => typeof value !== 'string')) return [lie('has __metadata__ that is not a map of strings')];
      continue;
    }
    const problem = tensorProblem(name, entry, dataSize);
    if (typeof problem === 'string') return [lie(problem)];
    spans.push(problem);
  }
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const span of spans) {
    if (span.begin < cursor) return [lie(`tensor "${span.name}" overlaps the tensor before it (offset ${span.begin} < ${cursor})`)];
    if (span.begin > cursor) return [lie(`leaves a gap of ${span.begin - cursor} bytes before tensor "${span.name}"; tensors must be contiguous`)];
    cursor = span.end;
  }
  if (cursor !== dataSize) return [lie(`tensors cover ${cursor} bytes but the data area holds ${dataSize}`)];
  return [];
}

function tensorProblem(name: string, entry: unknown, dataSize: number): string | { name: string; begin: number; end: number } {
  if (typeof entry !== 'object' || entry === null) return `tensor "${name}" has no description`;
  const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
  const bits = typeof dtype === 'string' ? SAFETENSORS_BITS[dtype] : undefined;
  if (bits === undefined) return `tensor "${name}" has unknown dtype ${JSON.stringify(dtype)}`;
  if (!Array.isArray(shape) || !shape.every((dim) => Number.isSafeInteger(dim) && (dim as number) >= 0)) return `tensor "${name}" has a shape that is not a list of sizes`;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((offset) => Number.isSafeInteger(offset) && (offset as number) >= 0)) {
    return `tensor "${name}" has data_offsets that are not two offsets`;
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end || end > dataSize) return `tensor "${name}" has data_offsets [${begin}, ${end}] outside the ${dataSize}-byte data area`;
  const elements = (shape as number[]).reduce((product, dim) => product * dim, 1);
  const expected = (elements * bits) / 8;
  if (end - begin !== expected) return `tensor "${name}" is ${dtype} ${JSON.stringify(shape)}, ${expected} bytes, but its data_offsets span ${end - begin}`;
  return { name, begin, end };
}

export const GGUF_HEAD_BYTES = 24;

/** GGUF: magic, a known version, and tensor and metadata counts that could fit in the file. */
export function checkGguf(head: Uint8Array, fileSize: number): ScanFinding[] {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.length);
  if (bytes.length < 4 || bytes.toString('latin1', 0, 4) !== 'GGUF') return [lie('does not start with the GGUF magic')];
  if (bytes.length < 8) return [lie('ends inside the GGUF header')];
  const version = bytes.readUInt32LE(4);
  if (version < 1 || version > 3) return [lie(`declares GGUF version ${version}; versions 1 to 3 exist`)];
  const wide = version >= 2;
  if (bytes.length < (wide ? 24 : 16)) return [lie('ends inside the GGUF header')];
  const tensors = wide ? bytes.readBigUInt64LE(8) : BigInt(bytes.readUInt32LE(8));
  const keys = wide ? bytes.readBigUInt64LE(16) : BigInt(bytes.readUInt32LE(12));
  // Each tensor description and each key/value pair takes well over 8 bytes.
  if (tensors * 8n > BigInt(fileSize) || keys * 8n > BigInt(fileSize)) return [lie(`declares ${tensors} tensors and ${keys} metadata keys, more than ${fileSize} bytes can hold`)];
  return [];
}

export const ONNX_HEAD_BYTES = 64 * 1024;
// ModelProto's fields and their protobuf wire types (0 varint, 2 length-delimited), from onnx.proto.
const ONNX_FIELDS: Readonly<Record<number, number>> = { 1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2, 8: 2, 14: 2, 20: 2, 25: 2 };

/** ONNX: the file must read as a ModelProto — known field numbers, right wire types, lengths inside the file. */
export function checkOnnx(head: Uint8Array, fileSize: number): ScanFinding[] {
  if (fileSize === 0) return [lie('is empty; an ONNX model is a ModelProto')];
  let offset = 0;
  let fields = 0;
  while (offset < head.length && fields < 16) {
    const tag = varint(head, offset);
    if (tag === undefined) return offset + 10 > head.length ? [] : [lie(`has a malformed protobuf tag at byte ${offset}`)];
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    if (ONNX_FIELDS[field] !== wire) return [lie(`has protobuf field ${field} (wire type ${wire}) at byte ${offset}, which ModelProto does not define`)];
    offset = tag.next;
    const body = varint(head, offset);
    if (body === undefined) return offset + 10 > head.length ? [] : [lie(`has a malformed protobuf value at byte ${offset}`)];
    offset = wire === 0 ? body.next : body.next + body.value;
    if (offset > fileSize) return [lie(`has protobuf field ${field} that runs past the end of the file`)];
    fields += 1;
  }
  return [];
}

function varint(bytes: Uint8Array, start: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let index = start; index < bytes.length && index < start + 10; index += 1) {
    const byte = bytes[index] ?? 0;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return { value, next: index + 1 };
  }
  return undefined;
}

const NPY_MAGIC = Buffer.from('\x93NUMPY', 'latin1');

export const isNpy = (head: Uint8Array): boolean => head.length >= 6 && Buffer.from(head.buffer, head.byteOffset, 6).equals(NPY_MAGIC);

/** Bytes up to the end of an .npy header (magic, version, header length, header). */
export function npyBytesNeeded(head: Uint8Array): number {
  if (head.length < 10) return 10;
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.length);
  const major = bytes[6] ?? 0;
  if (major === 1) return 10 + bytes.readUInt16LE(8);
  if (head.length < 12) return 12;
  return Math.min(12 + bytes.readUInt32LE(8), 1 << 20);
}

/** Reads an .npy header: whether the array holds Python objects (then a pickle follows it). */
export function readNpyHeader(head: Uint8Array): { readonly objects: boolean } | { readonly problem: string } {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.length);
  if (!isNpy(bytes) || bytes.length < 10) return { problem: 'does not start with the .npy magic' };
  const major = bytes[6] ?? 0;
  if (major < 1 || major > 3) return { problem: `declares .npy format version ${major}` };
  const start = major === 1 ? 10 : 12;
  const length = major === 1 ? bytes.readUInt16LE(8) : bytes.length >= 12 ? bytes.readUInt32LE(8) : -1;
  if (length < 0 || start + length > bytes.length) return { problem: 'ends inside its .npy header' };
  const header = bytes.toString('latin1', start, start + length);
  if (!/^\{.*['"]descr['"]\s*:/s.test(header.trim())) return { problem: 'has an .npy header that is not a dtype description' };
  return { objects: /['"][|<>=]?O\d*['"]/.test(header) };
}
