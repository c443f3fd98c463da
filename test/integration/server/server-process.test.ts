import { expect } from 'chai';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokens } from '../../../src/adapters/di/tokens';
import { PackageIntake } from '../../../src/application/package-intake';
import type { ArtifactRepository } from '../../../src/ports/artifact-repository.port';
import { localBlobLister, storeConsistency } from '../../support/faults/store-consistency';
import { fillerBytes, tinyPackage } from '../../support/hf-packages';
import { eventually, listBlobs, listFiles } from '../../support/registry-probes';
import { listeningUrl, startRegistryProcess } from '../../support/registry-process';
import { ADMIN, ADMIN_PASSWORD, login, startTestRegistry } from '../../support/test-registry';

const startProcess = startRegistryProcess;

const occupy = (): Promise<Server> =>
  new Promise((done) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => done(server));
  });

describe('the server process', function () {
  this.timeout(120_000);
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tmr-process-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('when the port is taken, then it says so and exits non-zero without claiming to listen', async () => {
    const squatter = await occupy();
    const address = squatter.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const child = startProcess({ PORT: String(port), TMR_DATA_DIR: dataDir });
      const code = await child.exited;
      expect(code).to.equal(1);
      expect(child.output()).to.contain(`cannot listen on 127.0.0.1:${port} is already in use`);
      expect(child.output()).not.to.contain('registry listening');
    } finally {
      squatter.close();
    }
  });

  it('when the server is killed while it stores a package, then after a restart the record is there with every blob or absent, and only that package\'s blobs are left, for the sweep', async () => {
    const first = startProcess({ PORT: '0', TMR_DATA_DIR: dataDir });
    const url = await listeningUrl(first);
    const token = await login(url, ADMIN, ADMIN_PASSWORD);
    // Four parts of several megabytes: storing them takes long enough for the kill to land in between.
    const zip = await tinyPackage('killed-storing', [
      { path: 'data/train.csv', content: fillerBytes('csv', 6 * 1024 * 1024) },
      { path: 'train.py', content: fillerBytes('py', 3 * 1024 * 1024) },
      { path: 'docs/notes.md', content: fillerBytes('md', 3 * 1024 * 1024) },
    ]);
    const answer = fetch(`${url}/artifact/model?name=killed-storing`, { method: 'POST', headers: { 'Content-Type': 'application/zip', 'X-Authorization': token }, body: zip }).catch(() => undefined);
    await eventually(async () => (await listBlobs(dataDir)).length > 0, 'the first blob is stored', 2400);
    first.process.kill('SIGKILL');
    await first.exited;
    await answer;

    const registry = await startTestRegistry({ storage: 'local', dataDir });
    try {
      const repository = registry.container.resolve<ArtifactRepository>(Tokens.ArtifactRepository);
      const after = await storeConsistency(repository, localBlobLister(dataDir));
      expect(after.missing, 'no record without its blobs').to.deep.equal([]);
      const found = await registry.request('GET', '/artifact/byName/killed-storing');
      expect(found.status).to.equal(after.records === 1 ? 200 : 404);
      if (after.records === 1) expect(after.orphans).to.deep.equal([]);
      // Blobs stored before the record was written have no record to refer to them: the sweep's to remove.
      await registry.container.resolve(PackageIntake).releaseUnused(after.orphans);
      expect((await storeConsistency(repository, localBlobLister(dataDir))).orphans).to.deep.equal([]);
    } finally {
      await registry.close();
    }
  });

  it('when the server is killed mid-upload, then the next start removes the upload it left behind', async () => {
    const first = startProcess({ PORT: '0', TMR_DATA_DIR: dataDir });
    const url = await listeningUrl(first);
    const token = await login(url, ADMIN, ADMIN_PASSWORD);
    const zip = await tinyPackage('killed');
    const req = request(new URL(`${url}/artifact/model?name=killed`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/zip', 'Content-Length': zip.length, 'X-Authorization': token },
    });
    req.on('error', () => undefined);
    req.write(zip.subarray(0, zip.length / 2));
    const scratch = join(dataDir, 'scratch');
    await eventually(async () => (await listFiles(scratch)).some((file) => /\/uploads\/.+\.zip$/.test(file)), 'the upload is being received');
    first.process.kill('SIGKILL');
    await first.exited;
    req.destroy();
    const [deadInstance] = await readdir(scratch);
    expect(deadInstance, 'kill -9 leaves the instance directory behind').to.match(/^\d+-[0-9a-f]{8}$/);

    const second = startProcess({ PORT: '0', TMR_DATA_DIR: dataDir });
    try {
      await listeningUrl(second);
      expect(await stat(join(scratch, deadInstance as string)).catch(() => undefined), 'the dead instance directory is swept').to.equal(undefined);
      expect((await readdir(scratch)).length, 'only the running instance has a directory').to.equal(1);
      expect(second.output()).to.contain('removed temporary files of instances that did not shut down');
    } finally {
      second.process.kill('SIGTERM');
      expect(await second.exited).to.equal(0);
    }
    expect(await readdir(scratch), 'a clean shutdown removes its own directory').to.deep.equal([]);
  });
});
