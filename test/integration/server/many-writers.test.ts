import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SweepUnusedContent } from '../../../src/application/sweep-unused-content.use-case';
import { loadConfig } from '../../../src/config';
import { blobsOf } from '../../../src/domain/artifact';
import { createContainer, resolve } from '../../../src/adapters/di/container';
import { Tokens } from '../../../src/adapters/di/tokens';
import { tinyPackage } from '../../support/hf-packages';
import { bundleRegistryServer, listeningUrl, startRegistryProcess, type RegistryProcess, type ServerBundle } from '../../support/registry-process';
import { startLocalS3, type LocalS3 } from '../../support/s3rver';
import { ADMIN, ADMIN_PASSWORD, CLOSED_UPSTREAM, login, send } from '../../support/test-registry';

const PROCESSES = 2;
const CLIENTS_PER_PROCESS = 4;
/** Load runs this long, and on a slow machine longer (up to 4 times) until this many uploads landed. */
const LOAD_MS = 3_000;
const MIN_UPLOADS = 16;

interface Registry {
  readonly child: RegistryProcess;
  readonly url: string;
  readonly token: string;
}

interface Tally {
  readonly statuses: Map<string, number>;
  readonly failures: string[];
}

/**
 * Every process on the same storage. The first creates the storage (a fresh local database's schema
 * is created by whoever opens it first) and seeds the admin; the others then start together.
 */
async function startRegistries(entry: string, env: Record<string, string>, started: RegistryProcess[]): Promise<Registry[]> {
  const start = async (): Promise<Registry> => {
    const child = startRegistryProcess({ PORT: '0', LOG_LEVEL: 'info', TMR_SWEEP_INTERVAL_MS: '0', ...env }, entry);
    started.push(child);
    everyChild.push(child);
    const url = await listeningUrl(child);
    return { child, url, token: await login(url, ADMIN, ADMIN_PASSWORD) };
  };
  const first = await start();
  return [first, ...(await Promise.all(Array.from({ length: PROCESSES - 1 }, start)))];
}

async function stopRegistries(children: readonly RegistryProcess[]): Promise<void> {
  for (const child of children) {
    if (child.process.exitCode === null) child.process.kill('SIGTERM');
    await child.exited;
  }
}

const count = (tally: Tally, operation: string, status: number): number => tally.statuses.get(`${operation} ${status}`) ?? 0;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

/**
 * One client: for a fixed time, uploads one of the shared contents, often replaces it with the
 * other, and deletes it again — so the last reference to a content keeps going away in one process
 * while another process is storing the same bytes. Now and then it deletes an artifact another
 * client made instead. Every answer must be a success, or 404/409 where another client got there first.
 */
async function client(registry: Registry, zips: readonly Buffer[], live: string[], loading: () => boolean, tally: Tally): Promise<void> {
  const note = (operation: string, status: number, body: unknown): void => {
    const key = `${operation} ${status}`;
    tally.statuses.set(key, (tally.statuses.get(key) ?? 0) + 1);
    if (status >= 500 || (status >= 400 && status !== 404 && status !== 409)) tally.failures.push(`${key}: ${JSON.stringify(body)}`);
  };
  const auth = { token: registry.token };
  while (loading()) {
    const created = await send<{ metadata: { id: string } }>(registry.url, 'POST', '/artifact/model?name=shared', { body: pick(zips), contentType: 'application/zip', ...auth });
    note('upload', created.status, created.body);
    if (created.status !== 201) continue;
    live.push(created.body.metadata.id);
    if (Math.random() < 0.5) {
      const replaced = await send(registry.url, 'PUT', `/artifacts/model/${created.body.metadata.id}?name=shared`, { body: pick(zips), contentType: 'application/zip', ...auth });
      note('replace', replaced.status, replaced.body);
    }
    const id = Math.random() < 0.2 ? (pick(live) as string) : created.body.metadata.id;
    const deleted = await send(registry.url, 'DELETE', `/artifacts/model/${id}`, auth);
    note('delete', deleted.status, deleted.body);
    if (live.includes(id)) live.splice(live.indexOf(id), 1);
  }
}

async function mixedLoad(registries: readonly Registry[]): Promise<Tally> {
  // Two contents that share a part (the same config.json): content is shared across artifacts and across contents.
  const zips = [await tinyPackage('shared content one'), await tinyPackage('shared content two')];
  const tally: Tally = { statuses: new Map(), failures: [] };
  const live: string[] = [];
  const started = Date.now();
  const loading = (): boolean => {
    const elapsed = Date.now() - started;
    return elapsed < LOAD_MS || (count(tally, 'upload', 201) < MIN_UPLOADS && elapsed < 4 * LOAD_MS);
  };
  await Promise.all(registries.flatMap((registry) => Array.from({ length: CLIENTS_PER_PROCESS }, () => client(registry, zips, live, loading, tally))));
  return tally;
}

interface StoreState {
  readonly records: number;
  readonly missing: string[];
  readonly orphans: string[];
  readonly claims: number;
}

/**
 * Looks at the shared storage itself, from this process, once every registry has stopped: records
 * whose content is missing, stored content no record refers to (after a sweep with no grace when
 * `sweep` is set), and claims left behind.
 */
async function inspectStore(env: Record<string, string>, sweep: boolean): Promise<StoreState> {
  const container = createContainer(loadConfig({
    LOG_LEVEL: 'silent', HF_ENDPOINT: CLOSED_UPSTREAM, GITHUB_API_URL: CLOSED_UPSTREAM, TMR_SWEEP_GRACE_MS: '0', TMR_SWEEP_INTERVAL_MS: '0', ...env,
  }));
  try {
    if (sweep) await container.resolve(SweepUnusedContent).execute();
    const repository = resolve(container, Tokens.ArtifactRepository);
    const blobs = resolve(container, Tokens.BlobStore);
    const referenced = new Set<string>();
    let records = 0;
    for (let after: string | undefined; ;) {
      const page = await repository.list({}, after, 100);
      records += page.length;
      page.forEach((record) => blobsOf(record).forEach((sha) => referenced.add(sha)));
      if (page.length < 100) break;
      after = page[page.length - 1]?.id;
    }
    const stored = new Set<string>();
    for await (const blob of blobs.list()) stored.add(blob.sha256);
    const claims = resolve(container, Tokens.LeaseStore);
    return {
      records,
      missing: [...referenced].filter((sha) => !stored.has(sha)),
      orphans: [...stored].filter((sha) => !referenced.has(sha)),
      claims: (await claims.list('lease')).length + (await claims.list('deletion')).length,
    };
  } finally {
    await resolve(container, Tokens.Lifecycle).close();
  }
}

let bundle: ServerBundle;
/** Every process any test started, so none outlives the file even when a test times out. */
const everyChild: RegistryProcess[] = [];

function describeStorage(name: string, setUp: () => Promise<{ env: Record<string, string>; tearDown: () => Promise<void> }>): void {
  describe(`${PROCESSES} registry processes on one ${name}`, function () {
    this.timeout(90_000);

    it('when the same content is uploaded, replaced and deleted concurrently through both, then no record loses its content and a sweep leaves no orphan', async () => {
      const storage = await setUp();
      const children: RegistryProcess[] = [];
      try {
        const registries = await startRegistries(bundle.entry, storage.env, children);
        const tally = await mixedLoad(registries);
        await stopRegistries(children);

        const summary = JSON.stringify(Object.fromEntries(tally.statuses));
        // The processes' own account of any failure, to read beside the assertion.
        if (tally.failures.length > 0) console.log(children.map((child) => child.output().split('\n').filter((line) => line.includes('"level":50')).slice(0, 3).join('\n')).join('\n'));
        expect(tally.failures, 'every answer is a success, 404 or 409').to.deep.equal([]);
        expect(count(tally, 'upload', 201), `uploads landed: ${summary}`).to.be.at.least(MIN_UPLOADS);
        expect(count(tally, 'delete', 200), `deletes landed: ${summary}`).to.be.at.least(MIN_UPLOADS / 2);
        expect(count(tally, 'replace', 200), `replacements landed: ${summary}`).to.be.at.least(2);
        const before = await inspectStore(storage.env, false);
        expect(before.missing, 'every record\'s content exists').to.deep.equal([]);
        expect(before.claims, 'every lease and deletion claim was released').to.equal(0);
        const after = await inspectStore(storage.env, true);
        expect(after, 'after a sweep with no grace, every stored blob is referenced').to.deep.equal({ records: before.records, missing: [], orphans: [], claims: 0 });
      } finally {
        await stopRegistries(children);
        await storage.tearDown();
      }
    });
  });
}

describe('many writers', function () {
  this.timeout(60_000);
  before(async () => {
    bundle = await bundleRegistryServer();
  });
  after(async () => {
    everyChild.filter((child) => child.process.exitCode === null).forEach((child) => child.process.kill('SIGKILL'));
    await bundle.remove();
  });

  describeStorage('local data directory', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tmr-writers-'));
    return { env: { TMR_STORAGE: 'local', TMR_DATA_DIR: dataDir }, tearDown: () => rm(dataDir, { recursive: true, force: true }) };
  });

  describeStorage('s3rver bucket', async () => {
    const s3: LocalS3 = await startLocalS3();
    const bucket = await s3.newBucket();
    return { env: s3.env(bucket), tearDown: () => s3.close() };
  });
});
