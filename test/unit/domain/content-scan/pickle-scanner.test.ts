import { expect } from 'chai';
import { judgeGlobal, planScan, type FileScan } from '../../../../src/domain/content-scan';
import { op, osSystemPickle, pickle, torchStateDictPickle } from '../../../support/pickle-builder';

/** Scans bytes as the registry does: plan by name and magic, then push in small chunks. */
function scan(path: string, bytes: Buffer, chunk = 7): FileScan {
  const plan = planScan(path, bytes.length, bytes.subarray(0, 8), false);
  if (plan.kind !== 'scan') throw new Error(`expected a scan plan for ${path}, got ${plan.kind}`);
  for (let at = 0; at < bytes.length; at += chunk) plan.scanner.push(bytes.subarray(at, at + chunk));
  return plan.scanner.end();
}
const dangerousGlobals = (result: FileScan): string[] => result.findings.filter((f) => f.verdict === 'dangerous' && f.global !== undefined).map((f) => f.global ?? '');

describe('pickle scanner: dangerous pickles', () => {
  it('when a protocol 0 text pickle calls os.system through GLOBAL and REDUCE, then it is dangerous', () => {
    const bytes = Buffer.from("cos\nsystem\n(S'echo pwned'\ntR.", 'latin1');
    const result = scan('model.pkl', bytes);
    expect(result.verdict).to.equal('dangerous');
    expect(dangerousGlobals(result)).to.deep.equal(['os.system']);
  });

  it('when a protocol 2 pickle calls os.system (GLOBAL + REDUCE), then it is dangerous, whatever the extension', () => {
    for (const path of ['pytorch_model.bin', 'model.pt', 'model.pth', 'last.ckpt', 'x.pkl', 'x.pickle', 'clf.joblib']) {
      expect(dangerousGlobals(scan(path, osSystemPickle())), path).to.deep.equal(['os.system']);
    }
  });

  it('when protocol 4 assembles builtins.exec with STACK_GLOBAL from a module name kept in the memo, then the memo is followed', () => {
    const bytes = pickle(
      op.proto(4), op.frame(60),
      op.shortBinUnicode('builtins'), op.memoize, op.shortBinUnicode('list'), op.memoize, op.stackGlobal, op.memoize, op.emptyTuple, op.reduce, op.binPut(9),
      op.binGet(0), op.shortBinUnicode('exec'), op.stackGlobal, op.shortBinUnicode('import os'), op.tuple1, op.reduce,
      op.stop,
    );
    const result = scan('model.pkl', bytes, 3);
    expect(result.globals).to.deep.equal(['builtins.list', 'builtins.exec']);
    expect(dangerousGlobals(result)).to.deep.equal(['builtins.exec']);
  });

  it('when STACK_GLOBAL takes its names from PUT/GET, BINPUT/BINGET and LONG_BINPUT/LONG_BINGET, then each is resolved', () => {
    const cases: [Buffer, (i: number) => Buffer, (i: number) => Buffer][] = [[op.unicode('posix'), op.put, op.get], [op.shortBinUnicode('posix'), op.binPut, op.binGet], [op.binUnicode('posix'), op.longBinPut, op.longBinGet]];
    for (const [module, put, get] of cases) {
      const bytes = pickle(op.proto(4), module, put(3), op.pop, op.shortBinUnicode('system'), put(300 % 256), op.pop, get(3), get(300 % 256), op.stackGlobal, op.stop);
      expect(dangerousGlobals(scan('x.pkl', bytes, 2))).to.deep.equal(['posix.system']);
    }
  });

  it('when INST names subprocess.Popen, then it is dangerous', () => {
    const bytes = Buffer.from("(S'id'\nisubprocess\nPopen\n.", 'latin1');
    expect(dangerousGlobals(scan('a.pkl', bytes))).to.deep.equal(['subprocess.Popen']);
  });

  it('when OBJ builds from a GLOBAL class, NEWOBJ and NEWOBJ_EX from others, then every class is judged', () => {
    const objects = pickle(
      op.proto(4),
      op.mark, op.global('webbrowser', 'open'), op.binUnicode('http://x'), op.obj, op.binPut(0),
      op.global('runpy', '_run_code'), op.emptyTuple, op.newObj, op.binPut(1),
      op.global('pty', 'spawn'), op.emptyTuple, op.emptyDict, op.newObjEx, op.emptyDict, op.build,
      op.stop,
    );
    expect(dangerousGlobals(scan('a.pkl', objects))).to.deep.equal(['webbrowser.open', 'runpy._run_code', 'pty.spawn']);
  });

  it('when an EXT opcode imports through the extension registry, then it is dangerous: the file alone cannot say what it loads', () => {
    const result = scan('a.pkl', pickle(op.proto(2), op.ext1(42), op.emptyTuple, op.reduce, op.stop));
    expect(result.verdict).to.equal('dangerous');
    expect(result.findings[0]?.message).to.contain('EXT1');
  });

  it('when STACK_GLOBAL takes a name computed at load time, then it is dangerous', () => {
    const computed = pickle(op.proto(4), op.global('builtins', 'str'), op.shortBinUnicode('os'), op.tuple1, op.reduce, op.shortBinUnicode('system'), op.stackGlobal, op.stop);
    const result = scan('a.pkl', computed);
    expect(result.verdict).to.equal('dangerous');
    expect(result.findings.map((f) => f.message).join()).to.contain('computed at load time');
  });

  it('when globals from every source list appear, then each is dangerous', () => {
    const names: [string, string][] = [
      ['posix', 'system'], ['nt', 'system'], ['socket', 'create_connection'], ['importlib', 'import_module'], ['pickle', 'loads'], ['_pickle', 'loads'],
      ['torch', 'load'], ['torch.serialization', 'load'], ['torch.storage', '_load_from_bytes'], ['builtins', 'getattr'], ['builtins', 'eval'],
      ['builtins', '__import__'], ['__builtin__', 'eval'], ['functools', 'partial'], ['operator', 'attrgetter'], ['numpy.testing._private.utils', 'runstring'],
      ['commands', 'getoutput'], ['shutil', 'rmtree'], ['sys', 'modules'], ['ctypes', 'CDLL'], ['types', 'CodeType'], ['cloudpickle.cloudpickle', 'subimport'],
      ['torch.fx.graph_module', 'reduce_graph_module'], ['collections', 'OrderedDict.__init__.__globals__'], ['joblib.numpy_pickle', 'NumpyArrayWrapper'],
      ['aiohttp.client', 'ClientSession'], ['requests.api', 'get'], ['_io', 'FileIO'], ['io', 'open'], ['numpy', 'load'],
    ];
    for (const [module, name] of names) expect(judgeGlobal(module, name).verdict, `${module}.${name}`).to.equal('dangerous');
  });

  it('when a benign pickle is followed by a second one that imports os.system, then the second is scanned too', () => {
    const bytes = pickle(op.proto(2), op.none, op.stop, osSystemPickle());
    expect(dangerousGlobals(scan('a.pkl', bytes))).to.deep.equal(['os.system']);
  });
});

describe('pickle scanner: fail closed', () => {
  it('when a pickle is truncated, then it is dangerous: what cannot be read is refused', () => {
    const whole = torchStateDictPickle();
    const result = scan('model.pt', whole.subarray(0, whole.length - 20));
    expect(result.verdict).to.equal('dangerous');
    expect(result.findings.at(-1)?.message).to.contain('truncated');
  });

  it('when a .pkl is garbage, empty, or names an unknown protocol, then it is dangerous', () => {
    for (const bytes of [Buffer.from('this is not a pickle at all'), Buffer.alloc(0), pickle(op.proto(6), op.none, op.stop), Buffer.from([0x80, 0x02, 0xff, 0x2e])]) {
      expect(scan('x.pkl', bytes).verdict, bytes.toString('hex')).to.equal('dangerous');
    }
  });

  it('when a .bin is not a pickle and fails before importing anything, then it is only suspicious (fastText and raw .bin files exist)', () => {
    const result = scan('embeddings.bin', Buffer.from('\x00\x01binary vectors', 'latin1'));
    expect(result.verdict).to.equal('suspicious');
  });

  it('when a .bin starts like a protocol 2 pickle and cannot be read, then it is dangerous', () => {
    expect(scan('pytorch_model.bin', Buffer.from([0x80, 0x02, 0xfe])).verdict).to.equal('dangerous');
  });

  it('when an import line never ends, then reading stops at a bound and the file is dangerous', () => {
    expect(scan('x.pkl', Buffer.concat([Buffer.from('cos'), Buffer.alloc(10_000, 0x61)])).verdict).to.equal('dangerous');
  });

  it('when the stack underflows, a memo entry is read before written, or MARK is missing, then it is dangerous', () => {
    for (const bytes of [pickle(op.proto(2), op.reduce, op.stop), pickle(op.proto(2), op.binGet(3), op.stop), pickle(op.proto(2), op.tuple, op.stop)]) {
      expect(scan('x.pkl', bytes).verdict).to.equal('dangerous');
    }
  });
});

describe('pickle scanner: benign checkpoints', () => {
  it('when a torch state dict pickle rebuilds tensors from FloatStorage into an OrderedDict, then it is safe', () => {
    const result = scan('archive/data.pkl', torchStateDictPickle(), 5);
    expect(result.verdict).to.equal('safe');
    expect(result.globals).to.have.members(['collections.OrderedDict', 'torch._utils._rebuild_tensor_v2', 'torch.FloatStorage']);
  });

  it('when a protocol 0 pickle uses __builtin__.set and copy_reg._reconstructor, then the Python 2 names are mapped and safe', () => {
    const bytes = Buffer.from("ccopy_reg\n_reconstructor\n(c__builtin__\nset\nc__builtin__\nobject\nNtR(lp0\nI1\nab.", 'latin1');
    const result = scan('x.pkl', bytes);
    expect(result.findings).to.deep.equal([]);
    expect(result.verdict).to.equal('safe');
  });

  it('when a pickle carries megabytes of tensor bytes, then they are skipped in chunks and the verdict holds', () => {
    const big = Buffer.alloc(5 * 1024 * 1024, 0x63);
    const readable = scan('x.pkl', pickle(op.proto(3), op.emptyList, op.binBytes(big), op.append, op.stop), 65536);
    expect(readable.verdict).to.equal('safe');
  });

  it('when a legacy torch file holds its five pickles and then raw storage bytes, then the raw bytes are not read as opcodes', () => {
    const magic = Buffer.from('80028a0a6cfc9c46f9206aa850192e', 'hex');
    const small = pickle(op.proto(2), op.binInt1(1), op.stop);
    const raw = Buffer.from('cos\nsystem\n(garbage that is tensor data', 'latin1');
    const result = scan('pytorch_model.bin', Buffer.concat([magic, small, small, torchStateDictPickle(), small, raw]));
    expect(result.verdict).to.equal('safe');
  });

  it('when a global is not on the allow-list and not known to be dangerous, then it is suspicious', () => {
    expect(judgeGlobal('sklearn.linear_model._logistic', 'LogisticRegression').verdict).to.equal('suspicious');
    expect(judgeGlobal('__main__', 'MyModel').verdict).to.equal('suspicious');
    expect(judgeGlobal('builtins', 'len').verdict).to.equal('suspicious');
    expect(judgeGlobal('torch', 'BFloat16Storage').verdict).to.equal('safe');
    expect(judgeGlobal('numpy.core.multiarray', '_reconstruct').verdict).to.equal('safe');
  });

  it('when the same bytes are pushed one at a time, then the result equals the whole-buffer result', () => {
    const bytes = torchStateDictPickle();
    expect(scan('a.pt', bytes, 1)).to.deep.equal(scan('a.pt', bytes, bytes.length));
  });
});

describe('pickle scanner: protocol 5 and the rest of the opcode set', () => {
  it('when a protocol 5 pickle uses BYTEARRAY8, NEXT_BUFFER, READONLY_BUFFER, sets and frozensets, then it is read to its end and safe', () => {
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(3n);
    const body = pickle(
      op.mark,
      Buffer.from([0x96]), length, Buffer.from('abc'), // BYTEARRAY8
      Buffer.from([0x97, 0x98]), // NEXT_BUFFER, READONLY_BUFFER
      Buffer.from([0x8f]), op.mark, op.binInt1(1), Buffer.from([0x90]), // EMPTY_SET, MARK, ADDITEMS
      op.mark, op.binInt1(2), Buffer.from([0x91]), // FROZENSET
      op.tuple,
      op.stop,
    );
    const bytes = pickle(op.proto(5), op.frame(body.length), body);
    const result = scan('x.pkl', bytes, 3);
    expect(result.findings).to.deep.equal([]);
    expect(result.verdict).to.equal('safe');
  });

  it('when protocol 1 and 2 opcodes build objects (BINSTRING, LONG1, LONG4, DUP, POP_MARK, PERSID), then they are read to the end', () => {
    const long4 = Buffer.alloc(4);
    long4.writeInt32LE(2);
    const bytes = pickle(
      op.proto(2), op.mark,
      Buffer.from([0x54, 3, 0, 0, 0]), Buffer.from('abc'), // BINSTRING
      Buffer.from([0x8a, 2, 0xff, 0x7f]), // LONG1
      Buffer.from([0x8b]), long4, Buffer.from([1, 2]), // LONG4
      Buffer.from('2'), // DUP
      op.mark, op.none, Buffer.from('1'), // MARK, NONE, POP_MARK
      Buffer.from('Pkey\n'), // PERSID
      Buffer.from('F1.5\nL12345678901234567890L\n'), // FLOAT, LONG
      op.list, op.stop,
    );
    const result = scan('x.pkl', bytes, 4);
    expect(result.findings).to.deep.equal([]);
    expect(result.verdict).to.equal('safe');
    expect(scan('x.pkl', bytes.subarray(0, bytes.length - 3)).verdict, 'cut inside the last opcodes').to.equal('dangerous');
  });
});

describe('pickle scanner: legacy tar checkpoints', () => {
  it('when a .bin is a tar archive (the pre-1.0 torch format, whose pickle member torch.load unpickles), then it is dangerous', () => {
    const header = Buffer.alloc(512);
    header.write('storages', 0, 'latin1');
    header.write('ustar', 257, 'latin1');
    const result = scan('pytorch_model.bin', Buffer.concat([header, osSystemPickle()]), 100);
    expect(result.verdict).to.equal('dangerous');
    expect(result.format).to.equal('tar');
  });
});

describe('pickle scanner: raw .bin files', () => {
  it('when a raw .bin happens to start like GLOBAL or EXT with names nothing can import, then it is only suspicious', () => {
    const garbageGlobal = Buffer.concat([Buffer.from('c\x01\xff\x10 \x7f\n\x02\x03 \n', 'latin1'), Buffer.from([0xff, 0xfe, 0x00])]);
    expect(scan('openvino_model.bin', garbageGlobal).verdict).to.equal('suspicious');
    expect(scan('openvino_model.bin', Buffer.from([0x82, 0x07, 0xff, 0x00, 0x13])).verdict).to.equal('suspicious');
  });

  it('when a .bin imports a real module name before failing, or names a .pt, then it stays dangerous', () => {
    const importable = Buffer.from('ccollections\nOrderedDict\n\xff', 'latin1');
    expect(scan('weights.bin', importable).verdict).to.equal('dangerous');
    expect(scan('weights.pt', Buffer.from('c\x01\xff\x10 \x7f\n\x02\x03 \n\xff', 'latin1')).verdict).to.equal('dangerous');
  });
});
