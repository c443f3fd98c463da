import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { MemoryBlobStore } from '../../../src/adapters/storage/memory/memory-blob-store';
import { NodeHookRunner } from '../../../src/adapters/system/node-hook-runner';
import type { HookVerdict } from '../../../src/ports/hook-runner.port';
import type { Logger } from '../../../src/ports/system.port';

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

// Each program tries one forbidden thing and prints ESCAPED only if it worked: the sandbox holds when
// the attempt throws (a refusal) and nothing outside changed.
describe('NodeHookRunner: the pre-download program sandbox', function () {
  this.timeout(30_000);
  let blobs: MemoryBlobStore;
  let runner: NodeHookRunner;
  let work: string;
  let pkg: { sha256: string; size: number };
  let listener: Server;
  let port: number;
  let connections = 0;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'tmr-hook-test-'));
    blobs = new MemoryBlobStore();
    const stored = await blobs.put(Readable.from([Buffer.from('PK\u0003\u0004 a package of 40 bytes....')]));
    pkg = { sha256: stored.sha256, size: stored.size };
    runner = new NodeHookRunner(blobs, quiet, { timeoutMs: 1_500, memoryMb: 48, outputBytes: 4096 });
    listener = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as { port: number }).port;
    await writeFile(join(work, 'registry-secret.txt'), 'the registry data');
  });
  after(async () => {
    listener.close();
    await rm(work, { recursive: true, force: true });
  });

  const run = (source: string): Promise<HookVerdict> => runner.run({ source, args: ['bert', 'alice', 'bob'], package: pkg });

  it('when the program exits 0, then the download is allowed and it saw its arguments and could read the package', async () => {
    const verdict = await run(`const fs = require('fs');
      const [model, uploader, downloader, zip] = process.argv.slice(2);
      // Node itself copies NODE_V8_COVERAGE into every child's environment, so under c8 (npm test) it
      // is the one variable present; the registry passes none.
      const env = Object.keys(process.env).filter((name) => name !== 'NODE_V8_COVERAGE');
      console.log(JSON.stringify({ model, uploader, downloader, size: fs.readFileSync(zip).length, env }));`);
    expect(verdict.outcome, verdict.reason).to.equal('allowed');
    expect(JSON.parse(verdict.output)).to.deep.equal({ model: 'bert', uploader: 'alice', downloader: 'bob', size: pkg.size, env: [] });
  });

  it('when the program exits non-zero, then the download is refused with its message', async () => {
    const verdict = await run(`console.log('bob is not cleared for export-controlled models'); process.exit(3);`);
    expect(verdict).to.include({ outcome: 'refused', exitCode: 3, reason: 'exited with 3' });
    expect(verdict.output).to.contain('not cleared');
  });

  it('when the program writes a file, then it is refused and nothing is written', async () => {
    const target = join(work, 'written.txt');
    const verdict = await run(`require('fs').writeFileSync(${JSON.stringify(target)}, 'x'); console.log('ESCAPED');`);
    expect(verdict.outcome).to.equal('refused');
    expect(verdict.output).not.to.contain('ESCAPED');
    expect(existsSync(target)).to.equal(false);
  });

  it('when the program reads /etc/passwd or the registry data, then it is refused and learns nothing', async () => {
    for (const path of ['/etc/passwd', join(work, 'registry-secret.txt'), '/proc/self/environ']) {
      const verdict = await run(`console.log(require('fs').readFileSync(${JSON.stringify(path)}, 'utf8')); console.log('ESCAPED');`);
      expect(verdict.outcome, path).to.equal('refused');
      expect(verdict.output, path).not.to.match(/ESCAPED|root:|registry data/);
    }
  });

  it('when the program spawns a process or a worker, then it is refused', async () => {
    for (const source of [
      `require('child_process').execSync('touch ${join(work, 'spawned')}'); console.log('ESCAPED');`,
      `new (require('worker_threads').Worker)('1', { eval: true }); console.log('ESCAPED');`,
      `process.binding('spawn_sync'); console.log('ESCAPED');`,
    ]) {
      const verdict = await run(source);
      expect(verdict.outcome, source).to.equal('refused');
      expect(verdict.output).not.to.contain('ESCAPED');
    }
    expect(existsSync(join(work, 'spawned'))).to.equal(false);
  });

  it('when the program opens a socket to a loopback listener, then it is refused and the listener sees nothing', async () => {
    const verdict = await run(`const s = require('net').connect(${port}, '127.0.0.1');
      s.on('connect', () => { console.log('ESCAPED'); process.exit(0); });
      s.on('error', (e) => { console.log('blocked', e.code); process.exit(2); });`);
    const viaFetch = await run(`fetch('http://127.0.0.1:${port}/').then(() => console.log('ESCAPED'), () => process.exit(2));`);
    expect(verdict.outcome).to.equal('refused');
    expect(viaFetch.outcome).to.equal('refused');
    expect(verdict.output + viaFetch.output).not.to.contain('ESCAPED');
    expect(connections).to.equal(0);
  });

  it('when the program loops forever, then it is killed at the time limit', async () => {
    const verdict = await run('for (;;) {}');
    expect(verdict).to.include({ outcome: 'refused', reason: 'killed after 1500 ms' });
  });

  it('when the program allocates without end, then the heap limit or the memory watchdog stops it, not the clock', async () => {
    // A generous time limit, so only a memory limit can end these programs.
    const patient = new NodeHookRunner(blobs, quiet, { timeoutMs: 20_000, memoryMb: 48, outputBytes: 4096 });
    const heap = await patient.run({ source: 'const keep = []; for (;;) keep.push(new Array(1e5).fill({ a: 1 }));', args: ['m', 'u', 'd'], package: pkg });
    const buffers = await patient.run({ source: 'const keep = []; for (;;) keep.push(Buffer.alloc(16 * 1024 * 1024, 1));', args: ['m', 'u', 'd'], package: pkg });
    expect(heap.outcome).to.equal('refused');
    expect(heap.reason).to.match(/crashed|memory/);
    expect(buffers).to.include({ outcome: 'refused', reason: 'used more than 96 MB of memory' });
  });

  it('when the program prints megabytes, then it is stopped and the output kept is capped', async () => {
    const verdict = await run(`const line = 'x'.repeat(1024) + '\\n'; for (;;) process.stdout.write(line);`);
    expect(verdict.outcome).to.equal('refused');
    expect(Buffer.byteLength(verdict.output)).to.be.at.most(4096);
  });

  it('when the program evaluates strings as code, then it is refused', async () => {
    const verdict = await run(`eval('1 + 1'); console.log('ESCAPED');`);
    expect(verdict.outcome).to.equal('refused');
  });
});
