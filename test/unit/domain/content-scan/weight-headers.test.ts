import { expect } from 'chai';
import { planScan, type FileScan } from '../../../../src/domain/content-scan';
import { npy, op, osSystemPickle, pickle, safetensors } from '../../../support/pickle-builder';

function scan(path: string, bytes: Buffer): FileScan {
  const plan = planScan(path, bytes.length, bytes.subarray(0, 8), false);
  if (plan.kind !== 'scan') throw new Error(`expected a scan plan for ${path}`);
  for (let at = 0; at < bytes.length; at += 5) plan.scanner.push(bytes.subarray(at, at + 5));
  return plan.scanner.end();
}
const tensor = (dtype: string, shape: number[], begin: number, end: number) => ({ dtype, shape, data_offsets: [begin, end] });

describe('safetensors header checks', () => {
  const good = { __metadata__: { format: 'pt' }, a: tensor('F32', [2, 2], 0, 16), b: tensor('BF16', [4], 16, 24) };

  it('when the header is consistent with the data, then the file is safe', () => {
    expect(scan('model.safetensors', safetensors(good, Buffer.alloc(24))).verdict).to.equal('safe');
  });

  it('when the file lies, then it is dangerous and the finding names the lie', () => {
    const lies: [string, Buffer, string][] = [
      ['header longer than the file', safetensors(good, Buffer.alloc(24), 10_000), 'declares a 10000-byte header'],
      ['header beyond the 100 MB limit', safetensors(good, Buffer.alloc(24), 2 ** 40), 'at most'],
      ['not JSON', Buffer.concat([safetensors({}, Buffer.alloc(0)).subarray(0, 8), Buffer.from('{}')]).fill(0x7b, 8), 'not valid JSON'],
      ['unknown dtype', safetensors({ a: tensor('F128', [2], 0, 32) }, Buffer.alloc(32)), 'unknown dtype'],
      ['offsets beyond the data area', safetensors({ a: tensor('F32', [4], 0, 16) }, Buffer.alloc(8)), 'outside'],
      ['overlapping tensors', safetensors({ a: tensor('F32', [4], 0, 16), b: tensor('F32', [2], 8, 16) }, Buffer.alloc(16)), 'overlaps'],
      ['a gap between tensors', safetensors({ a: tensor('F32', [2], 0, 8), b: tensor('F32', [2], 12, 20) }, Buffer.alloc(20)), 'gap'],
      ['size not shape x dtype', safetensors({ a: tensor('F32', [3], 0, 16) }, Buffer.alloc(16)), 'data_offsets span'],
      ['data area not covered', safetensors({ a: tensor('F32', [2], 0, 8) }, Buffer.alloc(64)), 'cover 8 bytes'],
      ['random bytes', Buffer.from('0123456789abcdef0123456789abcdef'), 'header'],
    ];
    for (const [what, bytes, says] of lies) {
      const result = scan('model.safetensors', bytes);
      expect(result.verdict, what).to.equal('dangerous');
      expect(result.findings[0]?.message, what).to.contain(says);
    }
  });
});

describe('GGUF and ONNX header checks', () => {
  const gguf = (version: number, tensors: bigint, keys: bigint, size = 64): Buffer => {
    const bytes = Buffer.alloc(size);
    bytes.write('GGUF', 0, 'latin1');
    bytes.writeUInt32LE(version, 4);
    bytes.writeBigUInt64LE(tensors, 8);
    bytes.writeBigUInt64LE(keys, 16);
    return bytes;
  };

  it('when a GGUF header is sane, then safe; when the magic, version or counts lie, then dangerous', () => {
    expect(scan('m.gguf', gguf(3, 2n, 3n)).verdict).to.equal('safe');
    expect(scan('m.gguf', Buffer.from('GGML0000000000000000000000000')).verdict).to.equal('dangerous');
    expect(scan('m.gguf', gguf(9, 0n, 0n)).verdict).to.equal('dangerous');
    expect(scan('m.gguf', gguf(3, 2n ** 60n, 0n)).verdict).to.equal('dangerous');
  });

  it('when an ONNX file reads as a ModelProto, then safe; when it is text or another format, then dangerous', () => {
    const model = Buffer.concat([Buffer.from([0x08, 0x08, 0x12, 0x07]), Buffer.from('pytorch'), Buffer.from([0x3a, 0x02, 0x0a, 0x00])]);
    expect(scan('model.onnx', model).verdict).to.equal('safe');
    expect(scan('model.onnx', Buffer.from('<html>not a model</html>')).verdict).to.equal('dangerous');
    expect(scan('model.onnx', osSystemPickle()).verdict).to.equal('dangerous');
    expect(scan('model.onnx', Buffer.from([0x08, 0x08, 0x12, 0x7f, 0x00])).verdict, 'length past the end').to.equal('dangerous');
  });
});

describe('.npy files', () => {
  it('when an .npy holds numbers, then it is safe', () => {
    expect(scan('x.npy', npy('<f4', Buffer.alloc(16), '(4,)')).verdict).to.equal('safe');
  });

  it('when an .npy object array carries a pickle that calls os.system, then it is dangerous', () => {
    const result = scan('x.npy', npy('|O', osSystemPickle()));
    expect(result.verdict).to.equal('dangerous');
    expect(result.format).to.equal('npy (object array)');
    expect(result.findings[0]?.global).to.equal('os.system');
  });

  it('when an .npy object array carries only builtins, then it is safe', () => {
    const list = pickle(op.proto(3), op.emptyList, op.shortBinUnicode('a'), op.append, op.stop);
    expect(scan('x.npy', npy('|O', list)).verdict).to.equal('safe');
  });

  it('when a file named .npy is not an .npy, then numpy would unpickle it, so it is scanned as a pickle', () => {
    expect(scan('x.npy', osSystemPickle()).verdict).to.equal('dangerous');
  });
});
