/**
 * Reads a pickle opcode stream the way Python's Unpickler would — same opcodes, same stack and memo
 * — but without importing or calling anything, so every global the stream would import is found,
 * including names assembled on the stack for STACK_GLOBAL or fetched from the memo. Incremental:
 * bytes are pushed in chunks and large payloads are skipped, never held, so a multi-gigabyte pickle
 * costs only its stack and memo.
 */

export interface PickleImport {
  readonly module: string;
  readonly name: string;
  /** The opcode that imported it: GLOBAL, STACK_GLOBAL, INST or EXT. */
  readonly opcode: string;
  readonly offset: number;
}

export interface PickleScanResult {
  readonly imports: readonly PickleImport[];
  /** Complete pickles read (a legacy torch file holds five, then raw storage bytes). */
  readonly pickles: number;
  /** Why reading stopped early, with the offset; absent when every pickle parsed to its STOP. */
  readonly error?: { readonly message: string; readonly offset: number; readonly pickle: number; readonly afterImport: boolean };
  /** The stream began with a PROTO opcode, the signature of protocol 2+ pickles. */
  readonly startsWithProto: boolean;
}

type Value = { readonly t: 'str'; readonly v: string | undefined } | { readonly t: 'global'; readonly ref: string } | { readonly t: 'other' };
type Request = { readonly kind: 'bytes'; readonly n: number } | { readonly kind: 'line'; readonly max: number; readonly keep: number } | { readonly kind: 'skip'; readonly n: number };

const OTHER: Value = { t: 'other' };
const MAX_KEPT_STRING = 4096;
const MAX_IMPORT_LINE = 4096;
const MAX_STACK = 1_000_000;
const MAX_MARKS = 100_000;
const MAX_MEMO = 2_000_000;
const HIGHEST_PROTOCOL = 5;
// The first pickle of torch's legacy (pre-zip) format: protocol 2, LONG1 0x1950a86a20f9469cfc6c, STOP.
const TORCH_LEGACY_MAGIC = Buffer.from('80028a0a6cfc9c46f9206aa850192e', 'hex');

class PickleError extends Error {}

interface SyncSource {
  available(): number;
  /** Consumes one byte and returns it, or n bytes read as a little-endian unsigned integer (n = 4). */
  takeByte(): number;
  takeUInt32(): number;
  skip(n: number): void;
}

// Argument sizes of the fixed-size opcodes the buffered path handles: BININT, BININT1, BININT2, BINFLOAT, BINGET, LONG_BINGET, BINPUT, LONG_BINPUT.
const FIXED_ARGUMENT: Readonly<Record<number, number>> = { 0x4a: 4, 0x4b: 1, 0x4d: 2, 0x47: 8, 0x68: 1, 0x6a: 4, 0x71: 1, 0x72: 4 };

/** Scans a whole in-memory pickle. */
export function scanPickleBytes(bytes: Uint8Array): PickleScanResult {
  const scanner = new PickleStreamScanner();
  scanner.push(bytes);
  return scanner.end();
}

export class PickleStreamScanner {
  private buffer: Buffer = Buffer.alloc(0);
  private position = 0;
  private consumed = 0;
  private ended = false;
  private finished = false;
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private readonly parser: Parser;
  private readonly generator: Generator<Request, void, Buffer | null>;
  private request: Request | undefined;
  private lineKept: Buffer[] = [];
  private lineKeptBytes = 0;
  private skipLeft = 0;
  private error: PickleScanResult['error'];

  constructor() {
    this.parser = new Parser(() => this.consumed, () => this.headOf(TORCH_LEGACY_MAGIC.length), {
      available: () => this.buffer.length - this.position,
      takeByte: () => {
        this.consumed += 1;
        return this.buffer[this.position++] ?? 0;
      },
      takeUInt32: () => {
        const value = this.buffer.readUInt32LE(this.position);
        this.position += 4;
        this.consumed += 4;
        return value;
      },
      skip: (n) => {
        this.position += n;
        this.consumed += n;
      },
    });
    this.generator = this.parser.run();
    this.advance(undefined);
  }

  push(chunk: Uint8Array): void {
    if (this.finished || chunk.length === 0) return;
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (this.headBytes < TORCH_LEGACY_MAGIC.length) {
      this.head.push(bytes.subarray(0, TORCH_LEGACY_MAGIC.length - this.headBytes));
      this.headBytes += Math.min(bytes.length, TORCH_LEGACY_MAGIC.length - this.headBytes);
    }
    this.buffer = this.position < this.buffer.length ? Buffer.concat([this.buffer.subarray(this.position), bytes]) : bytes;
    this.position = 0;
    this.pump();
  }

  /** Whether more bytes can change the result; a caller may stop reading once this is false. */
  get wantsMore(): boolean {
    return !this.finished;
  }

  end(): PickleScanResult {
    this.ended = true;
    this.pump();
    return {
      imports: this.parser.imports,
      pickles: this.parser.pickles,
      startsWithProto: this.parser.startsWithProto,
      ...(this.error === undefined ? {} : { error: this.error }),
    };
  }

  private headOf(length: number): Buffer {
    return Buffer.concat(this.head).subarray(0, length);
  }

  private pump(): void {
    while (!this.finished && this.request !== undefined) {
      const answer = this.satisfy(this.request);
      if (answer === 'wait') {
        if (!this.ended) return;
        this.advance(null);
      } else {
        this.advance(answer);
      }
    }
  }

  /** Answers the parser's request from the buffer, or says it must wait for more bytes. */
  private satisfy(request: Request): Buffer | 'wait' {
    const available = this.buffer.length - this.position;
    if (request.kind === 'bytes') {
      if (available < request.n) return 'wait';
      return this.take(request.n);
    }
    if (request.kind === 'skip') {
      const step = Math.min(this.skipLeft, available);
      this.take(step);
      this.skipLeft -= step;
      return this.skipLeft === 0 ? Buffer.alloc(0) : 'wait';
    }
    const newline = this.buffer.indexOf(0x0a, this.position);
    const upto = newline === -1 ? this.buffer.length : newline;
    const piece = this.take(upto - this.position);
    if (this.lineKeptBytes < request.keep) {
      this.lineKept.push(piece.subarray(0, request.keep - this.lineKeptBytes));
    }
    this.lineKeptBytes += piece.length;
    if (this.lineKeptBytes > request.max) {
      this.fail(new PickleError(`a text argument runs past ${request.max} bytes without a newline`));
      return Buffer.alloc(0);
    }
    if (newline === -1) return 'wait';
    this.take(1);
    const line = Buffer.concat(this.lineKept);
    this.lineKept = [];
    this.lineKeptBytes = 0;
    return line;
  }

  private take(n: number): Buffer {
    const slice = this.buffer.subarray(this.position, this.position + n);
    this.position += n;
    this.consumed += n;
    return slice;
  }

  private advance(answer: Buffer | null | undefined): void {
    if (this.finished) return;
    try {
      const next = this.generator.next(answer as Buffer | null);
      if (next.done === true) {
        this.finished = true;
        this.request = undefined;
        return;
      }
      this.request = next.value;
      if (next.value.kind === 'skip') this.skipLeft = next.value.n;
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    if (!(error instanceof PickleError)) throw error;
    this.error = { message: error.message, offset: this.parser.opcodeOffset, pickle: this.parser.pickles, afterImport: this.parser.importedInCurrent };
    this.finished = true;
    this.request = undefined;
  }
}

/** The simulated Unpickler: a generator that asks its driver for bytes and lines. */
class Parser {
  readonly imports: PickleImport[] = [];
  pickles = 0;
  startsWithProto = false;
  opcodeOffset = 0;
  importedInCurrent = false;
  private stack: Value[] = [];
  private marks: Value[][] = [];
  private memo = new Map<number, Value>();

  constructor(
    private readonly offset: () => number,
    private readonly head: () => Buffer,
    private readonly source: SyncSource,
  ) {}

  *run(): Generator<Request, void, Buffer | null> {
    for (;;) {
      const first = yield { kind: 'bytes', n: 1 };
      if (first === null) {
        if (this.pickles === 0) throw new PickleError('the file is empty: no pickle to read');
        return;
      }
      if (this.pickles === 0 && first[0] === 0x80) this.startsWithProto = true;
      this.resetForNextPickle();
      yield* this.readPickle(first[0] ?? 0);
      this.pickles += 1;
      // Legacy torch files hold five pickles (magic, protocol, sys info, object, storage keys), then raw storage bytes.
      if (this.pickles === 5 && this.head().equals(TORCH_LEGACY_MAGIC)) return;
    }
  }

  private resetForNextPickle(): void {
    this.stack = [];
    this.marks = [];
    this.memo = new Map();
    this.importedInCurrent = false;
  }

  private *readPickle(firstOpcode: number): Generator<Request, void, Buffer | null> {
    let opcode = firstOpcode;
    this.opcodeOffset = this.offset() - 1;
    for (;;) {
      if (opcode === 0x2e) {
        this.pop('STOP');
        if (this.marks.length > 0) throw new PickleError('STOP with an unclosed MARK');
        return;
      }
      // Most opcodes and their arguments are already buffered: read them without suspending the generator.
      if (!this.stepBuffered(opcode)) yield* this.step(opcode);
      if (this.source.available() > 0) {
        opcode = this.source.takeByte();
      } else {
        const next = yield { kind: 'bytes', n: 1 };
        if (next === null) throw new PickleError('the pickle ends before its STOP opcode (truncated)');
        opcode = next[0] ?? 0;
      }
      this.opcodeOffset = this.offset() - 1;
    }
  }

  /**
   * The opcodes that take no argument, or a fixed-size one that is already buffered, applied
   * synchronously; false when the opcode needs the general (suspending) path.
   */
  private stepBuffered(opcode: number): boolean {
    const fixed = FIXED_ARGUMENT[opcode];
    if (fixed !== undefined) {
      if (this.source.available() < fixed) return false;
      if (opcode === 0x68) this.get(this.source.takeByte()); // BINGET
      else if (opcode === 0x6a) this.get(this.source.takeUInt32()); // LONG_BINGET
      else if (opcode === 0x71) this.put(this.source.takeByte()); // BINPUT
      else if (opcode === 0x72) this.put(this.source.takeUInt32()); // LONG_BINPUT
      else {
        this.source.skip(fixed); // BININT, BININT1, BININT2, BINFLOAT: the value does not matter
        this.push(OTHER);
      }
      return true;
    }
    return this.applyNoArgument(opcode);
  }

  /** Opcodes without an argument; false for every other opcode. */
  private applyNoArgument(opcode: number): boolean {
    switch (opcode) {
      case 0x4e: case 0x88: case 0x89: this.push(OTHER); return true; // NONE, NEWTRUE, NEWFALSE
      case 0x97: this.push(OTHER); return true; // NEXT_BUFFER (out-of-band data, supplied by the loader)
      case 0x98: this.top('READONLY_BUFFER'); return true; // READONLY_BUFFER
      case 0x5d: case 0x29: case 0x7d: case 0x8f: this.push(OTHER); return true; // EMPTY_LIST, EMPTY_TUPLE, EMPTY_DICT, EMPTY_SET
      case 0x61: this.pop('APPEND'); this.top('APPEND'); return true; // APPEND
      case 0x65: case 0x75: case 0x90: this.popMark(); this.top('APPENDS/SETITEMS/ADDITEMS'); return true; // APPENDS, SETITEMS, ADDITEMS
      case 0x6c: case 0x74: case 0x64: case 0x91: this.popMark(); this.push(OTHER); return true; // LIST, TUPLE, DICT, FROZENSET
      case 0x85: this.pop('TUPLE1'); this.push(OTHER); return true; // TUPLE1
      case 0x86: this.popN(2, 'TUPLE2'); this.push(OTHER); return true; // TUPLE2
      case 0x87: this.popN(3, 'TUPLE3'); this.push(OTHER); return true; // TUPLE3
      case 0x73: this.popN(2, 'SETITEM'); this.top('SETITEM'); return true; // SETITEM
      case 0x30: if (this.stack.length > 0) this.stack.pop(); else this.popMark(); return true; // POP
      case 0x32: this.push(this.top('DUP')); return true; // DUP
      case 0x28: this.mark(); return true; // MARK
      case 0x31: this.popMark(); return true; // POP_MARK
      case 0x94: this.put(this.memo.size); return true; // MEMOIZE
      case 0x52: this.popN(2, 'REDUCE'); this.push(OTHER); return true; // REDUCE
      case 0x62: this.pop('BUILD'); this.top('BUILD'); return true; // BUILD
      case 0x81: this.popN(2, 'NEWOBJ'); this.push(OTHER); return true; // NEWOBJ
      case 0x92: this.popN(3, 'NEWOBJ_EX'); this.push(OTHER); return true; // NEWOBJ_EX
      case 0x51: this.pop('BINPERSID'); this.push(OTHER); return true; // BINPERSID
      default:
        return false;
    }
  }

  // One opcode: the switch mirrors pickle.py's dispatch table, opcode by opcode.
  private *step(opcode: number): Generator<Request, void, Buffer | null> {
    if (this.applyNoArgument(opcode)) return;
    switch (opcode) {
      case 0x80: { // PROTO
        const version = (yield* this.read(1))[0] ?? 0;
        if (version > HIGHEST_PROTOCOL) throw new PickleError(`unsupported pickle protocol ${version}`);
        return;
      }
      case 0x95: yield* this.read(8); return; // FRAME: framing only groups opcodes
      case 0x2e: return; // STOP, handled by the caller
      case 0x49: case 0x4c: case 0x46: yield* this.line(1 << 20, 64); this.push(OTHER); return; // INT, LONG, FLOAT
      case 0x4a: yield* this.read(4); this.push(OTHER); return; // BININT
      case 0x4b: yield* this.read(1); this.push(OTHER); return; // BININT1
      case 0x4d: yield* this.read(2); this.push(OTHER); return; // BININT2
      case 0x47: yield* this.read(8); this.push(OTHER); return; // BINFLOAT
      case 0x8a: { const n = (yield* this.read(1))[0] ?? 0; yield* this.read(n); this.push(OTHER); return; } // LONG1
      case 0x8b: yield* this.payload(yield* this.signedLength(4, 'LONG4'), false); return; // LONG4
      case 0x53: yield* this.quotedString(); return; // STRING
      case 0x54: yield* this.payload(yield* this.signedLength(4, 'BINSTRING'), true); return; // BINSTRING
      case 0x55: yield* this.payload((yield* this.read(1))[0] ?? 0, true); return; // SHORT_BINSTRING
      case 0x42: yield* this.payload(yield* this.unsignedLength(4), false); return; // BINBYTES
      case 0x43: yield* this.payload((yield* this.read(1))[0] ?? 0, false); return; // SHORT_BINBYTES
      case 0x8e: case 0x96: yield* this.payload(yield* this.unsignedLength(8), false); return; // BINBYTES8, BYTEARRAY8
      case 0x56: yield* this.rawUnicodeLine(); return; // UNICODE
      case 0x8c: yield* this.payload((yield* this.read(1))[0] ?? 0, true); return; // SHORT_BINUNICODE
      case 0x58: yield* this.payload(yield* this.unsignedLength(4), true); return; // BINUNICODE
      case 0x8d: yield* this.payload(yield* this.unsignedLength(8), true); return; // BINUNICODE8
      case 0x67: this.get(this.decimal(yield* this.line(64, 64), 'GET')); return; // GET
      case 0x68: this.get((yield* this.read(1))[0] ?? 0); return; // BINGET
      case 0x6a: this.get(yield* this.unsignedLength(4)); return; // LONG_BINGET
      case 0x70: this.put(this.decimal(yield* this.line(64, 64), 'PUT')); return; // PUT
      case 0x71: this.put((yield* this.read(1))[0] ?? 0); return; // BINPUT
      case 0x72: this.put(yield* this.unsignedLength(4)); return; // LONG_BINPUT
      case 0x82: yield* this.extension(1); return; // EXT1
      case 0x83: yield* this.extension(2); return; // EXT2
      case 0x84: yield* this.extension(4); return; // EXT4
      case 0x63: { // GLOBAL
        const module = yield* this.importLine();
        const name = yield* this.importLine();
        this.push(this.imported(module, name, 'GLOBAL'));
        return;
      }
      case 0x93: { // STACK_GLOBAL
        const name = this.pop('STACK_GLOBAL');
        const module = this.pop('STACK_GLOBAL');
        if (module.t !== 'str' || name.t !== 'str') throw new PickleError('STACK_GLOBAL takes its module and name from values computed at load time, which cannot be judged without running them');
        if (module.v === undefined || name.v === undefined) throw new PickleError(`STACK_GLOBAL names a module or global longer than ${MAX_KEPT_STRING} characters`);
        this.push(this.imported(module.v, name.v, 'STACK_GLOBAL'));
        return;
      }
      case 0x69: { // INST
        const module = yield* this.importLine();
        const name = yield* this.importLine();
        this.imported(module, name, 'INST');
        this.popMark();
        this.push(OTHER);
        return;
      }
      case 0x6f: { // OBJ
        const items = this.popMark();
        if (items.length === 0) throw new PickleError('OBJ without a class');
        this.push(OTHER);
        return;
      }
      case 0x50: yield* this.line(1 << 20, 0); this.push(OTHER); return; // PERSID
      default:
        throw new PickleError(`byte 0x${opcode.toString(16).padStart(2, '0')} is not a pickle opcode`);
    }
  }

  private imported(module: string, name: string, opcode: string): Value {
    this.imports.push({ module, name, opcode, offset: this.opcodeOffset });
    this.importedInCurrent = true;
    return { t: 'global', ref: `${module}.${name}` };
  }

  private *extension(width: 1 | 2 | 4): Generator<Request, void, Buffer | null> {
    const bytes = yield* this.read(width);
    const code = width === 1 ? bytes.readUInt8(0) : width === 2 ? bytes.readUInt16LE(0) : bytes.readInt32LE(0);
    // copyreg's extension registry maps codes to globals at load time; the stream alone cannot say which.
    this.push(this.imported('copyreg._extension_registry', `code ${code}`, `EXT${width}`));
  }

  private *read(n: number): Generator<Request, Buffer, Buffer | null> {
    const bytes = yield { kind: 'bytes', n };
    if (bytes === null) throw new PickleError('the pickle ends inside an opcode argument (truncated)');
    return bytes;
  }

  private *line(max: number, keep: number): Generator<Request, Buffer, Buffer | null> {
    const bytes = yield { kind: 'line', max, keep };
    if (bytes === null) throw new PickleError('the pickle ends inside a text argument (truncated)');
    return bytes;
  }

  private *importLine(): Generator<Request, string, Buffer | null> {
    const bytes = yield* this.line(MAX_IMPORT_LINE, MAX_IMPORT_LINE);
    return bytes.toString('utf8');
  }

  private *unsignedLength(width: 4 | 8): Generator<Request, number, Buffer | null> {
    const bytes = yield* this.read(width);
    const value = width === 4 ? bytes.readUInt32LE(0) : bytes.readBigUInt64LE(0);
    if (typeof value === 'bigint' && value > BigInt(Number.MAX_SAFE_INTEGER)) throw new PickleError('a length exceeds what any file can hold');
    return Number(value);
  }

  private *signedLength(width: 4, opcode: string): Generator<Request, number, Buffer | null> {
    const value = (yield* this.read(width)).readInt32LE(0);
    if (value < 0) throw new PickleError(`${opcode} has a negative byte count`);
    return value;
  }

  /** A length-prefixed argument: short strings are kept (a STACK_GLOBAL may need them), the rest skipped. */
  private *payload(length: number, isText: boolean): Generator<Request, void, Buffer | null> {
    if (isText && length <= MAX_KEPT_STRING) {
      const bytes = length === 0 ? Buffer.alloc(0) : yield* this.read(length);
      this.push({ t: 'str', v: bytes.toString('utf8') });
      return;
    }
    if (length > 0) {
      const skipped = yield { kind: 'skip', n: length };
      if (skipped === null) throw new PickleError('the pickle ends inside a data argument (truncated)');
    }
    this.push(isText ? { t: 'str', v: undefined } : OTHER);
  }

  private *quotedString(): Generator<Request, void, Buffer | null> {
    const raw = (yield* this.line(1 << 30, MAX_KEPT_STRING + 2)).toString('latin1').replace(/\r$/, '');
    const quote = raw[0];
    if (raw.length < 2 || (quote !== '"' && quote !== "'") || raw[raw.length - 1] !== quote) {
      if (raw.length < MAX_KEPT_STRING) throw new PickleError('the STRING opcode argument must be quoted');
      this.push({ t: 'str', v: undefined });
      return;
    }
    this.push({ t: 'str', v: unescape(raw.slice(1, -1)) });
  }

  private *rawUnicodeLine(): Generator<Request, void, Buffer | null> {
    const raw = (yield* this.line(1 << 30, MAX_KEPT_STRING + 1)).toString('latin1');
    this.push({ t: 'str', v: raw.length > MAX_KEPT_STRING ? undefined : raw.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, short: string | undefined, long: string | undefined) => String.fromCodePoint(parseInt(short ?? long ?? '0', 16))) });
  }

  private decimal(bytes: Buffer, opcode: string): number {
    const text = bytes.toString('latin1').trim();
    if (!/^\d+$/.test(text)) throw new PickleError(`${opcode} needs a non-negative decimal index; got "${text.slice(0, 20)}"`);
    return Number(text);
  }

  private push(value: Value): void {
    if (this.stack.length >= MAX_STACK) throw new PickleError(`the stack grows past ${MAX_STACK} values`);
    this.stack.push(value);
  }

  private pop(opcode: string): Value {
    const value = this.stack.pop();
    if (value === undefined) throw new PickleError(`${opcode} on an empty stack`);
    return value;
  }

  private popN(n: number, opcode: string): void {
    for (let index = 0; index < n; index += 1) this.pop(opcode);
  }

  private top(opcode: string): Value {
    const value = this.stack[this.stack.length - 1];
    if (value === undefined) throw new PickleError(`${opcode} on an empty stack`);
    return value;
  }

  private mark(): void {
    if (this.marks.length >= MAX_MARKS) throw new PickleError(`more than ${MAX_MARKS} nested MARKs`);
    this.marks.push(this.stack);
    this.stack = [];
  }

  private popMark(): Value[] {
    const items = this.stack;
    const previous = this.marks.pop();
    if (previous === undefined) throw new PickleError('an opcode needs a MARK that was never set');
    this.stack = previous;
    return items;
  }

  private get(index: number): void {
    const value = this.memo.get(index);
    if (value === undefined) throw new PickleError(`memo entry ${index} is read before it was written`);
    this.push(value);
  }

  private put(index: number): void {
    if (this.memo.size >= MAX_MEMO && !this.memo.has(index)) throw new PickleError(`the memo grows past ${MAX_MEMO} entries`);
    this.memo.set(index, this.top('PUT'));
  }
}

// Python's escape decoding for protocol 0 STRING arguments, enough for module and attribute names.
function unescape(text: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
  return text.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, escape: string) => (escape.startsWith('x') && escape.length === 3 ? String.fromCharCode(parseInt(escape.slice(1), 16)) : simple[escape] ?? `\\${escape}`));
}
