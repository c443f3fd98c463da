import { expect } from 'chai';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScratchSpace } from '../../../src/adapters/system/scratch-space';

// Above Linux's largest pid (2^22), so no process can have it.
const DEAD_PID = 4_194_305;

async function plant(root: string, name: string, ageMs = 0): Promise<void> {
  await mkdir(join(root, name, 'uploads'), { recursive: true });
  await mkdir(join(root, name, 'parts'), { recursive: true });
  await writeFile(join(root, name, 'uploads', 'half.zip'), 'PK half an upload');
  await writeFile(join(root, name, 'parts', 'blob.part'), 'half a blob');
  const then = new Date(Date.now() - ageMs);
  await utimes(join(root, name), then, then);
}

describe('ScratchSpace: per-instance temporary files', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'tmr-scratch-test-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('when instances died without cleaning up, then a new instance sweeps their uploads and parts and leaves live ones alone', async () => {
    await plant(root, `${DEAD_PID}-deadbeef`);
    await plant(root, `${process.ppid}-0badc0de`);
    await plant(root, `${process.pid}-1234abcd`);
    const closedEarlier = new ScratchSpace(root);
    const running = new ScratchSpace(root);
    await closedEarlier.close();
    await plant(root, closedEarlier.dir.split('/').pop() as string);
    const starting = new ScratchSpace(root);

    expect(await starting.sweepDead()).to.equal(3);

    const left = (await readdir(root)).sort();
    expect(left).to.deep.equal([`${process.ppid}-0badc0de`, running.dir.split('/').pop(), starting.dir.split('/').pop()].sort());
    await running.close();
    await starting.close();
  });

  it('when a live pid owns a directory nobody has touched for over a day, then the pid was reused and the directory is swept', async () => {
    await plant(root, `${process.ppid}-0badc0de`, 25 * 60 * 60 * 1000);
    const starting = new ScratchSpace(root);
    expect(await starting.sweepDead()).to.equal(1);
    await starting.close();
    expect(await readdir(root)).to.deep.equal([]);
  });
});
