import { expect } from 'chai';
import { request, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { Tokens } from '../../src/adapters/di/tokens';
import type { RecentLogs } from '../../src/adapters/system/recent-logs';
import type { ScratchSpace } from '../../src/adapters/system/scratch-space';
import type { PackageArchive } from '../../src/ports/package-archive.port';
import { tinyPackage } from '../support/hf-packages';
import { eventually, listFiles } from '../support/registry-probes';
import { startTestRegistry, type TestRegistry } from '../support/test-registry';

const IDLE_MS = 1000;

const openSocket = (registry: TestRegistry): Promise<Socket> =>
  new Promise((done, fail) => {
    const socket = connect(Number(new URL(registry.url).port), '127.0.0.1', () => done(socket));
    socket.once('error', fail);
  });

const closed = (socket: Socket): Promise<void> =>
  new Promise((done) => {
    if (socket.destroyed) done();
    else socket.once('close', () => done());
  });

/** Sends a zip upload whose body arrives in pieces, with `pauseMs` of silence before each piece. */
function trickleUpload(registry: TestRegistry, token: string, zip: Buffer, pieces: number, pauseMs: number): Promise<number> {
  return new Promise((done, fail) => {
    const req = request(new URL(`${registry.url}/artifact/model?name=trickle`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/zip', 'Content-Length': zip.length, 'X-Authorization': token },
    }, (res: IncomingMessage) => {
      res.resume();
      res.once('end', () => done(res.statusCode ?? 0));
    });
    req.once('error', fail);
    const size = Math.ceil(zip.length / pieces);
    let sent = 0;
    const next = (): void => {
      if (sent >= zip.length) {
        req.end();
        return;
      }
      req.write(zip.subarray(sent, sent + size));
      sent += size;
      setTimeout(next, pauseMs);
    };
    next();
  });
}

describe('API: connection limits', () => {
  describe('with TMR_MAX_CONNECTIONS=3', () => {
    let registry: TestRegistry;
    before(async () => {
      registry = await startTestRegistry({ env: { TMR_MAX_CONNECTIONS: '3' } });
    });
    after(() => registry.close());

    it('when three connections are open, then a fourth is closed at once, and is served again once one leaves', async () => {
      const held = await Promise.all([openSocket(registry), openSocket(registry), openSocket(registry)]);
      const refused = await openSocket(registry);
      await closed(refused);
      held[0]?.destroy();
      await eventually(async () => {
        const probe = await openSocket(registry);
        probe.write('GET /tracks HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
        const answer = await new Promise<string>((done) => {
          let text = '';
          probe.on('data', (chunk: Buffer) => {
            text += chunk.toString();
          });
          probe.once('close', () => done(text));
        });
        return answer.startsWith('HTTP/1.1 200');
      }, 'a new connection is served');
      held.forEach((socket) => socket.destroy());
      const refusals = registry.container.resolve<RecentLogs>(Tokens.RecentLogs).recent(100).filter((line) => line.message.includes('TMR_MAX_CONNECTIONS reached'));
      expect(refusals.map((line) => line.level)).to.include('warn');
    });
  });

  describe(`with TMR_IDLE_TIMEOUT_MS=${IDLE_MS}`, () => {
    let registry: TestRegistry;
    before(async () => {
      registry = await startTestRegistry({ storage: 'local', env: { TMR_IDLE_TIMEOUT_MS: String(IDLE_MS) } });
    });
    after(() => registry.close());

    it('when the server is configured, then no total request time is imposed, only the idle limit', () => {
      expect(registry.running.server.requestTimeout).to.equal(0);
      expect(registry.running.server.headersTimeout).to.equal(IDLE_MS);
      expect(registry.running.server.timeout).to.equal(IDLE_MS);
    });

    it('when an upload trickles in for several idle windows with short pauses, then it is accepted', async function () {
      this.timeout(30_000);
      const status = await trickleUpload(registry, await registry.token(), await tinyPackage('trickle'), 8, IDLE_MS / 3);
      expect(status).to.equal(201);
    });

    it('when an upload stops sending mid-body for longer than the idle limit, then the connection is closed', async () => {
      const token = await registry.token();
      const zip = await tinyPackage('stalled');
      const socket = await openSocket(registry);
      socket.on('error', () => undefined);
      socket.write(`POST /artifact/model?name=stalled HTTP/1.1\r\nHost: x\r\nContent-Type: application/zip\r\nContent-Length: ${zip.length}\r\nX-Authorization: ${token}\r\n\r\n`);
      socket.write(zip.subarray(0, zip.length / 2));
      await closed(socket);
      const uploads = registry.container.resolve<ScratchSpace>(Tokens.Scratch).path('uploads');
      await eventually(async () => (await listFiles(uploads)).length === 0, 'the partial upload is removed');
    });

    it('when a connection never finishes its headers, then it is closed', async () => {
      const socket = await openSocket(registry);
      socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
      await closed(socket);
    });
  });

  describe(`with TMR_IDLE_TIMEOUT_MS=${IDLE_MS}, while the registry works on a received upload`, () => {
    let registry: TestRegistry;
    let inspecting: () => void = () => undefined;
    const inspectionStarted = new Promise<void>((done) => {
      inspecting = done;
    });
    let proceed: () => void = () => undefined;
    const mayProceed = new Promise<void>((done) => {
      proceed = done;
    });
    before(async () => {
      registry = await startTestRegistry({
        env: { TMR_IDLE_TIMEOUT_MS: String(IDLE_MS) },
        configure: (container) => {
          // The real archive, held at the start of inspection for as long as the test says.
          const real = container.resolve<PackageArchive>(Tokens.PackageArchive);
          const held: PackageArchive = Object.create(real, {
            inspect: {
              value: async (...args: Parameters<PackageArchive['inspect']>) => {
                inspecting();
                await mayProceed;
                return real.inspect(...args);
              },
            },
          }) as PackageArchive;
          container.register(Tokens.PackageArchive, { useValue: held });
        },
      });
    });
    after(() => registry.close());

    it('when the work outlasts the idle limit several times over, then the silence is the server\'s and the client still gets its answer', async function () {
      this.timeout(30_000);
      const answer = registry.request('POST', '/artifact/model?name=patient', { body: await tinyPackage('patient'), contentType: 'application/zip' });
      await inspectionStarted;
      await new Promise((done) => setTimeout(done, 3 * IDLE_MS));
      proceed();
      expect((await answer).status).to.equal(201);
    });
  });
});
