import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { ZipPackageArchive } from '../../../src/adapters/archive/zip-package-archive';
import type { FileScan } from '../../../src/domain/content-scan';
import { DEFAULT_PACKAGE_LIMITS } from '../../../src/domain/package-policy';
import { npy, osSystemPickle, torchStateDictPickle, torchZip, zipOf, type ZipMember } from '../../support/pickle-builder';

const archive = new ZipPackageArchive();
const README = { path: 'README.md', content: Buffer.from('# scanned\n') };

describe('ZipPackageArchive: content scan of real zips', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tmr-scan-test-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const inspect = async (members: ZipMember[]): Promise<readonly FileScan[]> => {
    const path = join(dir, `${Math.random().toString(36).slice(2)}.zip`);
    await writeFile(path, await zipOf([README, ...members]));
    return (await archive.inspect(path, DEFAULT_PACKAGE_LIMITS)).scan;
  };
  const byPath = (scan: readonly FileScan[]): Record<string, string> => Object.fromEntries(scan.map((file) => [file.path, file.verdict]));

  it('when a torch zip checkpoint holds a benign state dict, then its data.pkl is read in place and safe; storages are not read as pickles', async () => {
    const scan = await inspect([{ path: 'pytorch_model.bin', content: await torchZip(torchStateDictPickle()) }]);
    expect(byPath(scan)).to.deep.equal({ 'pytorch_model.bin!archive/data.pkl': 'safe' });
    expect(scan[0]?.globals).to.include('torch._utils._rebuild_tensor_v2');
  });

  it('when a torch zip checkpoint hides os.system in data.pkl, stored or deflated in the package, then it is dangerous', async () => {
    const checkpoint = await torchZip(osSystemPickle());
    for (const compress of [false, true]) {
      const scan = await inspect([{ path: 'model.pt', content: checkpoint, compress }]);
      expect(byPath(scan), `compress ${compress}`).to.deep.equal({ 'model.pt!archive/data.pkl': 'dangerous' });
      expect(scan[0]?.findings[0]?.global).to.equal('os.system');
    }
  });

  it('when a zip in the package holds a torch checkpoint holding the payload, then the nesting is followed', async () => {
    const inner = await torchZip(osSystemPickle(), 'evil');
    const middle = await zipOf([{ path: 'checkpoints/last.ckpt', content: inner }, { path: 'notes.txt', content: Buffer.from('hi') }]);
    const scan = await inspect([{ path: 'bundle.zip', content: middle, compress: true }]);
    expect(byPath(scan)).to.deep.equal({ 'bundle.zip!checkpoints/last.ckpt!evil/data.pkl': 'dangerous' });
  });

  it('when an .npz holds an object array with a payload, then it is dangerous; numeric arrays are safe', async () => {
    const npz = await zipOf([{ path: 'a.npy', content: npy('<f4', Buffer.alloc(4)) }, { path: 'b.npy', content: npy('|O', osSystemPickle()) }]);
    expect(byPath(await inspect([{ path: 'arrays.npz', content: npz }]))).to.deep.equal({ 'arrays.npz!a.npy': 'safe', 'arrays.npz!b.npy': 'dangerous' });
  });

  it('when a .pt claims to be a zip but is not readable as one, then it is dangerous (fail closed)', async () => {
    const broken = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(200, 7)]);
    const scan = await inspect([{ path: 'model.pt', content: broken }]);
    expect(byPath(scan)).to.deep.equal({ 'model.pt': 'dangerous' });
    expect(scan[0]?.findings[0]?.message).to.contain('cannot be read');
  });

  it('when a stored package is re-scanned from a stream, then the verdicts match and no temp file remains', async () => {
    const zip = await zipOf([README, { path: 'x.pkl', content: osSystemPickle() }]);
    const scan = await archive.scanStream(Readable.from([zip]), DEFAULT_PACKAGE_LIMITS);
    expect(byPath(scan)).to.deep.equal({ 'x.pkl': 'dangerous' });
    const left = await readdir(join(tmpdir(), 'tmr-scan')).catch(() => []);
    expect(left).to.deep.equal([]);
  });
});
