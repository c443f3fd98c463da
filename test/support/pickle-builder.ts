import yazl from 'yazl';

/**
 * Pickles written opcode by opcode, as Python's pickler would write them (there is no Python on CI).
 * Each helper returns the bytes of one opcode with its argument; `pickle(...)` joins them.
 */
const byte = (value: number): Buffer => Buffer.from([value]);
const u32 = (value: number): Buffer => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
};

export const op = {
  proto: (version: number): Buffer => Buffer.from([0x80, version]),
  frame: (length: number): Buffer => {
    const bytes = Buffer.alloc(9);
    bytes[0] = 0x95;
    bytes.writeBigUInt64LE(BigInt(length), 1);
    return bytes;
  },
  global: (module: string, name: string): Buffer => Buffer.from(`c${module}\n${name}\n`, 'utf8'),
  inst: (module: string, name: string): Buffer => Buffer.from(`i${module}\n${name}\n`, 'utf8'),
  string: (text: string): Buffer => Buffer.from(`S'${text}'\n`, 'utf8'),
  unicode: (text: string): Buffer => Buffer.from(`V${text}\n`, 'utf8'),
  shortBinUnicode: (text: string): Buffer => Buffer.concat([byte(0x8c), byte(Buffer.byteLength(text)), Buffer.from(text)]),
  binUnicode: (text: string): Buffer => Buffer.concat([byte(0x58), u32(Buffer.byteLength(text)), Buffer.from(text)]),
  shortBinString: (text: string): Buffer => Buffer.concat([byte(0x55), byte(Buffer.byteLength(text)), Buffer.from(text)]),
  binBytes: (bytes: Buffer): Buffer => Buffer.concat([byte(0x42), u32(bytes.length), bytes]),
  binInt1: (value: number): Buffer => Buffer.from([0x4b, value]),
  int: (value: number): Buffer => Buffer.from(`I${value}\n`),
  none: byte(0x4e),
  newFalse: byte(0x89),
  mark: byte(0x28),
  tuple: byte(0x74),
  tuple1: byte(0x85),
  tuple2: byte(0x86),
  emptyTuple: byte(0x29),
  emptyDict: byte(0x7d),
  emptyList: byte(0x5d),
  list: byte(0x6c),
  dict: byte(0x64),
  setItem: byte(0x73),
  setItems: byte(0x75),
  append: byte(0x61),
  reduce: byte(0x52),
  build: byte(0x62),
  obj: byte(0x6f),
  newObj: byte(0x81),
  newObjEx: byte(0x92),
  stackGlobal: byte(0x93),
  memoize: byte(0x94),
  pop: byte(0x30),
  binPersId: byte(0x51),
  put: (index: number): Buffer => Buffer.from(`p${index}\n`),
  get: (index: number): Buffer => Buffer.from(`g${index}\n`),
  binPut: (index: number): Buffer => Buffer.from([0x71, index]),
  binGet: (index: number): Buffer => Buffer.from([0x68, index]),
  longBinPut: (index: number): Buffer => Buffer.concat([byte(0x72), u32(index)]),
  longBinGet: (index: number): Buffer => Buffer.concat([byte(0x6a), u32(index)]),
  ext1: (code: number): Buffer => Buffer.from([0x82, code]),
  ext2: (code: number): Buffer => Buffer.from([0x83, code & 0xff, code >> 8]),
  stop: byte(0x2e),
};

export const pickle = (...parts: Buffer[]): Buffer => Buffer.concat(parts);

/** os.system('echo pwned') the protocol 2 way: GLOBAL, a tuple, REDUCE. */
export const osSystemPickle = (): Buffer => pickle(op.proto(2), op.global('os', 'system'), op.binUnicode('echo pwned'), op.tuple1, op.reduce, op.stop);

/**
 * A state dict as torch.save writes into data.pkl: an OrderedDict of tensors, each rebuilt by
 * torch._utils._rebuild_tensor_v2 from a persistent-id storage (torch.FloatStorage).
 */
export function torchStateDictPickle(): Buffer {
  const ordered = (): Buffer => pickle(op.global('collections', 'OrderedDict'), op.emptyTuple, op.reduce);
  const tensor = (key: string, storage: string): Buffer => pickle(
    op.binUnicode(key),
    op.global('torch._utils', '_rebuild_tensor_v2'),
    op.mark,
    op.mark, op.binUnicode('storage'), op.global('torch', 'FloatStorage'), op.binUnicode(storage), op.binUnicode('cpu'), op.binInt1(4), op.tuple,
    op.binPersId,
    op.binInt1(0),
    op.binInt1(2), op.binInt1(2), op.tuple2,
    op.binInt1(2), op.binInt1(1), op.tuple2,
    op.newFalse,
    ordered(),
    op.tuple,
    op.reduce,
  );
  return pickle(op.proto(2), ordered(), op.binPut(0), op.mark, tensor('weight', '0'), tensor('bias', '1'), op.setItems, op.stop);
}

export interface ZipMember {
  readonly path: string;
  readonly content: Buffer;
  readonly compress?: boolean;
}

export function zipOf(members: readonly ZipMember[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const member of members) zip.addBuffer(member.content, member.path, { mtime: new Date(Date.UTC(2024, 0, 1)), compress: member.compress ?? false });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** A PyTorch zip checkpoint as torch.save (>= 1.6) lays it out: stored entries under one folder. */
export const torchZip = (dataPkl: Buffer, folder = 'archive'): Promise<Buffer> => zipOf([
  { path: `${folder}/data.pkl`, content: dataPkl },
  { path: `${folder}/byteorder`, content: Buffer.from('little') },
  { path: `${folder}/data/0`, content: Buffer.alloc(16, 0x80) },
  { path: `${folder}/data/1`, content: Buffer.from([0x80, 0x02, 0xff, 0xff, 0, 0, 0, 0]) },
  { path: `${folder}/version`, content: Buffer.from('3\n') },
]);

/** An .npy file: magic, version 1.0, a padded header dict, then the body. */
export function npy(descr: string, body: Buffer, shape = '(1,)'): Buffer {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const length = Buffer.alloc(2);
  length.writeUInt16LE(header.length);
  return Buffer.concat([Buffer.from('\x93NUMPY\x01\x00', 'latin1'), length, Buffer.from(header, 'latin1'), body]);
}

/** A safetensors file from a header object and a data area. */
export function safetensors(header: Record<string, unknown>, data: Buffer, declaredLength?: number): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(declaredLength ?? json.length));
  return Buffer.concat([length, json, data]);
}
