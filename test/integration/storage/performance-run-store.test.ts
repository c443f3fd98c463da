import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { LocalPerformanceRunStore } from '../../../src/adapters/storage/local/local-performance-run-store';
import { MemoryPerformanceRunStore } from '../../../src/adapters/storage/memory/memory-performance-run-store';
import { createS3Storage } from '../../../src/adapters/storage/s3/s3-storage';
import { KEPT_RUNS, type PerformanceRun } from '../../../src/domain/performance/performance-run';
import type { PerformanceRunStore } from '../../../src/ports/performance.port';
import { startLocalS3, type LocalS3 } from '../../support/s3rver';

/** Ids as the registry makes them: ULIDs, which sort by time. */
const idOf = (n: number): string => `01KB${String(n).padStart(22, '0')}`;

const aRun = (n: number, completed = 10): PerformanceRun => ({
  id: idOf(n),
  status: 'completed',
  startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  finishedAt: new Date(Date.UTC(2026, 0, 1, 0, 1, n)).toISOString(),
  startedBy: 'admin',
  settings: { clients: 2, requests: 10 },
  environment: { storage: 'memory', compute: 'process', nodeVersion: 'v20', platform: 'linux x64', cpuCount: 2, cpuModel: 'cpu', memoryBytes: 1, production: false },
  progress: { phase: 'finished', elapsedSeconds: 1, completed, errors: 0, bytes: 0 },
});

function runStoreContract(open: () => Promise<PerformanceRunStore>): void {
  it('when runs are saved, then each reads back as saved and the list is newest first', async () => {
    const store = await open();
    expect(await store.list()).to.deep.equal([]);
    await store.save(aRun(2));
    await store.save(aRun(1));
    await store.save(aRun(3));
    expect((await store.list()).map((run) => run.id)).to.deep.equal([idOf(3), idOf(2), idOf(1)]);
    expect(await store.get(idOf(2))).to.deep.equal(aRun(2));
    expect(await store.get(idOf(9))).to.equal(undefined);
  });

  it('when a run is saved again, then it replaces the earlier copy', async () => {
    const store = await open();
    await store.save(aRun(1, 5));
    await store.save(aRun(1, 7));
    const runs = await store.list();
    expect(runs).to.have.length(1);
    expect(runs[0]?.progress.completed).to.equal(7);
  });

  it(`when more than ${KEPT_RUNS} runs are saved, then only the newest ${KEPT_RUNS} are kept`, async function () {
    this.timeout(60_000);
    const store = await open();
    for (let n = 1; n <= KEPT_RUNS + 3; n += 1) await store.save(aRun(n));
    const ids = (await store.list()).map((run) => run.id);
    expect(ids).to.have.length(KEPT_RUNS);
    expect(ids[0]).to.equal(idOf(KEPT_RUNS + 3));
    expect(ids[ids.length - 1]).to.equal(idOf(4));
    expect(await store.get(idOf(3))).to.equal(undefined);
  });
}

describe('Performance run stores', () => {
  describe('memory', () => runStoreContract(async () => new MemoryPerformanceRunStore()));

  describe('local (a file under the data directory)', () => {
    const dirs: string[] = [];
    after(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));
    runStoreContract(async () => {
      const dir = await mkdtemp(join(tmpdir(), 'tmr-runs-'));
      dirs.push(dir);
      return new LocalPerformanceRunStore(dir);
    });

    it('when two runs are saved at once, then both are kept', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'tmr-runs-'));
      dirs.push(dir);
      const store = new LocalPerformanceRunStore(dir);
      await Promise.all([store.save(aRun(1)), store.save(aRun(2))]);
      expect((await new LocalPerformanceRunStore(dir).list()).map((run) => run.id)).to.deep.equal([idOf(2), idOf(1)]);
    });
  });

  describe('s3 (s3rver)', () => {
    let s3: LocalS3;
    const closers: (() => void)[] = [];
    before(async () => {
      s3 = await startLocalS3();
    });
    after(async () => {
      for (const close of closers) close();
      await s3.close();
    });
    runStoreContract(async () => {
      const storage = createS3Storage(s3.config(await s3.newBucket()));
      closers.push(() => storage.close());
      return storage.performanceRuns;
    });
  });
});
