import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ErrorCode } from '../../../src/domain/errors';
import { UpstreamClient, type UpstreamOptions } from '../../../src/adapters/upstream/upstream-client';
import { expectRejection } from '../../support/zip-builder';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface LocalServer {
  url: string;
  hits: { path: string; authorization?: string }[];
  handle(handler: Handler): void;
  close(): Promise<void>;
}

async function localServer(): Promise<LocalServer> {
  let handler: Handler = (_req, res) => res.end();
  const hits: LocalServer['hits'] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    hits.push({ path: req.url ?? '', ...(req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization }) });
    handler(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    handle: (next) => (handler = next),
    close: async () => {
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('UpstreamClient against real loopback servers', () => {
  let upstream: LocalServer;
  let foreign: LocalServer;
  let waits: number[];

  const client = (overrides: Partial<UpstreamOptions> = {}) => new UpstreamClient({
    name: 'Test Hub',
    baseUrl: upstream.url,
    token: 'secret-token',
    authorization: (token) => `Bearer ${token}`,
    redirectHosts: [],
    timeoutMs: 300,
    retries: 3,
    isMetadata: (url) => url.pathname.startsWith('/api/'),
    logger: silent,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...overrides,
  });

  beforeEach(async () => {
    upstream = await localServer();
    foreign = await localServer();
    waits = [];
  });
  afterEach(async () => {
    await upstream.close();
    await foreign.close();
  });

  it('when the upstream fails twice with 503, then the third attempt succeeds after back-off', async () => {
    let calls = 0;
    upstream.handle((_req, res) => {
      calls += 1;
      res.statusCode = calls < 3 ? 503 : 200;
      res.end(calls < 3 ? 'busy' : 'ok');
    });
    const response = await client().fetch(`${upstream.url}/file`);
    expect(response.status).to.equal(200);
    expect(await response.text()).to.equal('ok');
    expect(calls).to.equal(3);
    expect(waits).to.have.length(2);
  });

  it('when every attempt fails with 500, then the last response is returned for the caller to report', async () => {
    upstream.handle((_req, res) => {
      res.statusCode = 500;
      res.end();
    });
    const response = await client({ retries: 2 }).fetch(`${upstream.url}/file`);
    expect(response.status).to.equal(500);
    expect(upstream.hits).to.have.length(3);
  });

  it('when the upstream answers 429 with Retry-After, then the client waits that long before retrying', async () => {
    let calls = 0;
    upstream.handle((_req, res) => {
      calls += 1;
      if (calls === 1) {
        res.writeHead(429, { 'Retry-After': '2' });
        res.end();
      } else res.end('ok');
    });
    expect((await client().fetch(`${upstream.url}/file`)).status).to.equal(200);
    expect(waits).to.deep.equal([2000]);
  });

  it('when the requested wait exceeds the limit, then the 429 is returned at once instead of waiting', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(429, { 'Retry-After': '3600' });
      res.end();
    });
    expect((await client().fetch(`${upstream.url}/file`)).status).to.equal(429);
    expect(waits).to.deep.equal([]);
  });

  it('when GitHub signals an exhausted rate limit, then the client waits for the reset time', async () => {
    let calls = 0;
    upstream.handle((_req, res) => {
      calls += 1;
      if (calls === 1) {
        res.writeHead(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 5) });
        res.end('{"message":"API rate limit exceeded"}');
      } else res.end('ok');
    });
    expect((await client().fetch(`${upstream.url}/repos/a/b`)).status).to.equal(200);
    expect(waits).to.have.length(1);
    expect(waits[0]).to.be.within(3000, 6000);
  });

  it('when a 403 is not about rate limits, then it is final', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(403, { 'x-ratelimit-remaining': '4999' });
      res.end();
    });
    expect((await client().fetch(`${upstream.url}/gated`)).status).to.equal(403);
    expect(upstream.hits).to.have.length(1);
  });

  it('when the upstream never answers, then each attempt times out and the caller gets UPSTREAM.TIMEOUT', async () => {
    upstream.handle(() => undefined);
    const error = await expectRejection(client({ retries: 1 }).fetch(`${upstream.url}/hang`), ErrorCode.UpstreamTimeout);
    expect(error.message).to.contain('Test Hub');
    expect(upstream.hits).to.have.length(2);
  });

  it('when a body stalls midway, then reading it fails with UPSTREAM.TIMEOUT instead of hanging', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'Content-Length': '1000' });
      res.write('x'.repeat(100));
    });
    const response = await client().fetch(`${upstream.url}/slow`);
    await expectRejection(response.arrayBuffer(), ErrorCode.UpstreamTimeout);
  });

  it('when a body is cut short, then reading it fails', async () => {
    upstream.handle((req, res) => {
      res.writeHead(200, { 'Content-Length': '1000' });
      res.write('x'.repeat(100), () => req.socket.destroy());
    });
    const response = await client().fetch(`${upstream.url}/cut`);
    let failed = false;
    await response.arrayBuffer().catch(() => (failed = true));
    expect(failed).to.equal(true);
  });

  it('when nothing listens, then the caller gets UPSTREAM.UNAVAILABLE naming the host', async () => {
    const closed = upstream.url;
    await upstream.close();
    upstream = await localServer();
    const error = await expectRejection(client({ baseUrl: closed, retries: 1 }).fetch(`${closed}/x`), ErrorCode.UpstreamUnavailable);
    expect(error.message).to.contain('could not be reached');
  });

  it('when a redirect stays on the upstream, then it is followed and credentials still go along', async () => {
    upstream.handle((req, res) => {
      if (req.url === '/start') {
        res.writeHead(302, { Location: '/final' });
        res.end();
      } else res.end('arrived');
    });
    const response = await client().fetch(`${upstream.url}/start`);
    expect(await response.text()).to.equal('arrived');
    expect(upstream.hits.map((hit) => hit.authorization)).to.deep.equal(['Bearer secret-token', 'Bearer secret-token']);
  });

  it('when a redirect leads to another origin, then it is refused before any request reaches it', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(302, { Location: `${foreign.url}/steal` });
      res.end();
    });
    const error = await expectRejection(client().fetch(`${upstream.url}/start`), ErrorCode.UpstreamUnavailable);
    expect(error.message).to.contain('not an allowed upstream');
    expect(foreign.hits).to.deep.equal([]);
  });

  it('when a caller asks for a URL outside the upstream, then it is refused without a request', async () => {
    await expectRejection(client().fetch(`${foreign.url}/anything`), ErrorCode.UpstreamUnavailable);
    expect(foreign.hits).to.deep.equal([]);
  });

  it('when a redirect leads to an allowed CDN host over plain http, then it is refused', async () => {
    const allowed = client({ redirectHosts: ['cdn.example.test'] });
    upstream.handle((_req, res) => {
      res.writeHead(302, { Location: 'http://cdn.example.test/file' });
      res.end();
    });
    // Plain http to the CDN is not allowed: only https redirects leave the base origin.
    await expectRejection(allowed.fetch(`${upstream.url}/start`), ErrorCode.UpstreamUnavailable);
  });

  it('when many callers ask for the same metadata at once, then one request is made and all get the body', async () => {
    upstream.handle((_req, res) => {
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.end('{"id":"x"}');
      }, 50);
    });
    const shared = client();
    const bodies = await Promise.all(Array.from({ length: 20 }, async () => (await shared.fetch(`${upstream.url}/api/models/x`)).json()));
    expect(bodies.every((body) => JSON.stringify(body) === '{"id":"x"}')).to.equal(true);
    expect(upstream.hits).to.have.length(1);
    await (await shared.fetch(`${upstream.url}/api/models/x`)).json();
    expect(upstream.hits).to.have.length(1);
  });

  it('when metadata fails with 404, then it is shared with waiters but not cached', async () => {
    upstream.handle((_req, res) => {
      res.statusCode = 404;
      res.end('{"error":"Repository not found"}');
    });
    const shared = client();
    const [a, b] = await Promise.all([shared.fetch(`${upstream.url}/api/models/missing`), shared.fetch(`${upstream.url}/api/models/missing`)]);
    expect([a.status, b.status]).to.deep.equal([404, 404]);
    expect(await b.text()).to.contain('not found');
    await shared.fetch(`${upstream.url}/api/models/missing`);
    expect(upstream.hits).to.have.length(2);
  });

  it('when a request is not metadata, then it is never cached', async () => {
    upstream.handle((_req, res) => res.end('bytes'));
    const shared = client();
    await (await shared.fetch(`${upstream.url}/resolve/main/model.bin`)).text();
    await (await shared.fetch(`${upstream.url}/resolve/main/model.bin`)).text();
    expect(upstream.hits).to.have.length(2);
  });
});
