import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { expect } from 'chai';
import type { Logger as Pino } from 'pino';
import { createRequestListener } from '../../src/adapters/http/app';
import { ActivityMonitor } from '../../src/adapters/http/activity-monitor';
import { hotReads } from '../../src/adapters/http/hot-reads';
import { securityHeaderWriter } from '../../src/adapters/http/security-headers';
import { Tokens } from '../../src/adapters/di/tokens';
import type { Config } from '../../src/config';
import type { Clock } from '../../src/ports/system.port';
import { tinyPackage, zipBuffer } from '../support/hf-packages';
import { addUser, startTestRegistry, type TestRegistry } from '../support/test-registry';

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Whatever the route, these differ from one answer to the next. */
const PER_ANSWER = new Set(['date', 'x-request-id', 'server-timing', 'connection', 'keep-alive']);

/** Node's own client: it sends paths, methods and bodies exactly as given (fetch would tidy some). */
function send(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((done, fail) => {
    const request = httpRequest(`${base}${path}`, { method, headers: { ...headers, ...(body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(body)) }) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', fail);
      response.on('end', () => done({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', fail);
    request.end(body);
  });
}

/** The answer without what changes per request: headers above, and the error body's request id. */
function comparable(answer: Answer): { status: number; headers: Record<string, unknown>; body: unknown } {
  const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !PER_ANSWER.has(name)));
  let body: unknown = answer.body;
  if ((answer.headers['content-type'] ?? '').includes('json') && answer.body !== '') {
    const parsed = JSON.parse(answer.body) as Record<string, unknown>;
    if (typeof parsed === 'object' && parsed !== null && 'request_id' in parsed) delete parsed.request_id;
    body = parsed;
  }
  // The ETag hashes the body, request id included, so errors' tags differ; successes' must not.
  if (answer.status >= 400) delete headers.etag;
  return { status: answer.status, headers, body };
}

function listen(server: Server): Promise<string> {
  return new Promise((done) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    done(`http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`);
  }));
}

for (const storage of ['memory', 'local'] as const) {
  describe(`API: the short route for frequent reads answers exactly as Express does (${storage} storage)`, () => {
    let registry: TestRegistry;
    let express: Server;
    let expressUrl: string;
    let shortOnly: Server;
    let shortOnlyUrl: string;
    const taken: string[] = [];
    const ids: Record<string, string> = {};
    const tokens: Record<string, () => Promise<string>> = {};

    before(async () => {
      registry = await startTestRegistry({ storage });
      // Express alone over the same container and data, with responses checked against the document.
      const general = createRequestListener(registry.container, { hotReads: false, validateResponses: true });
      general.app.locals.listeningUrl = registry.url;
      express = createServer(general.listener);
      expressUrl = await listen(express);
      // The short route alone: it says which requests it took; Express answers the rest.
      const hot = hotReads({
        container: registry.container,
        logger: registry.container.resolve<Pino>(Tokens.Pino),
        activity: new ActivityMonitor(registry.container.resolve<Clock>(Tokens.Clock)),
        securityHeaders: securityHeaderWriter(registry.container.resolve<Config>(Tokens.Config)),
        appLocals: { listeningUrl: registry.url },
      });
      shortOnly = createServer((req, res) => {
        if (hot(req, res)) taken.push(`${req.method} ${req.url}`);
        else general.listener(req, res);
      });
      shortOnlyUrl = await listen(shortOnly);

      const upload = async (type: string, name: string, zip: Buffer): Promise<string> => {
        const created = await registry.request<{ metadata: { id: string } }>('POST', `/artifact/${type}?name=${name}`, { body: zip, contentType: 'application/zip' });
        expect(created.status, created.raw.toString()).to.equal(201);
        return created.body.metadata.id;
      };
      ids.parent = await upload('model', 'hot-parent', await tinyPackage('hot-parent'));
      ids.child = await upload('model', 'hot-child', await zipBuffer([
        { path: 'README.md', content: '---\nlicense: mit\nbase_model: acme/hot-parent\n---\n# hot-child\n' },
        { path: 'config.json', content: '{"model_type": "bert"}' },
      ]));
      ids.dataset = await upload('dataset', 'hot-data', await zipBuffer([{ path: 'README.md', content: '# data\n' }, { path: 'train.csv', content: 'a,b\n1,2\n' }]));
      await upload('model', 'hot-parent', await tinyPackage('hot-parent again'));
      tokens.admin = () => registry.token();
      const searcher = await addUser(registry, 'hot-searcher', 'a long enough password', ['search']);
      const uploader = await addUser(registry, 'hot-uploader', 'a long enough password', ['upload']);
      // Each of these tokens is good for many calls; every request below spends one on each server.
      tokens.searcher = async () => searcher;
      tokens.uploader = async () => uploader;
    });
    after(async () => {
      await new Promise((done) => express.close(done));
      await new Promise((done) => shortOnly.close(done));
      await registry.close();
    });

    interface Case {
      readonly path: string;
      readonly token?: string | null;
      readonly method?: string;
      readonly headers?: Record<string, string>;
      readonly body?: string;
      /** Whether the short route takes it (otherwise it must leave it to Express untouched). */
      readonly short: boolean;
    }

    const cases = (): Case[] => [
      { path: `/artifacts/model/${ids.parent}`, short: true },
      { path: `/artifacts/dataset/${ids.dataset}`, short: true },
      { path: `/artifacts/dataset/${ids.parent}`, short: true },
      { path: '/artifacts/code/0000000000000000000000000X', short: true },
      { path: `/artifacts/model/${'A'.repeat(65)}`, short: true },
      { path: `/artifacts/model/${ids.parent}`, token: 'uploader', short: true },
      { path: `/artifacts/model/${ids.parent}`, token: null, short: true },
      { path: `/artifacts/model/${ids.parent}`, token: 'bearer not-a-token', short: true },
      { path: `/artifact/model/${ids.child}/rate`, short: true },
      { path: `/artifact/model/${ids.child}/rate`, headers: { 'X-Passive-View': 'true' }, short: true },
      { path: `/artifact/model/${ids.child}/rate`, headers: { 'X-Passive-View': 'false' }, short: true },
      { path: `/artifact/model/${ids.dataset}/rate`, short: true },
      { path: `/artifact/model/${ids.child}/rate`, token: 'searcher', short: true },
      { path: `/artifact/model/${ids.child}/lineage`, short: true },
      { path: `/artifact/model/${ids.parent}/lineage`, token: 'searcher', short: true },
      { path: '/artifact/model/0000000000000000000000000X/lineage', short: true },
      { path: '/artifact/byName/hot-parent', short: true },
      { path: '/artifact/byName/hot-data', token: 'searcher', short: true },
      { path: '/artifact/byName/no-such-name', short: true },
      { path: '/artifact/byName/hot-parent', token: 'uploader', short: true },
      // Left to Express: anything the validator or router might answer differently.
      { path: `/artifact/model/${ids.child}/rate`, headers: { 'X-Passive-View': 'yes' }, short: false },
      { path: `/artifacts/model/${ids.parent}?extra=1`, short: false },
      { path: `/artifact/model/${ids.child}/lineage?include=all`, short: false },
      { path: `/artifacts/model/${ids.parent}/`, short: false },
      { path: `/ARTIFACTS/model/${ids.parent}`, short: false },
      { path: `/artifacts/MODEL/${ids.parent}`, short: false },
      { path: '/artifact/byName/hot%2Dparent', short: false },
      { path: '/artifact/byName/hot parent', short: false },
      { path: '/artifacts/model/bad_id', short: false },
      { path: `/artifacts/model/${ids.parent}`, method: 'HEAD', short: false },
      { path: `/artifacts/model/${ids.parent}`, method: 'DELETE', token: 'searcher', short: false },
      { path: `/artifacts/model/${ids.parent}`, body: '{"a": 1}', headers: { 'Content-Type': 'application/json' }, short: false },
    ];

    it('when the same requests reach both routes, then status, headers and body are the same, and the short route took exactly the plain frequent reads', async () => {
      taken.length = 0;
      const expectedShort: string[] = [];
      for (const c of cases()) {
        const method = c.method ?? 'GET';
        const headers = async (): Promise<Record<string, string>> => {
          const role = c.token === undefined ? 'admin' : c.token;
          const token = role === null ? undefined : role in tokens ? await tokens[role]!() : role;
          return { ...(token === undefined ? {} : { 'X-Authorization': token }), ...c.headers };
        };
        const viaExpress = await send(expressUrl, method, c.path, await headers(), c.body);
        const viaShort = await send(shortOnlyUrl, method, c.path, await headers(), c.body);
        const viaServer = await send(registry.url, method, c.path, await headers(), c.body);
        const what = `${method} ${c.path} as ${c.token === undefined ? 'admin' : String(c.token)}`;
        expect(comparable(viaShort), what).to.deep.equal(comparable(viaExpress));
        expect(comparable(viaServer), what).to.deep.equal(comparable(viaExpress));
        if (c.short) expectedShort.push(`${method} ${c.path}`);
      }
      expect(taken).to.deep.equal(expectedShort);
    });

    it('when a client sends back the ETag of a frequent read, then both routes answer 304 with no body', async () => {
      const path = `/artifact/model/${ids.child}/rate`;
      const first = await send(shortOnlyUrl, 'GET', path, { 'X-Authorization': await registry.token() });
      const etag = String(first.headers.etag);
      for (const base of [shortOnlyUrl, expressUrl]) {
        const again = await send(base, 'GET', path, { 'X-Authorization': await registry.token(), 'If-None-Match': etag });
        expect(again.status, base).to.equal(304);
        expect(again.body).to.equal('');
      }
    });

    it('when a model is re-registered under a new parent, then the short route\'s rating and lineage follow at once', async () => {
      const before = await send(shortOnlyUrl, 'GET', `/artifact/model/${ids.child}/lineage`, { 'X-Authorization': await registry.token() });
      const nodes = (JSON.parse(before.body) as { nodes: unknown[] }).nodes.length;
      await registry.request('POST', '/artifact/model?name=hot-grandparent', { body: await tinyPackage('hot-grandparent'), contentType: 'application/zip' });
      const parentZip = await zipBuffer([
        { path: 'README.md', content: '---\nlicense: mit\nbase_model: acme/hot-grandparent\n---\n# hot-parent\n' },
        { path: 'config.json', content: '{"model_type": "bert"}' },
      ]);
      const replaced = await registry.request('PUT', `/artifacts/model/${ids.parent}`, { body: parentZip, contentType: 'application/zip' });
      expect(replaced.status, replaced.raw.toString()).to.equal(200);

      const after = await send(shortOnlyUrl, 'GET', `/artifact/model/${ids.child}/lineage`, { 'X-Authorization': await registry.token() });
      expect((JSON.parse(after.body) as { nodes: unknown[] }).nodes.length).to.equal(nodes + 1);
      const viaExpress = await send(expressUrl, 'GET', `/artifact/model/${ids.child}/rate`, { 'X-Authorization': await registry.token() });
      const viaShort = await send(shortOnlyUrl, 'GET', `/artifact/model/${ids.child}/rate`, { 'X-Authorization': await registry.token() });
      expect(comparable(viaShort)).to.deep.equal(comparable(viaExpress));
    });
  });
}
