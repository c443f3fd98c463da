import { judgeGlobal } from './pickle-globals';
import { PickleStreamScanner, type PickleScanResult } from './pickle-scanner';
import { fileScan, type FileScan, type ScanFinding } from './verdict';
import { checkGguf, checkOnnx, checkSafetensors, GGUF_HEAD_BYTES, isNpy, npyBytesNeeded, ONNX_HEAD_BYTES, readNpyHeader, safetensorsBytesNeeded } from './weight-headers';

/** Judges one file from its bytes, pushed in order; `wantsMore` false means the rest need not be read. */
export interface ContentScanner {
  push(chunk: Uint8Array): void;
  readonly wantsMore: boolean;
  end(): FileScan;
}

/** What to do with a file: scan its bytes, open it as a zip and scan its members, or leave it. */
export type ScanPlan =
  | { readonly kind: 'scan'; readonly scanner: ContentScanner }
  | { readonly kind: 'archive'; readonly format: 'torch-zip' | 'npz' | 'zip' }
  | { readonly kind: 'skip' };

/** Bytes a plan needs to see first (magic numbers) before it can choose. */
export const SNIFF_BYTES = 8;
const ZIP_MAGIC = [Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('PK\x05\x06', 'latin1')];
const TORCH_EXTENSIONS = new Set(['pt', 'pth', 'ckpt']);
const PICKLE_EXTENSIONS = new Set(['pkl', 'pickle', 'joblib', 'dill']);
// A torch zip's storages are raw tensor bytes that torch reads without unpickling.
const TORCH_STORAGE = /(^|\/)data\/\d+$/;

const extensionOf = (path: string): string => {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1);
};
const isZip = (head: Uint8Array): boolean => ZIP_MAGIC.some((magic) => head.length >= 4 && Buffer.from(head.buffer, head.byteOffset, 4).equals(magic));
// Protocol 2-5 pickles start with PROTO and their version: picklescan's sniffing rule for archive members.
const looksLikePickle = (head: Uint8Array): boolean => head[0] === 0x80 && (head[1] ?? 0) >= 2 && (head[1] ?? 0) <= 5;

/**
 * Chooses how a file in a package is judged, by extension and magic bytes. `member` is true for
 * files inside a zip that is itself in the package (a torch checkpoint, an .npz): there names say
 * less, so any member that starts like a pickle is read as one.
 */
export function planScan(path: string, size: number, head: Uint8Array, member: boolean): ScanPlan {
  const extension = extensionOf(path);
  const scan = (scanner: ContentScanner): ScanPlan => ({ kind: 'scan', scanner });
  if (extension === 'safetensors') return scan(new HeadScanner(path, 'safetensors', size, safetensorsBytesNeeded, checkSafetensors));
  if (extension === 'gguf') return scan(new HeadScanner(path, 'gguf', size, () => GGUF_HEAD_BYTES, checkGguf));
  if (extension === 'onnx') return scan(new HeadScanner(path, 'onnx', size, () => ONNX_HEAD_BYTES, checkOnnx));
  if (extension === 'npy') return scan(isNpy(head) ? new NpyScanner(path) : new PickleFileScanner(path, 'pickle', true));
  if (extension === 'npz') return isZip(head) ? { kind: 'archive', format: 'npz' } : scan(new PickleFileScanner(path, 'pickle', true));
  if (extension === 'zip') return isZip(head) ? { kind: 'archive', format: 'zip' } : { kind: 'skip' };
  if (extension === 'bin' || TORCH_EXTENSIONS.has(extension)) {
    if (isZip(head)) return { kind: 'archive', format: 'torch-zip' };
    // .bin also names fastText, ggml and raw tensor files; only torch's own extensions promise a pickle.
    return scan(new PickleFileScanner(path, 'pickle', TORCH_EXTENSIONS.has(extension)));
  }
  if (PICKLE_EXTENSIONS.has(extension)) return scan(new PickleFileScanner(path, 'pickle', true));
  if (member && !TORCH_STORAGE.test(path)) {
    if (isZip(head)) return { kind: 'archive', format: 'zip' };
    if (looksLikePickle(head)) return scan(new PickleFileScanner(path, 'pickle', true));
  }
  return { kind: 'skip' };
}

/** Judges a pickle's imports; `certain` says the file must be a pickle, so unreadable means refused. */
export function judgePickle(path: string, format: string, result: PickleScanResult, certain: boolean): FileScan {
  if (!certain && isNotAPickle(result)) {
    const where = `at byte ${result.error?.offset ?? 0}: ${result.error?.message ?? ''}`;
    return fileScan(path, format, [{ verdict: 'suspicious', message: `is neither a pickle, a zip nor a known weights format (${where}); loading it as a pickle would fail before anything could be imported` }]);
  }
  const findings: ScanFinding[] = [];
  const globals = [...new Set(result.imports.map((entry) => `${entry.module}.${entry.name}`))];
  const judged = new Set<string>();
  for (const entry of result.imports) {
    const key = `${entry.module}\n${entry.name}`;
    if (judged.has(key)) continue;
    judged.add(key);
    const judgement = entry.opcode.startsWith('EXT')
      ? { verdict: 'dangerous' as const, reason: `${entry.opcode} imports a global through copyreg's extension registry (${entry.name}), which the file alone cannot name` }
      : judgeGlobal(entry.module, entry.name);
    if (judgement.verdict !== 'safe') findings.push({ verdict: judgement.verdict, global: `${entry.module}.${entry.name}`, message: `${entry.opcode} at byte ${entry.offset}: ${judgement.reason}` });
  }
  const error = result.error;
  if (error !== undefined) {
    const where = `at byte ${error.offset}: ${error.message}`;
    if (error.pickle === 0) {
      findings.push({ verdict: 'dangerous', message: `cannot be read as a pickle (${where}); what cannot be read is refused` });
    } else if (error.afterImport) {
      findings.push({ verdict: 'dangerous', message: `pickle ${error.pickle + 1} in the file imports a global, then cannot be read (${where})` });
    }
  }
  return fileScan(path, format, findings, globals);
}

const IMPORTABLE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * Raw bytes in a file whose name does not promise a pickle (a .bin of fastText or OpenVINO weights):
 * the first pickle fails without a PROTO signature, and whatever it "imported" on the way has names
 * no Python module or attribute can have (or is an EXT code), so loading it would fail at that import
 * before any call. Anything importable before the failure keeps the file dangerous.
 */
function isNotAPickle(result: PickleScanResult): boolean {
  const error = result.error;
  if (error === undefined || error.pickle > 0 || result.startsWithProto) return false;
  return result.imports.every((entry) => entry.opcode.startsWith('EXT') || !IMPORTABLE.test(entry.module) || !IMPORTABLE.test(entry.name));
}

// torch.load still reads the pre-1.0 tar checkpoints, whose "pickle" member it unpickles; "ustar" sits at byte 257.
const TAR_MAGIC_AT = 257;
const TAR_HEAD_BYTES = TAR_MAGIC_AT + 5;

class PickleFileScanner implements ContentScanner {
  private readonly scanner = new PickleStreamScanner();
  private head = Buffer.alloc(0);
  private ended = false;

  constructor(
    private readonly path: string,
    private readonly format: string,
    private readonly certain: boolean,
  ) {}

  push(chunk: Uint8Array): void {
    if (this.head.length < TAR_HEAD_BYTES) this.head = Buffer.concat([this.head, Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(chunk.length, TAR_HEAD_BYTES - this.head.length))]);
    this.scanner.push(chunk);
  }

  get wantsMore(): boolean {
    return this.scanner.wantsMore || (!this.ended && this.head.length < TAR_HEAD_BYTES);
  }

  end(): FileScan {
    this.ended = true;
    if (this.head.length >= TAR_HEAD_BYTES && this.head.toString('latin1', TAR_MAGIC_AT, TAR_HEAD_BYTES) === 'ustar') {
      return fileScan(this.path, 'tar', [{ verdict: 'dangerous', message: 'is a tar archive: torch.load reads legacy tar checkpoints and unpickles their "pickle" member, which this registry does not unpack' }]);
    }
    return judgePickle(this.path, this.format, this.scanner.end(), this.certain);
  }
}

/** Buffers the first bytes a header check needs, never more. */
class HeadScanner implements ContentScanner {
  private head = Buffer.alloc(0);

  constructor(
    private readonly path: string,
    private readonly format: string,
    private readonly size: number,
    private readonly needed: (head: Uint8Array) => number,
    private readonly check: (head: Uint8Array, size: number) => ScanFinding[],
  ) {}

  push(chunk: Uint8Array): void {
    const want = this.needed(this.head) - this.head.length;
    if (want <= 0) return;
    this.head = Buffer.concat([this.head, Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(chunk.length, want))]);
    // The first bytes may reveal that more are needed (a header length), so ask again with what is left.
    if (chunk.length > want) this.push(chunk.subarray(want));
  }

  get wantsMore(): boolean {
    return this.head.length < this.needed(this.head);
  }

  end(): FileScan {
    return fileScan(this.path, this.format, this.check(this.head.subarray(0, this.needed(this.head)), this.size));
  }
}

/** An .npy file: its header, then, for object arrays, the pickle numpy writes after it. */
class NpyScanner implements ContentScanner {
  private head = Buffer.alloc(0);
  private pickle: PickleStreamScanner | undefined;
  private problem: string | undefined;
  private done = false;

  constructor(private readonly path: string) {}

  push(chunk: Uint8Array): void {
    if (this.done) return;
    if (this.pickle !== undefined) {
      this.pickle.push(chunk);
      return;
    }
    this.head = Buffer.concat([this.head, chunk]);
    const needed = npyBytesNeeded(this.head);
    if (this.head.length < needed) return;
    const header = readNpyHeader(this.head.subarray(0, needed));
    if ('problem' in header) {
      this.problem = header.problem;
      this.done = true;
    } else if (header.objects) {
      this.pickle = new PickleStreamScanner();
      this.pickle.push(this.head.subarray(needed));
    } else {
      this.done = true;
    }
    this.head = this.head.subarray(0, needed);
  }

  get wantsMore(): boolean {
    return !this.done && (this.pickle?.wantsMore ?? true);
  }

  end(): FileScan {
    if (this.pickle !== undefined) return judgePickle(this.path, 'npy (object array)', this.pickle.end(), true);
    if (this.problem === undefined && !this.done) this.problem = 'ends inside its .npy header';
    return fileScan(this.path, 'npy', this.problem === undefined ? [] : [{ verdict: 'dangerous', message: this.problem }]);
  }
}
