import { expect } from 'chai';
import { DomainError, ErrorCode } from '../../../src/domain/errors';
import { DEFAULT_PACKAGE_LIMITS, checkArchiveEntries, type ArchiveEntry, type PackageLimits } from '../../../src/domain/package-policy';

const MIB = 1024 * 1024;

const entry = (path: string, overrides: Partial<ArchiveEntry> = {}): ArchiveEntry => ({
  path,
  uncompressedSize: path.endsWith('/') ? 0 : 4096,
  compressedSize: path.endsWith('/') ? 0 : 1800,
  isDirectory: path.endsWith('/'),
  isSymlink: false,
  ...overrides,
});

/** A bert-style package as its central directory would describe it. */
const PACKAGE: readonly ArchiveEntry[] = [
  entry('README.md', { uncompressedSize: 10_517, compressedSize: 3_902 }),
  entry('LICENSE', { uncompressedSize: 11_356, compressedSize: 3_960 }),
  entry('config.json', { uncompressedSize: 570, compressedSize: 312 }),
  entry('tokenizer.json', { uncompressedSize: 466_062, compressedSize: 151_004 }),
  entry('vocab.txt', { uncompressedSize: 231_508, compressedSize: 107_806 }),
  entry('model.safetensors', { uncompressedSize: 440_449_768, compressedSize: 408_310_223 }),
  entry('onnx/'),
  entry('onnx/model.onnx', { uncompressedSize: 438_200_000, compressedSize: 404_000_000 }),
  entry('data/'),
  entry('data/train.csv', { uncompressedSize: 2 * MIB, compressedSize: 600_000 }),
];

const limits = (overrides: Partial<PackageLimits> = {}): PackageLimits => ({ ...DEFAULT_PACKAGE_LIMITS, ...overrides });

function refusal(entries: readonly ArchiveEntry[], packageLimits = limits()): DomainError {
  try {
    checkArchiveEntries(entries, packageLimits);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  return expect.fail('expected the archive to be refused');
}

/** Refuses `hostile` added to a realistic package and checks the error names it. */
function refusedNaming(hostile: ArchiveEntry, fragment: string): DomainError {
  const error = refusal([...PACKAGE, hostile]);
  expect(error.code).to.equal(ErrorCode.InvalidPackage);
  expect(error.details).to.deep.equal({ path: hostile.path });
  expect(error.message).to.include(fragment);
  return error;
}

describe('checkArchiveEntries', () => {
  it('when a realistic model package is checked, then it is accepted', () => {
    expect(() => checkArchiveEntries(PACKAGE, limits())).to.not.throw();
  });

  it('when the default limits are read, then they match the documented bounds', () => {
    expect(DEFAULT_PACKAGE_LIMITS).to.deep.equal({ maxEntries: 10_000, maxTotalBytes: 8 * 1024 ** 3, maxCompressionRatio: 200, maxPathLength: 512 });
  });

  describe('paths', () => {
    for (const path of ['../x', 'a/../../x', 'weights/../../../etc/cron.d/evil', '..', 'a/..', 'data/../..']) {
      it(`when an entry is named ${JSON.stringify(path)}, then it is refused as leaving the package`, () => {
        const error = refusedNaming(entry(path), 'outside the package');
        expect(error.message).to.include(`"${path}"`);
      });
    }

    for (const path of ['/etc/passwd', 'C:/x', 'c:x', 'D:/Users/Public/evil.exe']) {
      it(`when an entry is named ${JSON.stringify(path)}, then it is refused as absolute`, () => {
        const error = refusedNaming(entry(path), 'absolute path');
        expect(error.message).to.include(`"${path}"`);
      });
    }

    for (const path of ['C:\\x', '..\\evil', 'weights\\model.bin']) {
      it(`when an entry is named ${JSON.stringify(path)}, then it is refused for its backslashes`, () => {
        const error = refusedNaming(entry(path), 'backslashes');
        expect(error.message).to.include(path);
      });
    }

    for (const path of ['evil\u0000.txt', 'line\nbreak.md', 'bell\u0007', 'esc\u001b[31m.txt', 'tab\tname']) {
      it(`when an entry name holds control character ${JSON.stringify(path)}, then it is refused and the path is in the details`, () => {
        refusedNaming(entry(path), 'control characters');
      });
    }

    for (const path of ['..foo', 'a/..b/c', 'weights/model..safetensors', './NOTES.md', 'a b/c (1).txt', 'model:v2.bin']) {
      it(`when an entry is named ${JSON.stringify(path)}, then it is accepted`, () => {
        expect(() => checkArchiveEntries([...PACKAGE, entry(path)], limits())).to.not.throw();
      });
    }

    it('when an entry has an empty name, then it is refused', () => {
      const error = refusal([...PACKAGE, entry('')]);

      expect(error.code).to.equal(ErrorCode.InvalidPackage);
      expect(error.message).to.include('empty name');
    });

    it('when an entry name is longer than the limit, then it is refused; at the limit it is accepted', () => {
      const atLimit = `weights/${'a'.repeat(DEFAULT_PACKAGE_LIMITS.maxPathLength - 8)}`;

      expect(() => checkArchiveEntries([entry(atLimit)], limits())).to.not.throw();
      expect(refusal([entry(`${atLimit}b`)]).message).to.include(`longer than ${DEFAULT_PACKAGE_LIMITS.maxPathLength}`);
    });
  });

  it('when an entry is a symbolic link, then it is refused naming it', () => {
    const error = refusedNaming(entry('weights.bin', { isSymlink: true }), 'symbolic link');

    expect(error.message).to.include('"weights.bin"');
  });

  describe('duplicates', () => {
    const duplicates: [string, string][] = [
      ['README.md', 'README.md'],
      ['README.md', 'readme.md'],
      ['Model.SafeTensors', 'model.safetensors'],
      ['data/', 'DATA/'],
      ['data', 'data/'],
      ['README.md', './README.md'],
      ['weights/model.bin', 'weights//model.bin'],
      ['weights/model.bin', 'weights/./model.bin'],
    ];
    for (const [first, second] of duplicates) {
      it(`when entries ${JSON.stringify(first)} and ${JSON.stringify(second)} both exist, then the archive is refused naming the second`, () => {
        const error = refusal([entry('config.json'), entry(first), entry(second)]);

        expect(error.code).to.equal(ErrorCode.InvalidPackage);
        expect(error.message).to.include(`more than one entry named "${second}"`);
      });
    }

    it('when names only share a prefix, then they are not duplicates', () => {
      expect(() => checkArchiveEntries([entry('model.safetensors'), entry('model.safetensors.index.json'), entry('model/')], limits())).to.not.throw();
    });
  });

  describe('confusing names', () => {
    it('when two names differ only in Unicode normalisation (NFC "é" and NFD "e" + accent), then the archive is refused', () => {
      const composed = 'caf\u00e9/model.bin';
      const decomposed = 'cafe\u0301/model.bin';

      const error = refusal([entry(composed), entry(decomposed)]);

      expect(error.message).to.include(`more than one entry named "${decomposed}"`);
    });

    for (const [file, other] of [['x', 'x/y'], ['weights', 'weights/model.bin'], ['Data', 'data/train.csv'], ['a/b', 'a/b/c/d.txt']] as const) {
      for (const order of [[file, other], [other, file]]) {
        it(`when a file ${JSON.stringify(file)} sits beside ${JSON.stringify(other)} (listed ${order.join(', ')}), then the file is refused`, () => {
          const error = refusal(order.map((path) => entry(path)));

          expect(error.details).to.deep.equal({ path: file });
          expect(error.message).to.include(`"${file}" is a file`);
        });
      }
    }

    it('when a folder entry and files inside it both exist, then the archive is accepted', () => {
      expect(() => checkArchiveEntries([entry('x/'), entry('x/y'), entry('x/z/w'), entry('xy')], limits())).to.not.throw();
    });

    for (const path of ['nul\u0000.txt', 'cr\rname.txt', 'lf\nname.txt', 'del\u007f.txt', 'c1\u0085.txt', 'evil\u202etxt.exe', 'isolate\u2066.md', 'sep\u2028.md']) {
      it(`when an entry is named ${JSON.stringify(path)}, then it is refused with the name escaped in the message`, () => {
        const error = refusedNaming(entry(path), 'control characters');

        expect(error.message).to.include(JSON.stringify(path));
      });
    }

    for (const path of ['CON', 'con.txt', 'Prn.md', 'aux', 'NUL.tar.gz', 'com1', 'COM9.bin', 'lpt1.txt', 'LPT9', 'weights/aux.c', 'con /x.txt', 'CON .txt', 'com\u00b9.txt', 'CONIN$']) {
      it(`when an entry is named ${JSON.stringify(path)}, then it is refused as a reserved Windows device name`, () => {
        refusedNaming(entry(path), 'reserves for a device');
      });
    }

    for (const path of ['model.bin.', 'notes ', 'weights./model.bin', 'dir /x.txt', 'a/b...']) {
      it(`when an entry is named ${JSON.stringify(path)}, then it is refused for a trailing dot or space`, () => {
        refusedNaming(entry(path), 'ending in a dot or space');
      });
    }

    for (const path of ['console.txt', 'auxiliary/x.md', 'com10.txt', 'lpt.md', 'nullable.py', 'my con.txt', 'conf/config.json', '.hidden', 'caf\u00e9.md']) {
      it(`when an entry is named ${JSON.stringify(path)}, then it is accepted`, () => {
        expect(() => checkArchiveEntries([...PACKAGE, entry(path)], limits())).to.not.throw();
      });
    }

    it('when an entry is a FIFO or device by its Unix mode, then it is refused naming it', () => {
      const error = refusedNaming(entry('pipe', { isSpecial: true }), 'device, FIFO or socket');

      expect(error.message).to.include('"pipe"');
    });
  });

  describe('counts and sizes', () => {
    it('when there are more entries than allowed, then the archive is refused naming both counts', () => {
      const error = refusal(PACKAGE, limits({ maxEntries: PACKAGE.length - 1 }));

      expect(error.message).to.include(`${PACKAGE.length} entries`).and.include(`at most ${PACKAGE.length - 1}`);
    });

    it('when there are exactly as many entries as allowed, then the archive is accepted', () => {
      expect(() => checkArchiveEntries(PACKAGE, limits({ maxEntries: PACKAGE.length }))).to.not.throw();
    });

    it('when the total declared size exceeds the limit by one byte, then the archive is refused', () => {
      const entries = [entry('a.bin', { uncompressedSize: 6000 }), entry('b.bin', { uncompressedSize: 4001 })];

      expect(refusal(entries, limits({ maxTotalBytes: 10_000 })).message).to.include('more than 10000 bytes');
    });

    it('when the total declared size equals the limit, then the archive is accepted', () => {
      const entries = [entry('a.bin', { uncompressedSize: 6000 }), entry('b.bin', { uncompressedSize: 4000 })];

      expect(() => checkArchiveEntries(entries, limits({ maxTotalBytes: 10_000 }))).to.not.throw();
    });
  });

  describe('compression ratio', () => {
    it('when one entry expands more than the limit, then it is refused as a zip bomb naming it', () => {
      const bomb = entry('model.safetensors', { uncompressedSize: 200 * 8192, compressedSize: 8191 });

      const error = refusal([entry('README.md'), bomb]);

      expect(error.message).to.include('"model.safetensors"').and.include('zip bomb').and.include('200x');
      expect(error.details).to.deep.equal({ path: 'model.safetensors' });
    });

    it('when one entry expands exactly at the limit, then it is accepted', () => {
      const entries = [entry('model.safetensors', { uncompressedSize: 200 * 8192, compressedSize: 8192 })];

      expect(() => checkArchiveEntries(entries, limits())).to.not.throw();
    });

    it('when a realistic 1 GiB bomb of zeros is declared (about 1030x), then it is refused', () => {
      const bomb = entry('pytorch_model.bin', { uncompressedSize: 1024 * MIB, compressedSize: 1_042_000 });

      expect(refusal([bomb]).message).to.include('zip bomb');
    });

    it('when a large entry declares zero compressed bytes, then it is refused', () => {
      expect(refusal([entry('weights.bin', { uncompressedSize: 2 * MIB, compressedSize: 0 })]).message).to.include('zip bomb');
    });

    it('when a small entry has a huge ratio below the 1 MiB floor, then it is accepted', () => {
      const entries = [
        entry('padding.txt', { uncompressedSize: MIB - 1, compressedSize: 1 }),
        entry('empty.txt', { uncompressedSize: 0, compressedSize: 0 }),
      ];

      expect(() => checkArchiveEntries(entries, limits())).to.not.throw();
    });

    it('when many small entries each pass but together expand past the limit, then the whole archive is refused', () => {
      const shards = Array.from({ length: 20 }, (_, index) => entry(`shards/${index}.bin`, { uncompressedSize: 512 * 1024, compressedSize: 512 }));

      const error = refusal(shards);

      expect(error.message).to.match(/^zip expands \d+x/).and.include('zip bomb');
      expect(error.details).to.equal(undefined);
    });

    it('when the ratio limit is lowered, then an ordinary text entry above the floor is refused', () => {
      const csv = entry('data/train.csv', { uncompressedSize: 4 * MIB, compressedSize: MIB });

      expect(() => checkArchiveEntries([csv], limits())).to.not.throw();
      expect(refusal([csv], limits({ maxCompressionRatio: 3 })).message).to.include('"data/train.csv"');
    });
  });

  it('when directory entries are present, then they are accepted and count toward the entry limit', () => {
    const entries = [entry('data/'), entry('data/train/'), entry('data/train/part-0.parquet')];

    expect(() => checkArchiveEntries(entries, limits({ maxEntries: 3 }))).to.not.throw();
    expect(refusal(entries, limits({ maxEntries: 2 })).message).to.include('3 entries');
  });
});
