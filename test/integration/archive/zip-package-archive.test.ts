import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { expect } from 'chai';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { ZipPackageArchive } from '../../../src/adapters/archive/zip-package-archive';
import { ErrorCode } from '../../../src/domain/errors';
import { DEFAULT_PACKAGE_LIMITS, type PackageLimits } from '../../../src/domain/package-policy';
import {
  HF_CONFIG,
  HF_README,
  buildAbsolutePathZip,
  buildBackslashZip,
  buildCrcMismatchZip,
  buildDuplicateZip,
  buildEmptyZip,
  buildHuggingFacePackage,
  buildLocalNameMismatchZip,
  buildLyingSizeZip,
  buildRawZip,
  buildManyEntriesZip,
  buildRandomBytesFile,
  buildSymlinkZip,
  buildTruncatedZip,
  buildZip,
  buildZipBomb,
  buildZipSlip,
  dataOffsetOf,
  declareUncompressedSize,
  expectRejection,
  patchZip,
  pseudoRandomBytes,
  readAll,
  unicodePathField,
  type RawEntrySpec,
} from '../../support/zip-builder';

const archive = new ZipPackageArchive();
const limits = (overrides: Partial<PackageLimits> = {}): PackageLimits => ({ ...DEFAULT_PACKAGE_LIMITS, ...overrides });

/** Reads every entry of a zip held in memory, checking nothing beyond what yauzl checks. */
async function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  const file = await yauzl.fromBufferPromise(zip);
  const contents = new Map<string, Buffer>();
  for await (const entry of file.eachEntry()) {
    contents.set(entry.fileName, await readAll(await file.openReadStreamPromise(entry)));
  }
  return contents;
}

/** How many of this process's file descriptors are open on `path` (Linux). */
async function openHandlesOn(path: string): Promise<number> {
  const targets = await Promise.all((await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((target) => target === path).length;
}

async function invalidPackage(zipPath: string, packageLimits = limits()): Promise<string> {
  return (await expectRejection(archive.inspect(zipPath, packageLimits), ErrorCode.InvalidPackage)).message;
}

describe('ZipPackageArchive', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tmr-zip-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('inspect of a good package', () => {
    it('when a Hugging Face-like package is inspected, then it lists every regular file with its size in archive order', async () => {
      const { path, files } = await buildHuggingFacePackage(dir, { withDataset: true });

      const inspection = await archive.inspect(path, limits());

      expect(inspection.files.map((file) => file.path)).to.deep.equal([...files.keys()]);
      for (const file of inspection.files) {
        expect(file.uncompressedSize, file.path).to.equal(files.get(file.path)?.length);
        expect(file.isDirectory).to.equal(false);
        expect(file.isSymlink).to.equal(false);
      }
    });

    it('when the package has a README with front matter, then the readme text and parsed card metadata are returned', async () => {
      const { path } = await buildHuggingFacePackage(dir);

      const inspection = await archive.inspect(path, limits());

      expect(inspection.readme).to.equal(HF_README);
      expect(inspection.cardMetadata).to.deep.equal({
        license: 'apache-2.0',
        base_model: 'google-bert/bert-base-uncased',
        datasets: ['bookcorpus', 'wikipedia'],
        language: ['en'],
        tags: ['text-classification'],
      });
    });

    it('when the package has a config.json, then it is returned parsed', async () => {
      const { path } = await buildHuggingFacePackage(dir);

      const inspection = await archive.inspect(path, limits());

      expect(inspection.config).to.deep.equal(HF_CONFIG);
    });

    it('when the package is a PEFT adapter, then adapter_config.json is returned parsed beside config.json', async () => {
      const path = await buildZip(dir, [
        { path: 'README.md', content: '# tiny-lora' },
        { path: 'adapter_config.json', content: JSON.stringify({ base_model_name_or_path: 'google-bert/bert-base-uncased', peft_type: 'LORA' }) },
        { path: 'adapter_model.safetensors', content: Buffer.alloc(64, 1) },
      ], 'adapter');

      const inspection = await archive.inspect(path, limits());

      expect(inspection.adapterConfig).to.deep.equal({ base_model_name_or_path: 'google-bert/bert-base-uncased', peft_type: 'LORA' });
      expect(inspection.config).to.equal(undefined);
    });

    it('when config.json is malformed, then inspection still succeeds without a config', async () => {
      const { path } = await buildHuggingFacePackage(dir, { configText: '{"model_type": "bert",' });

      const inspection = await archive.inspect(path, limits());

      expect(inspection).to.not.have.property('config');
      expect(inspection.files.map((file) => file.path)).to.include('config.json');
    });

    it('when config.json holds an array, then no config is returned', async () => {
      const { path } = await buildHuggingFacePackage(dir, { configText: '[1, 2, 3]' });

      expect(await archive.inspect(path, limits())).to.not.have.property('config');
    });

    it('when the README front matter is not valid YAML, then the readme is kept and no metadata is returned', async () => {
      const readme = '---\nlicense: [apache-2.0\n---\n# Broken card\n';
      const { path } = await buildHuggingFacePackage(dir, { readme });

      const inspection = await archive.inspect(path, limits());

      expect(inspection.readme).to.equal(readme);
      expect(inspection).to.not.have.property('cardMetadata');
    });

    it('when the package has no README or config, then neither is reported', async () => {
      const path = await buildZip(dir, [{ path: 'model.safetensors', content: 'weights' }, { path: 'docs/README.md', content: '# Nested' }]);

      const inspection = await archive.inspect(path, limits());

      expect(inspection).to.not.have.any.keys('readme', 'cardMetadata', 'config');
      expect(inspection.files).to.have.length(2);
    });
  });

  describe('inspect of hostile or broken archives', () => {
    it('when an entry escapes with "../", then it is refused naming the entry', async () => {
      const message = await invalidPackage(await buildZipSlip(dir));

      expect(message).to.include('"../../evil.txt"').and.include('outside the package');
    });

    it('when an entry escapes from inside a directory, then it is refused', async () => {
      expect(await invalidPackage(await buildZipSlip(dir, 'weights/../../../etc/cron.d/evil'))).to.include('outside the package');
    });

    it('when an entry has an absolute path, then it is refused naming the entry', async () => {
      const message = await invalidPackage(await buildAbsolutePathZip(dir));

      expect(message).to.include('"/etc/passwd"').and.include('absolute path');
    });

    it('when an entry has a Windows drive path, then it is refused', async () => {
      expect(await invalidPackage(await buildAbsolutePathZip(dir, 'C:/Windows/System32/evil.dll'))).to.include('absolute path');
    });

    it('when an entry name uses backslashes, then it is refused naming the entry', async () => {
      const message = await invalidPackage(await buildBackslashZip(dir));

      expect(message).to.include('..\\evil').and.include('backslashes');
    });

    it('when an entry is a symbolic link, then it is refused naming the entry', async () => {
      const message = await invalidPackage(await buildSymlinkZip(dir));

      expect(message).to.include('"weights.bin"').and.include('symbolic link');
    });

    it('when two entries have the same name, then the archive is refused', async () => {
      const message = await invalidPackage(await buildDuplicateZip(dir, ['README.md', 'config.json', 'README.md']));

      expect(message).to.include('more than one entry named "README.md"');
    });

    it('when two entries differ only in letter case, then the archive is refused', async () => {
      expect(await invalidPackage(await buildDuplicateZip(dir, ['Model.safetensors', 'model.safetensors']))).to.include('more than one entry');
    });

    it('when an entry name has a control character, then the archive is refused', async () => {
      expect(await invalidPackage(await buildDuplicateZip(dir, ['README.md', 'evil\u0007.txt']))).to.include('control characters');
    });

    it('when a deflated entry expands about 1000x (a zip bomb), then it is refused before anything is inflated', async () => {
      const message = await invalidPackage(await buildZipBomb(dir, 16));

      expect(message).to.include('"model.safetensors"').and.include('zip bomb');
    });

    it('when a zip bomb declares a small size in its directory, then reading stops at the declared size and the archive is refused', async () => {
      const path = await declareUncompressedSize(await buildZipBomb(dir, 16), 'model.safetensors', 4096);

      const message = await invalidPackage(path);

      expect(message).to.include('"model.safetensors"').and.include('too many bytes');
    });

    it('when a deflated entry is larger than its declared size, then the archive is refused', async () => {
      expect(await invalidPackage(await buildLyingSizeZip(dir))).to.include('"data/train.csv"').and.include('too many bytes');
    });

    it('when a deflated entry is smaller than its declared size, then the archive is refused', async () => {
      const path = await declareUncompressedSize(await buildLyingSizeZip(dir), 'data/train.csv', 300_000);

      expect(await invalidPackage(path)).to.include('not enough bytes');
    });

    it('when a stored entry declares a size different from its stored bytes, then the archive is refused', async () => {
      const path = await buildZip(dir, [{ path: 'weights.bin', content: 'x'.repeat(5000), compress: false }]);
      await declareUncompressedSize(path, 'weights.bin', 4000);

      expect(await invalidPackage(path)).to.include('size mismatch');
    });

    it('when an entry data byte is flipped, then the CRC mismatch is detected and named', async () => {
      const message = await invalidPackage(await buildCrcMismatchZip(dir));

      expect(message).to.include('"model.safetensors"').and.include('CRC mismatch');
    });

    it('when the deflate stream of an entry is garbage, then the archive is refused naming the entry', async () => {
      const { path } = await buildHuggingFacePackage(dir);
      await patchZip(path, (zip) => zip.fill(0xff, dataOffsetOf(zip, 'config.json'), dataOffsetOf(zip, 'config.json') + 4));

      expect(await invalidPackage(path)).to.include('"config.json"');
    });

    it('when a local header signature is damaged, then the archive is refused', async () => {
      const { path } = await buildHuggingFacePackage(dir);
      await patchZip(path, (zip) => zip.writeUInt32LE(0xdeadbeef, 0));

      expect(await invalidPackage(path)).to.include('not a readable zip').and.include('"README.md"');
    });

    it('when the file is random bytes, then it is refused as not a zip', async () => {
      expect(await invalidPackage(await buildRandomBytesFile(dir))).to.include('not a readable zip');
    });

    it('when the zip is truncated, then it is refused as not a zip', async () => {
      expect(await invalidPackage(await buildTruncatedZip(dir))).to.include('not a readable zip');
    });

    it('when the file is empty, then it is refused as not a zip', async () => {
      const path = join(dir, 'zero-bytes.zip');
      await writeFile(path, Buffer.alloc(0));

      expect(await invalidPackage(path)).to.include('not a readable zip');
    });

    it('when the file does not exist, then inspection rejects with PACKAGE.INVALID', async () => {
      expect(await invalidPackage(join(dir, 'missing.zip'))).to.include('not a readable zip');
    });

    it('when the zip has no entries, then it is refused for containing no files', async () => {
      expect(await invalidPackage(await buildEmptyZip(dir))).to.include('no files');
    });

    it('when the zip holds only directories, then it is refused for containing no files', async () => {
      expect(await invalidPackage(await buildZip(dir, [{ path: 'data/' }, { path: 'weights/' }]))).to.include('no files');
    });

    it('when the zip has more entries than allowed, then it is refused naming both counts', async () => {
      const message = await invalidPackage(await buildManyEntriesZip(dir, 6), limits({ maxEntries: 5 }));

      expect(message).to.include('6 entries').and.include('at most 5');
    });

    it('when the zip has exactly the allowed number of entries, then it is accepted', async () => {
      const inspection = await archive.inspect(await buildManyEntriesZip(dir, 5), limits({ maxEntries: 5 }));

      expect(inspection.files).to.have.length(5);
    });

    it('when the files together exceed the total size limit, then the archive is refused', async () => {
      const { path } = await buildHuggingFacePackage(dir);

      expect(await invalidPackage(path, limits({ maxTotalBytes: 2048 }))).to.include('more than 2048 bytes');
    });
  });

  describe('inspect of entries whose local header disagrees with the central directory', () => {
    const README: RawEntrySpec = { name: 'README.md', content: '# Model\n' };
    const WEIGHTS = 'weights '.repeat(500);
    const rawZip = (entry: Partial<RawEntrySpec>): Promise<string> =>
      buildRawZip(dir, [README, { name: 'model.bin', content: WEIGHTS, compress: true, ...entry }], 'local-header');

    it('when the central name is "safe.txt" and the local name "../x.txt", then the archive is refused naming both', async () => {
      const message = await invalidPackage(await buildLocalNameMismatchZip(dir));

      expect(message).to.include('"safe.txt"').and.include('"../x.txt"').and.include('local header');
    });

    it('when the local name is another harmless name, then the archive is still refused', async () => {
      expect(await invalidPackage(await rawZip({ local: { name: 'model.BIN' } }))).to.include('"model.BIN"');
    });

    it('when the local header carries a Unicode path field naming another file, then the archive is refused', async () => {
      const message = await invalidPackage(await rawZip({ local: { extra: unicodePathField('model.bin', '../model.bin') } }));

      expect(message).to.include('"model.bin"').and.include('Unicode path');
    });

    it('when the central header raw name escapes but its Unicode path field looks safe, then the archive is refused', async () => {
      const path = await buildRawZip(dir, [README, { name: '../evil.txt', content: 'owned', centralExtra: unicodePathField('../evil.txt', 'safe.txt') }]);

      const message = await invalidPackage(path);

      expect(message).to.include('"safe.txt"').and.include('unsafe name');
    });

    it('when the local flags differ in a meaningful bit (UTF-8 names), then the archive is refused', async () => {
      expect(await invalidPackage(await rawZip({ local: { flags: 0 } }))).to.include('flags 0x0 instead of 0x800');
    });

    it('when the local compression method differs, then the archive is refused', async () => {
      expect(await invalidPackage(await rawZip({ local: { method: 0 } }))).to.include('compression method 0 instead of 8');
    });

    it('when the local uncompressed size differs, then the archive is refused', async () => {
      expect(await invalidPackage(await rawZip({ local: { uncompressedSize: WEIGHTS.length + 1 } }))).to.include('sizes');
    });

    it('when the local compressed size differs, then the archive is refused', async () => {
      expect(await invalidPackage(await rawZip({ local: { compressedSize: 1 } }))).to.include('sizes');
    });

    it('when the local CRC differs, then the archive is refused', async () => {
      expect(await invalidPackage(await rawZip({ local: { crc: 12345 } }))).to.include('CRC 12345');
    });

    for (const compress of [true, false]) {
      it(`when a ${compress ? 'deflated' : 'stored'} entry uses a data descriptor that agrees, then the archive is accepted`, async () => {
        const inspection = await archive.inspect(await rawZip({ compress, dataDescriptor: true }), limits());

        expect(inspection.files.map((file) => [file.path, file.uncompressedSize])).to.deep.equal([['README.md', 8], ['model.bin', WEIGHTS.length]]);
      });
    }

    it('when a data descriptor declares another size than the central directory, then the archive is refused', async () => {
      const message = await invalidPackage(await rawZip({ dataDescriptor: true, descriptor: { uncompressedSize: 7 } }));

      expect(message).to.include('"model.bin"').and.include('data descriptor');
    });

    it('when a data descriptor declares another CRC, then the archive is refused', async () => {
      expect(await invalidPackage(await rawZip({ dataDescriptor: true, descriptor: { crc: 1 } }))).to.include('data descriptor');
    });

    it('when a data-descriptor entry still puts a wrong size in its local header, then the archive is refused', async () => {
      expect(await invalidPackage(await rawZip({ dataDescriptor: true, local: { uncompressedSize: 3 } }))).to.include('sizes 0/3');
    });

    it('when yazl streams entries (data descriptors) and writes zip64 headers, then the package is accepted', async () => {
      const zip = new yazl.ZipFile();
      zip.addBuffer(Buffer.from('# Model\n'), 'README.md', { forceZip64Format: true });
      zip.addReadStream(Readable.from([Buffer.from(WEIGHTS)]), 'model.bin', { forceZip64Format: true });
      zip.addReadStream(Readable.from([Buffer.from('{}')]), 'config.json', { compress: false });
      zip.end();
      const path = join(dir, 'streamed.zip');
      await pipeline(zip.outputStream, createWriteStream(path));

      const inspection = await archive.inspect(path, limits());

      expect(inspection.files.map((file) => file.path)).to.deep.equal(['README.md', 'model.bin', 'config.json']);
    });
  });

  describe('inspect of confusing names', () => {
    it('when two entries are the same name in NFC and NFD, then the archive is refused', async () => {
      const message = await invalidPackage(await buildDuplicateZip(dir, ['README.md', 'caf\u00e9.txt', 'cafe\u0301.txt']));

      expect(message).to.include('more than one entry named');
    });

    it('when a file "x" sits beside "x/y", then the archive is refused naming "x"', async () => {
      expect(await invalidPackage(await buildDuplicateZip(dir, ['README.md', 'x', 'x/y']))).to.include('"x" is a file');
    });

    for (const name of ['nul\u0000.txt', 'cr\r.txt', 'lf\n.txt']) {
      it(`when an entry is named ${JSON.stringify(name)}, then the archive is refused with the name escaped`, async () => {
        expect(await invalidPackage(await buildDuplicateZip(dir, ['README.md', name]))).to.include(JSON.stringify(name));
      });
    }

    for (const [kind, mode] of [['FIFO', 0o010644], ['character device', 0o020644], ['block device', 0o060644], ['socket', 0o140644]] as const) {
      it(`when an entry is a ${kind} by its Unix mode, then the archive is refused naming it`, async () => {
        const path = await buildRawZip(dir, [{ name: 'README.md', content: '# Model\n' }, { name: 'pipe', content: '', mode }]);

        expect(await invalidPackage(path)).to.include('"pipe"').and.include('device, FIFO or socket');
      });
    }

    for (const name of ['CON', 'aux.txt', 'Com1.bin', 'weights/LPT9.md']) {
      it(`when an entry is named ${JSON.stringify(name)}, then the archive is refused as a Windows device name`, async () => {
        expect(await invalidPackage(await buildDuplicateZip(dir, ['README.md', name]))).to.include('reserves for a device');
      });
    }

    it('when an entry name ends in a dot, then the archive is refused', async () => {
      expect(await invalidPackage(await buildDuplicateZip(dir, ['README.md', 'model.bin.']))).to.include('ending in a dot or space');
    });
  });

  describe('open', () => {
    it('when a package is opened, then the stream yields the archive bytes unchanged', async () => {
      const { path } = await buildHuggingFacePackage(dir);

      expect((await readAll(archive.open(path))).equals(await readFile(path))).to.equal(true);
    });
  });

  describe('repack', function () {
    // A broken archive must end the stream with an error; a hang would only show as this timeout.
    this.timeout(5000);

    it('when a subset is repacked, then the result holds exactly those entries with identical content', async () => {
      const { path, files } = await buildHuggingFacePackage(dir, { withDataset: true });
      const wanted = ['config.json', 'model.safetensors', 'data/train.csv'];

      const contents = await unzip(await readAll(archive.repack(path, wanted)));

      expect([...contents.keys()].sort()).to.deep.equal([...wanted].sort());
      for (const name of wanted) expect(contents.get(name)?.equals(files.get(name) ?? Buffer.alloc(0)), name).to.equal(true);
    });

    it('when the repacked zip is inspected, then it passes the package policy', async () => {
      const { path } = await buildHuggingFacePackage(dir);
      const repacked = join(dir, 'weights.zip');
      await writeFile(repacked, await readAll(archive.repack(path, ['model.safetensors'])));

      const inspection = await archive.inspect(repacked, limits());

      expect(inspection.files.map((file) => file.path)).to.deep.equal(['model.safetensors']);
    });

    it('when the reader destroys the repacked stream at once (a store refusing the write), then the source zip is closed', async () => {
      const { path } = await buildHuggingFacePackage(dir);
      archive.repack(path, ['config.json']).destroy();
      // The zip opens asynchronously after the stream was already gone; give it time to open and close.
      await new Promise((done) => setTimeout(done, 100));
      expect(await openHandlesOn(path)).to.equal(0);
    });

    it('when the same subset is repacked twice, then the bytes are identical', async () => {
      const { path } = await buildHuggingFacePackage(dir);
      const wanted = ['README.md', 'tokenizer.json', 'vocab.txt'];

      const first = await readAll(archive.repack(path, wanted));
      const second = await readAll(archive.repack(path, wanted));

      expect(first.length).to.be.greaterThan(0);
      expect(first.equals(second)).to.equal(true);
    });

    it('when packages with the same files are built at different times, then their repacked parts are identical', async () => {
      const firstPackage = await buildHuggingFacePackage(dir);
      const secondPackage = await buildHuggingFacePackage(dir);

      const first = await readAll(archive.repack(firstPackage.path, ['config.json', 'model.safetensors']));
      const second = await readAll(archive.repack(secondPackage.path, ['config.json', 'model.safetensors']));

      expect(first.equals(second)).to.equal(true);
    });

    it('when no requested path is in the package, then an empty but valid zip is produced', async () => {
      const { path } = await buildHuggingFacePackage(dir);

      const contents = await unzip(await readAll(archive.repack(path, ['not-there.bin'])));

      expect(contents.size).to.equal(0);
    });

    it('when readers abandon repacked streams midway, then the zip file is not left open', async function () {
      if (!existsSync('/proc/self/fd')) this.skip();
      const path = await buildZip(dir, [
        { path: 'model.safetensors', content: pseudoRandomBytes(4 * 1024 * 1024, 3), compress: false },
        { path: 'tf_model.h5', content: pseudoRandomBytes(4 * 1024 * 1024, 4) },
      ]);

      for (const abandonAfter of [0, 1, 2 * 1024 * 1024, 6 * 1024 * 1024]) {
        const stream = archive.repack(path, ['model.safetensors', 'tf_model.h5']);
        let received = 0;
        await new Promise<void>((resolve) =>
          stream.on('data', (chunk: Buffer) => {
            received += chunk.length;
            if (received > abandonAfter) resolve();
          }),
        );
        stream.destroy();
      }
      await new Promise((resolve) => setTimeout(resolve, 100));

      expect(await openHandlesOn(path)).to.equal(0);
    });

    it('when the zip file is missing, then the stream errors', async () => {
      await expectRejection(readAll(archive.repack(join(dir, 'missing.zip'), ['README.md'])), ErrorCode.InvalidPackage);
    });

    it('when the zip file is not a zip, then the stream errors', async () => {
      await expectRejection(readAll(archive.repack(await buildRandomBytesFile(dir), ['README.md'])), ErrorCode.InvalidPackage);
    });

    it('when an entry deflate stream is garbage, then the stream errors instead of crashing or hanging', async () => {
      const { path } = await buildHuggingFacePackage(dir);
      await patchZip(path, (zip) => zip.fill(0xff, dataOffsetOf(zip, 'config.json'), dataOffsetOf(zip, 'config.json') + 4));

      const error = await expectRejection(readAll(archive.repack(path, ['config.json'])), ErrorCode.InvalidPackage);

      expect(error.message).to.include('"config.json"');
    });

    it('when an entry local header is damaged, then the stream errors instead of crashing or hanging', async () => {
      const { path } = await buildHuggingFacePackage(dir);
      await patchZip(path, (zip) => zip.writeUInt32LE(0xdeadbeef, 0));

      const error = await expectRejection(readAll(archive.repack(path, ['README.md'])), ErrorCode.InvalidPackage);

      expect(error.message).to.include('local file header');
    });

    it('when an entry inflates to more than its declared size, then the stream errors', async () => {
      const error = await expectRejection(readAll(archive.repack(await buildLyingSizeZip(dir), ['data/train.csv'])), ErrorCode.InvalidPackage);

      expect(error.message).to.include('too many bytes');
    });
  });
});
