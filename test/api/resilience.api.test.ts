import { expect } from 'chai';
import { createWriteStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Tokens } from '../../src/adapters/di/tokens';
import { LocalBlobStore } from '../../src/adapters/storage/local/local-blob-store';
import type { DiskSpace } from '../../src/adapters/system/disk-space';
import type { ScratchSpace } from '../../src/adapters/system/scratch-space';
import type { Config } from '../../src/config';
import { tinyPackage, zipBuffer, fillerBytes } from '../support/hf-packages';
import { wellFormedWeights } from '../support/fake-upstream/weights';
import { blobConsistency, countArtifacts, errorLogs, eventually, listFiles } from '../support/registry-probes';
import { addUser, startTestRegistry, type TestRegistry } from '../support/test-registry';

interface ErrorBody {
  code: string;
  message: string;
}

/** A package slow to inspect: every one of its thousands of entries is inflated and checked. */
const slowPackage = (title: string, entries = 1500): Promise<Buffer> =>
  zipBuffer([
    { path: 'README.md', content: `# ${title}\n` },
    ...Array.from({ length: entries }, (_, index) => ({ path: `shards/s-${index}.txt`, content: `${title} ${index}\n` })),
  ]);

const scratch = (registry: TestRegistry): ScratchSpace => registry.container.resolve<ScratchSpace>(Tokens.Scratch);
const scratchOf = (registry: TestRegistry): string => scratch(registry).dir;
const uploadsOf = (registry: TestRegistry): string => scratch(registry).path('uploads');

/** A raw upload over node:http, so the test decides when the client goes away. */
function rawUpload(registry: TestRegistry, token: string, path: string, body: Buffer): { req: ClientRequest; response: Promise<IncomingMessage | undefined> } {
  const req = request(new URL(`${registry.url}${path}`), {
    method: 'POST',
    headers: { 'Content-Type': 'application/zip', 'Content-Length': body.length, 'X-Authorization': token },
  });
  const response = new Promise<IncomingMessage | undefined>((done) => {
    req.once('response', done);
    req.once('error', () => done(undefined));
  });
  req.end(body);
  return { req, response };
}

/** Waits until the server holds the whole body in its upload area: from then on it is processing. */
async function untilStaged(registry: TestRegistry, size: number): Promise<void> {
  await eventually(async () => {
    for (const name of await readdir(uploadsOf(registry))) {
      if ((await stat(join(uploadsOf(registry), name)).catch(() => undefined))?.size === size) return true;
    }
    return false;
  }, 'the upload is staged');
}

const readJson = async <T>(response: IncomingMessage): Promise<T> => {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
};

describe('API: clients that hang up, and temporary files', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startTestRegistry({ storage: 'local' });
  });
  after(() => registry.close());

  it('when an upload client hangs up while its zip is processed, then the process keeps serving, the work ends cleanly and no temporary file remains', async function () {
    this.timeout(120_000);
    const zip = await slowPackage('hangup');
    const upload = rawUpload(registry, await registry.token(), '/artifact/model?name=hangup', zip);
    await untilStaged(registry, zip.length);
    upload.req.destroy();

    expect((await registry.request('GET', '/health')).status, 'the registry still answers').to.equal(200);
    // The staged zip stays while the use case reads it, and goes when it is done.
    await eventually(async () => (await listFiles(scratchOf(registry))).length === 0, 'the staged upload is removed');
    const found = await registry.request<unknown[]>('GET', '/artifact/byName/hangup');
    expect(found.status, 'the abandoned upload was processed to its end').to.equal(200);
    expect(await blobConsistency(registry)).to.deep.equal({ orphans: [], missing: [] });
    expect(errorLogs(registry).map((line) => line.message)).to.deep.equal([]);
  });

  it('when a download client hangs up part-way, then nothing is logged as an error and the registry keeps serving', async function () {
    this.timeout(60_000);
    const big = await zipBuffer([{ path: 'README.md', content: '# big\n' }, { path: 'model.safetensors', content: wellFormedWeights('model.safetensors', fillerBytes('big', 4 * 1024 * 1024)) }]);
    const created = await registry.request<{ metadata: { id: string } }>('POST', '/artifact/model?name=big', { body: big, contentType: 'application/zip' });
    expect(created.status).to.equal(201);
    const token = await registry.token();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await new Promise<void>((done) => {
        const req = request(new URL(`${registry.url}/artifacts/model/${created.body.metadata.id}/download`), { headers: { 'X-Authorization': token } }, (res) => {
          res.once('data', () => {
            req.destroy();
            done();
          });
        });
        req.on('error', () => undefined);
        req.end();
      });
    }
    expect((await registry.request('GET', '/health')).status).to.equal(200);
    expect(errorLogs(registry).map((line) => line.message)).to.deep.equal([]);
  });

  it('when clients read a whole download and close at once, then no completed download is logged as an error', async function () {
    this.timeout(60_000);
    const zip = await zipBuffer([{ path: 'README.md', content: '# closer\n' }, { path: 'model.safetensors', content: wellFormedWeights('model.safetensors', fillerBytes('closer', 2 * 1024 * 1024)) }]);
    const created = await registry.request<{ metadata: { id: string } }>('POST', '/artifact/model?name=closer', { body: zip, contentType: 'application/zip' });
    const token = await registry.token();
    const { port } = new URL(registry.url);
    for (let attempt = 0; attempt < 20; attempt += 1) {
      await new Promise<void>((done) => {
        // Like curl: read until Content-Length bytes of body arrived, then close the socket at once.
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(`GET /artifacts/model/${created.body.metadata.id}/download HTTP/1.1\r\nHost: x\r\nX-Authorization: ${token}\r\n\r\n`);
        });
        let received = Buffer.alloc(0);
        socket.on('data', (chunk: Buffer) => {
          received = Buffer.concat([received, chunk]);
          const headerEnd = received.indexOf('\r\n\r\n');
          if (headerEnd >= 0 && received.length - headerEnd - 4 >= zip.length) {
            socket.destroy();
            done();
          }
        });
        socket.on('error', () => done());
      });
    }
    expect(errorLogs(registry).map((line) => line.message)).to.deep.equal([]);
  });

  it('when multipart uploads fail before any route (wrong field, unknown type, no permission), then none leaves a temporary file', async function () {
    this.timeout(60_000);
    const zip = await tinyPackage('stray');
    const form = (field: string): FormData => {
      const body = new FormData();
      body.append(field, new Blob([zip], { type: 'application/zip' }), 'stray.zip');
      return body;
    };
    const reader = await addUser(registry, 'reader', 'reader-password-1', ['search']);
    const attempts = [
      await registry.request('POST', '/artifact/model?name=stray', { body: form('upload') }),
      await registry.request('POST', '/artifact/weights?name=stray', { body: form('file') }),
      await registry.request('POST', '/artifact/model?name=stray', { body: form('file'), token: reader }),
      await registry.request('POST', '/artifact/model?name=stray', { body: form('other'), token: reader }),
    ];
    expect(attempts.map((response) => response.status)).to.satisfy((statuses: number[]) => statuses.every((status) => status >= 400 && status < 500));
    await eventually(async () => (await listFiles(scratchOf(registry))).length === 0, 'every temporary file is removed');
  });

  it('when a multipart body is cut short, then 400 and no temporary file remains', async function () {
    this.timeout(60_000);
    const token = await registry.token();
    const boundary = 'cut-short-boundary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.zip"\r\nContent-Type: application/zip\r\n\r\n`),
      await tinyPackage('cut'),
      // No closing boundary: the body ends in the middle of the file part.
    ]);
    const response = await registry.request<ErrorBody>('POST', '/artifact/model?name=cut', {
      body, contentType: `multipart/form-data; boundary=${boundary}`, token,
    });
    expect(response.status, JSON.stringify(response.body)).to.equal(400);
    expect(response.body.code).to.equal('REQUEST.INVALID');
    expect(response.body.message).to.match(/multipart body could not be read \(Unexpected end of form\)/);
    await eventually(async () => (await listFiles(scratchOf(registry))).length === 0, 'every temporary file is removed');
  });

  it('when an uploaded config.json is nested 100,000 levels deep, then 400 names it and nothing is stored', async () => {
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const zip = await zipBuffer([{ path: 'README.md', content: '# deep\n' }, { path: 'config.json', content: deep }]);
    const before = await countArtifacts(registry);
    const response = await registry.request<ErrorBody>('POST', '/artifact/model?name=deep', { body: zip, contentType: 'application/zip' });
    expect(response.status, JSON.stringify(response.body)).to.equal(400);
    expect(response.body.code).to.equal('PACKAGE.INVALID');
    expect(response.body.message).to.match(/config\.json is nested more than \d+ levels/);
    expect(await countArtifacts(registry)).to.equal(before);
    expect(await blobConsistency(registry)).to.deep.equal({ orphans: [], missing: [] });
  });

  it('when every upload above has ended, however it ended, then a reset goes through', async () => {
    expect((await registry.request('DELETE', '/reset')).status).to.equal(200);
  });
});

describe('API: a reset while uploads run', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startTestRegistry({ storage: 'local' });
  });
  after(() => registry.close());

  it('when a reset arrives while an upload is being stored, then it is refused with 409, the upload succeeds and no blob is orphaned', async function () {
    this.timeout(120_000);
    const zip = await slowPackage('racing');
    const upload = rawUpload(registry, await registry.token(), '/artifact/model?name=racing', zip);
    await untilStaged(registry, zip.length);

    const reset = await registry.request<ErrorBody>('DELETE', '/reset');
    expect(reset.status, JSON.stringify(reset.body)).to.equal(409);
    expect(reset.body.message).to.match(/upload.*being stored/);

    const answer = await upload.response;
    expect(answer?.statusCode).to.equal(201);
    await readJson(answer as IncomingMessage);
    expect(await blobConsistency(registry)).to.deep.equal({ orphans: [], missing: [] });
    expect((await registry.request('DELETE', '/reset')).status, 'once the upload is done the reset goes through').to.equal(200);
    expect(await blobConsistency(registry)).to.deep.equal({ orphans: [], missing: [] });
    expect(errorLogs(registry).map((line) => line.message)).to.deep.equal([]);
  });
});

/** A real file write that fails with ENOSPC once `room` bytes are written, like a disk filling up. */
class FillingDisk {
  full = true;
  constructor(private readonly room: number) {}

  openWrite = (path: string): Writable => {
    const file = createWriteStream(path, { flags: 'wx' });
    let written = 0;
    const overflows = (): boolean => this.full && written > this.room;
    const writer = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.length;
        if (overflows()) {
          callback(Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: 'ENOSPC', errno: -28, syscall: 'write' }));
          return;
        }
        file.write(chunk, callback);
      },
      final(callback) {
        file.end(callback);
      },
      destroy(error, callback) {
        file.destroy();
        callback(error);
      },
    });
    return writer;
  };
}

describe('API: a full disk', () => {
  let registry: TestRegistry;
  const disk = new FillingDisk(4096);
  before(async () => {
    registry = await startTestRegistry({
      storage: 'local',
      configure: (container) => {
        const parts = container.resolve<ScratchSpace>(Tokens.Scratch).path('parts');
        container.register(Tokens.BlobStore, {
          useValue: new LocalBlobStore(container.resolve<Config>(Tokens.Config).dataDir, {
            tmpDir: parts, openWrite: disk.openWrite, space: container.resolve<DiskSpace>(Tokens.DiskSpace),
          }),
        });
      },
    });
  });
  after(() => registry.close());

  it('when the disk fills up during an upload, then 507 STORAGE.FULL, nothing is stored, and /health reports storage degraded until a write succeeds', async () => {
    const zip = await zipBuffer([{ path: 'README.md', content: '# full\n' }, { path: 'model.safetensors', content: wellFormedWeights('model.safetensors', fillerBytes('full', 64 * 1024)) }]);
    const response = await registry.request<ErrorBody>('POST', '/artifact/model?name=full', { body: zip, contentType: 'application/zip' });
    expect(response.status, JSON.stringify(response.body)).to.equal(507);
    expect(response.body.code).to.equal('STORAGE.FULL');
    expect(await countArtifacts(registry)).to.equal(0);
    expect(await blobConsistency(registry)).to.deep.equal({ orphans: [], missing: [] });
    expect(await listFiles(scratchOf(registry))).to.deep.equal([]);

    const health = await registry.request<{ status: string; components: { id: string; status: string }[] }>('GET', '/health');
    expect(health.body.status).to.equal('degraded');
    expect(health.body.components.find((component) => component.id === 'storage')?.status).to.equal('degraded');
    const components = await registry.request<{ components: { id: string; issues: { code: string }[] }[] }>('GET', '/health/components');
    expect(components.body.components.find((component) => component.id === 'storage')?.issues.map((issue) => issue.code)).to.deep.equal(['STORAGE.FULL']);

    disk.full = false;
    expect((await registry.request('POST', '/artifact/model?name=full', { body: zip, contentType: 'application/zip' })).status).to.equal(201);
    const recovered = await registry.request<{ components: { id: string; status: string }[] }>('GET', '/health');
    expect(recovered.body.components.find((component) => component.id === 'storage')?.status).to.equal('ok');
    expect((await registry.request('DELETE', '/reset')).status, 'no failed or finished write still holds the write gate').to.equal(200);
  });
});
