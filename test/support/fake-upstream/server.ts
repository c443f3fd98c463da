import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { GithubRateLimit, statusFaultResponse, type Upstream } from './fault-responses';
import { FaultTable, type Fault, type FaultSpec, type InjectedFault, type RecordedRequest } from './faults';
import { addGithubRepo, addHubRepo, buildFixtures, type FixtureSet, type GithubRepo, type GithubRepoSpec, type HubRepo, type HubRepoSpec } from './fixtures';
import { routeGithub } from './github-routes';
import { jsonResponse, type FakeRequest, type FakeResponse } from './http-kit';
import type { HubOptions, LfsRedirect } from './hub-context';
import { cdnRoute, routeHub } from './hub-routes';
import { kaggleDatasets, routeKaggle } from './kaggle-routes';

export type { Fault, FaultSpec, InjectedFault, RecordedRequest } from './faults';
export type { LfsRedirect } from './hub-context';
export { KAGGLE_CREDENTIALS } from './kaggle-routes';

export interface FakeUpstreamOptions {
  /** Token gated Hub repos accept (`Authorization: Bearer …`); default `hf_fake_upstream_token`. */
  readonly hfToken?: string;
  /** Entries per page of the Hub tree listing before a `Link: rel="next"`; default 1000. */
  readonly treePageSize?: number;
  /** Where LFS resolve requests are redirected; default `same-origin` (`${hfUrl}/cdn/{sha256}`). */
  readonly lfsRedirect?: LfsRedirect;
  /** Status for unknown Hub repos; default 404 (the real Hub sends 401 to anonymous callers). */
  readonly repoNotFoundStatus?: 401 | 404;
  /** GitHub core budget; default 5000. */
  readonly githubRateLimit?: number;
  /** Clock for `x-ratelimit-reset` and Retry-After arithmetic, in milliseconds; default Date.now. */
  readonly now?: () => number;
}

export interface FakeUpstream {
  /** Origin of the fake, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Hub base URL, to pass as `hubUrl` (`${url}/hf`). */
  readonly hfUrl: string;
  /** GitHub API base URL, to pass as Octokit's `baseUrl` (`${url}/github`). */
  readonly githubUrl: string;
  /** Kaggle API base URL, to pass as `KAGGLE_API_URL` (`${url}/kaggle/api/v1`); see KAGGLE_CREDENTIALS. */
  readonly kaggleUrl: string;
  /** Origin of the second server that plays a CDN on a foreign origin. */
  readonly foreignUrl: string;
  readonly hfToken: string;
  /** Every request received, by either server, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  readonly fixtures: FixtureSet;
  inject(spec: FaultSpec): InjectedFault;
  /** Clears faults and the request log, restores the GitHub budget and the initial LFS redirect mode. */
  reset(): void;
  addModel(spec: HubRepoSpec): HubRepo;
  addDataset(spec: HubRepoSpec): HubRepo;
  addGithubRepo(spec: GithubRepoSpec): GithubRepo;
  setLfsRedirect(mode: LfsRedirect): void;
  /** Stops both servers and destroys every socket, hanging ones included. */
  close(): Promise<void>;
}

const flatten = (headers: IncomingMessage['headers']): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]));

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function write(res: ServerResponse, method: string, response: FakeResponse, fault: Fault | undefined): void {
  const noBody = response.status === 204 || response.status === 304;
  res.writeHead(response.status, noBody ? response.headers : { ...response.headers, 'content-length': String(response.body.length) });
  if (method === 'HEAD' || noBody) return void res.end();
  if (fault && 'truncateAfterBytes' in fault) {
    res.write(response.body.subarray(0, fault.truncateAfterBytes), () => res.socket?.destroy());
    return;
  }
  if (fault && 'corruptBody' in fault) {
    const body = Buffer.from(response.body);
    const middle = Math.floor(body.length / 2);
    body[middle] = (body[middle] ?? 0) ^ 0xff;
    return void res.end(body);
  }
  res.end(response.body);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Starts a fake Hugging Face Hub (`/hf`), GitHub API (`/github`) and Kaggle API (`/kaggle`) on loopback, plus a foreign CDN origin. */
export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const now = options.now ?? Date.now;
  const nowSeconds = (): number => Math.floor(now() / 1000);
  const fixtures = buildFixtures();
  const kaggle = kaggleDatasets();
  const faults = new FaultTable();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<{ timer: NodeJS.Timeout; done: () => void }>();
  const rateLimit = new GithubRateLimit(options.githubRateLimit ?? 5000, nowSeconds);
  const hubOptions: HubOptions = {
    token: options.hfToken ?? 'hf_fake_upstream_token',
    treePageSize: options.treePageSize ?? 1000,
    lfsRedirect: options.lfsRedirect ?? 'same-origin',
    repoNotFoundStatus: options.repoNotFoundStatus ?? 404,
  };
  let closed = false;
  const urls = { url: '', foreignUrl: '' };

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          timers.delete(entry);
          resolve();
        }, ms),
        done: resolve,
      };
      timers.add(entry);
    });

  const upstreamOf = (server: RecordedRequest['server'], path: string): Upstream =>
    server === 'foreign' ? 'other' : path.startsWith('/hf/') ? 'hf' : path.startsWith('/github/') && !path.startsWith('/github/codeload/') ? 'github' : 'other';

  async function route(request: FakeRequest, server: RecordedRequest['server']): Promise<FakeResponse> {
    const path = request.url.pathname;
    if (server === 'foreign') return path.startsWith('/cdn/') ? cdnRoute(fixtures, request, path.slice('/cdn/'.length)) : jsonResponse(404, { error: 'Not Found' });
    const hfUrl = `${urls.url}/hf`;
    if (path.startsWith('/hf/')) return routeHub({ fixtures, hfUrl, foreignUrl: urls.foreignUrl, options: hubOptions }, request, path.slice('/hf'.length));
    if (path.startsWith('/kaggle/')) return routeKaggle(kaggle, `${urls.url}/kaggle`, request, path.slice('/kaggle'.length));
    if (path.startsWith('/github/')) return routeGithub({ fixtures, githubUrl: `${urls.url}/github` }, request, path.slice('/github'.length));
    return jsonResponse(404, { error: 'Not Found' });
  }

  function decorate(upstream: Upstream, response: FakeResponse, serial: number): FakeResponse {
    if (upstream === 'hf') return { ...response, headers: { 'x-request-id': `Root=1-fake-${serial}`, ...response.headers } };
    if (upstream !== 'github') return response;
    const github = { 'x-github-api-version-selected': '2022-11-28', 'x-github-request-id': `FAKE:${serial}`, ...rateLimit.headers() };
    return { ...response, headers: { ...github, ...response.headers } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, server: RecordedRequest['server']): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', server === 'foreign' ? urls.foreignUrl : urls.url);
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname + url.search, url: url.href, headers: flatten(req.headers), server };
    requests.push(record);
    const upstream = upstreamOf(server, url.pathname);
    const serial = requests.length;
    const early = faults.beforeRouting(record);
    if (early && 'hang' in early) return;
    if (early && 'delayMs' in early) await sleep(early.delayMs);
    if (closed) return;
    const faulted = early ? statusFaultResponse(upstream, early, nowSeconds()) : undefined;
    const request: FakeRequest = { method: record.method, url, headers: req.headers, body };
    const limited = faulted ?? (upstream === 'github' ? rateLimit.spend() : undefined);
    const response = limited ?? (await route(request, server).catch((error: unknown) => jsonResponse(500, { error: `fake upstream bug: ${String(error)}` })));
    write(res, record.method, decorate(upstream, response, serial), limited ? undefined : faults.afterRouting(record, response));
  }

  const start = (server: RecordedRequest['server']): Server => {
    const http = createServer((req, res) => void handle(req, res, server).catch(() => res.destroy()));
    http.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    return http;
  };
  const main = start('upstream');
  const foreign = start('foreign');
  urls.url = await listen(main);
  urls.foreignUrl = await listen(foreign);

  return {
    url: urls.url,
    hfUrl: `${urls.url}/hf`,
    githubUrl: `${urls.url}/github`,
    kaggleUrl: `${urls.url}/kaggle/api/v1`,
    foreignUrl: urls.foreignUrl,
    hfToken: hubOptions.token,
    requests,
    fixtures,
    inject: (spec) => faults.inject(spec),
    reset: () => {
      faults.clear();
      requests.length = 0;
      rateLimit.restore();
      hubOptions.lfsRedirect = options.lfsRedirect ?? 'same-origin';
    },
    addModel: (spec) => addHubRepo(fixtures, 'model', spec),
    addDataset: (spec) => addHubRepo(fixtures, 'dataset', spec),
    addGithubRepo: (spec) => addGithubRepo(fixtures, spec),
    setLfsRedirect: (mode) => {
      hubOptions.lfsRedirect = mode;
    },
    close: async () => {
      closed = true;
      for (const entry of timers) {
        clearTimeout(entry.timer);
        entry.done();
      }
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await Promise.all([main, foreign].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}
