import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Readable } from 'node:stream';
import { createLambdaRegistry, createLambdaSweeper, type ApiGatewayEvent, type ApiGatewayResult, type LambdaRegistry } from '../../../src/adapters/lambda/handler';
import { Tokens } from '../../../src/adapters/di/tokens';
import { createContainer, resolve } from '../../../src/adapters/di/container';
import type { ArtifactRecord } from '../../../src/domain/artifact';
import { aRecord } from '../../support/use-case-fixture';
import type { RecentLogs } from '../../../src/adapters/system/recent-logs';
import { Argon2PasswordHasher } from '../../../src/adapters/system/system-adapters';
import { loadConfig } from '../../../src/config';
import { tinyPackage } from '../../support/hf-packages';
import { startLocalS3, type LocalS3 } from '../../support/s3rver';
import { ADMIN, ADMIN_PASSWORD } from '../../support/test-registry';
import { DOMAIN, lambdaContext, v1Event, v2Event, type HttpCall } from './api-gateway-events';

interface Result {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly isBase64Encoded: boolean;
}

/** Every staged upload of every in-memory instance on this machine (each has its own scratch directory). */
async function stagedUploads(): Promise<string[]> {
  const root = join(tmpdir(), 'tmr-scratch');
  const found: string[] = [];
  for (const instance of await readdir(root).catch(() => [] as string[])) {
    for (const name of await readdir(join(root, instance, 'uploads')).catch(() => [] as string[])) found.push(join(instance, name));
  }
  return found;
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** The result as API Gateway would turn it into an HTTP response. */
function decode(result: ApiGatewayResult): Result {
  const raw = result as { statusCode?: number; headers?: Record<string, unknown>; body?: string; isBase64Encoded?: boolean };
  const headers = Object.fromEntries(Object.entries(raw.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));
  const isBase64Encoded = raw.isBase64Encoded === true;
  return { statusCode: raw.statusCode ?? 0, headers, isBase64Encoded, body: Buffer.from(raw.body ?? '', isBase64Encoded ? 'base64' : 'utf8') };
}
const json = <T>(result: Result): T => JSON.parse(result.body.toString('utf8')) as T;

const registryFor = (env: Record<string, string>): LambdaRegistry =>
  createLambdaRegistry(() => loadConfig({ LOG_LEVEL: 'silent', ...env }), {
    validateResponses: true,
    configure: (container) => container.register(Tokens.PasswordHasher, { useValue: new Argon2PasswordHasher({ memoryCost: 1024, timeCost: 1 }) }),
  });

const FORMATS: readonly { name: string; event: (call: HttpCall) => ApiGatewayEvent }[] = [
  { name: 'API Gateway payload 1.0', event: v1Event },
  { name: 'HTTP API payload 2.0', event: v2Event },
];

let counter = 0;
const nextRequestId = (): string => `c0ffee00-0000-4000-8000-${String((counter += 1)).padStart(12, '0')}`;

for (const format of FORMATS) {
  describe(`Lambda handler with ${format.name} events`, () => {
    const invoke = async (registry: LambdaRegistry, call: Omit<HttpCall, 'requestId'> & { requestId?: string }): Promise<Result> => {
      const requestId = call.requestId ?? nextRequestId();
      return decode(await registry.handler(format.event({ ...call, requestId }), lambdaContext(`lambda-${requestId}`)));
    };
    const login = async (registry: LambdaRegistry): Promise<string> => {
      const response = await invoke(registry, {
        method: 'PUT',
        url: '/authenticate',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: { name: ADMIN, is_admin: true }, secret: { password: ADMIN_PASSWORD } }),
      });
      expect(response.statusCode, response.body.toString()).to.equal(200);
      return json<string>(response);
    };

    describe('in memory mode', () => {
      let registry: LambdaRegistry;
      before(() => {
        registry = registryFor({ TMR_STORAGE: 'memory' });
      });
      after(() => registry.close());

      it('when GET /health is invoked, then it answers 200 JSON carrying the gateway request id', async () => {
        const response = await invoke(registry, { method: 'GET', url: '/health', requestId: 'JKJaXmPLvHcESHA=' });

        expect(response.statusCode).to.equal(200);
        expect(response.headers['content-type']).to.match(/^application\/json/);
        expect(json<{ status: string }>(response).status).to.equal('ok');
        expect(response.headers['x-request-id']).to.equal('JKJaXmPLvHcESHA');
      });

      it('when an administrator asks the function for a performance run, then it answers 503: a function has no process to drive the load from', async () => {
        const token = await login(registry);
        const response = await invoke(registry, {
          method: 'POST',
          url: '/admin/performance-runs',
          headers: { 'Content-Type': 'application/json', 'X-Authorization': token },
          body: JSON.stringify({ clients: 2, requests: 2, populate: true }),
        });

        expect(response.statusCode, response.body.toString()).to.equal(503);
        expect(json<{ code: string }>(response).code).to.equal('PERFORMANCE.UNAVAILABLE');
      });

      it('when invocations complete, then each request is logged as completed, not aborted', async () => {
        let logs: RecentLogs | undefined;
        const logged = createLambdaRegistry(() => loadConfig({ LOG_LEVEL: 'silent', TMR_STORAGE: 'memory' }), {
          configure: (container) => {
            logs = container.resolve<RecentLogs>(Tokens.RecentLogs);
          },
        });
        try {
          expect((await invoke(logged, { method: 'GET', url: '/health' })).statusCode).to.equal(200);
          expect((await invoke(logged, { method: 'POST', url: '/artifacts' })).statusCode).to.equal(403);
          const outcomes = (logs?.recent(50) ?? []).map((line) => line.message).filter((message) => message.startsWith('request '));
          expect(outcomes).to.deep.equal(['request completed', 'request completed']);
        } finally {
          await logged.close();
        }
      });

      it('when a client sends its own request id, then the gateway id still names the request', async () => {
        const response = await invoke(registry, { method: 'POST', url: '/artifacts', headers: { 'X-Request-Id': 'client-chosen' }, requestId: 'gw-id-1' });

        expect(response.statusCode).to.equal(403);
        expect(response.headers['x-request-id']).to.equal('gw-id-1');
        expect(json<{ request_id: string }>(response).request_id).to.equal('gw-id-1');
      });

      it('when an artifact is registered with a forged Host header, then its download_url is on the gateway\'s own domain', async () => {
        const token = await login(registry);
        const response = await invoke(registry, {
          method: 'POST',
          url: '/artifact/code?name=hosted',
          headers: { 'Content-Type': 'application/zip', 'X-Authorization': token, Host: 'evil.example', 'X-Forwarded-Host': 'evil.example' },
          body: await tinyPackage('hosted'),
        });
        expect(response.statusCode, response.body.toString()).to.equal(201);
        const created = json<{ metadata: { id: string }; data: { download_url: string } }>(response);
        const stage = format.name.includes('1.0') ? '/prod' : '';
        expect(created.data.download_url).to.equal(`https://${DOMAIN}${stage}/artifacts/code/${created.metadata.id}/download`);
      });

      it('when a token from PUT /authenticate is used in a later invocation, then POST /artifacts accepts it', async () => {
        const token = await login(registry);

        const response = await invoke(registry, {
          method: 'POST',
          url: '/artifacts',
          headers: { 'Content-Type': 'application/json', 'X-Authorization': token },
          body: JSON.stringify([{ name: '*' }]),
        });

        expect(response.statusCode, response.body.toString()).to.equal(200);
        expect(json<unknown[]>(response)).to.be.an('array');
      });

      it('when a zip is uploaded base64-encoded and downloaded, then the download is the same bytes, base64-encoded', async () => {
        const token = await login(registry);
        const zip = await tinyPackage('lambda-bert');
        const stagedBefore = await stagedUploads();

        const created = await invoke(registry, {
          method: 'POST',
          url: '/artifact/model?name=lambda-bert&version=1.0.0',
          headers: { 'Content-Type': 'application/zip', 'X-Authorization': token },
          body: zip,
        });
        expect(created.statusCode, created.body.toString()).to.equal(201);
        expect((await stagedUploads()).filter((name) => !stagedBefore.includes(name)), 'the staged zip is gone when the answer is').to.deep.equal([]);
        const id = json<{ metadata: { id: string } }>(created).metadata.id;

        const download = await invoke(registry, { method: 'GET', url: `/artifacts/model/${id}/download`, headers: { 'X-Authorization': token } });

        expect(download.statusCode).to.equal(200);
        expect(download.isBase64Encoded).to.equal(true);
        expect(download.headers['content-type']).to.equal('application/zip');
        expect(download.body.equals(zip)).to.equal(true);
        expect(download.headers['x-content-sha256']).to.equal(sha256(zip));
      });
    });

    describe('in S3 mode', () => {
      let s3: LocalS3;
      let registry: LambdaRegistry;
      before(async () => {
        s3 = await startLocalS3();
        registry = registryFor(s3.env(await s3.newBucket()));
      });
      after(async () => {
        await registry.close();
        await s3.close();
      });

      it('when a package is downloaded, then the answer is a 302 to a presigned URL that serves the bytes', async () => {
        const token = await login(registry);
        const zip = await tinyPackage('lambda-s3-bert');
        const created = await invoke(registry, {
          method: 'POST',
          url: '/artifact/model?name=lambda-s3-bert',
          headers: { 'Content-Type': 'application/zip', 'X-Authorization': token },
          body: zip,
        });
        expect(created.statusCode, created.body.toString()).to.equal(201);
        const id = json<{ metadata: { id: string } }>(created).metadata.id;

        const download = await invoke(registry, { method: 'GET', url: `/artifacts/model/${id}/download`, headers: { 'X-Authorization': token } });

        expect(download.statusCode).to.equal(302);
        expect(download.headers['x-content-sha256']).to.equal(sha256(zip));
        const location = download.headers.location ?? '';
        expect(location.startsWith(`${s3.endpoint}/`)).to.equal(true);
        const fetched = await fetch(location);
        expect(fetched.status).to.equal(200);
        expect(Buffer.from(await fetched.arrayBuffer()).equals(zip)).to.equal(true);
      });

      it('when S3 is unreachable at a cold start, then it answers 503 and the next invocation starts properly', async () => {
        const cold = registryFor(s3.env(await s3.newBucket()));
        await s3.stop();
        try {
          const refused = await invoke(cold, { method: 'GET', url: '/health', requestId: 'cold-1' });

          expect(refused.statusCode).to.equal(503);
          expect(json<{ code: string; request_id: string }>(refused)).to.include({ code: 'STORAGE.UNAVAILABLE', request_id: 'cold-1' });
          await s3.start();
          const served = await invoke(cold, { method: 'GET', url: '/health' });
          expect(served.statusCode).to.equal(200);
          await login(cold);
        } finally {
          await s3.start();
          await cold.close();
        }
      });
    });
  });
}

describe('Lambda sweeper (the scheduled function)', () => {
  let s3: LocalS3;
  before(async () => {
    s3 = await startLocalS3();
  });
  after(() => s3.close());

  it('when it runs on a bucket with referenced content, an orphan, a crashed holder\'s lease and an expired transaction, then the transaction is aborted and only the orphan, the lease and the staged content go', async () => {
    const env = { LOG_LEVEL: 'silent', TMR_SWEEP_GRACE_MS: '0', ...s3.env(await s3.newBucket()) };
    const storage = createContainer(loadConfig(env));
    const sweeper = createLambdaSweeper(() => loadConfig(env));
    try {
      const blobs = resolve(storage, Tokens.BlobStore);
      const kept = await blobs.put(Readable.from([Buffer.from('content a record refers to')]));
      const orphan = await blobs.put(Readable.from([Buffer.from('content a crashed upload left')]));
      const record = aRecord({ id: '01JD0000000000000000000001' });
      await resolve(storage, Tokens.ArtifactRepository).create({ ...record, package: { ...record.package, full: { sha256: kept.sha256, size: kept.size, fileCount: 1 }, parts: {} } } as ArtifactRecord);
      await resolve(storage, Tokens.LeaseStore).put({ kind: 'lease', sha256: orphan.sha256, holder: 'c0ffee', expiresAt: new Date(Date.now() - 1000) });
      // An abandoned transaction: expired an hour ago, still holding the content it staged.
      const staged = await blobs.put(Readable.from([Buffer.from('content an abandoned release staged')]));
      const draft = aRecord({ id: '01JD0000000000000000000002' });
      const stagedRecord = { ...draft, package: { ...draft.package, full: { sha256: staged.sha256, size: staged.size, fileCount: 1 }, parts: {} } } as ArtifactRecord;
      const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
      await resolve(storage, Tokens.TransactionStore).create({
        id: '01JD00000000000000000000T1', status: 'open', createdBy: 'ece30861defaultadminuser', createdAt: hourAgo, expiresAt: hourAgo, revision: 1,
        items: [{ index: 0, action: 'create', artifact: { name: draft.name, id: draft.id, type: draft.type }, record: stagedRecord }],
      });

      const report = await sweeper.handler({ 'detail-type': 'Scheduled Event', source: 'aws.events' }, lambdaContext('sweep-1'));

      expect(report).to.deep.include({ abortedTransactions: 1, expiredClaims: 1 });
      expect(await blobs.head(kept.sha256)).to.equal(kept.size);
      expect(await blobs.head(orphan.sha256)).to.equal(undefined);
      expect(await blobs.head(staged.sha256)).to.equal(undefined);
      expect((await resolve(storage, Tokens.TransactionStore).get('01JD00000000000000000000T1'))?.status ?? 'forgotten').to.be.oneOf(['aborted', 'forgotten']);
      expect(await resolve(storage, Tokens.LeaseStore).list('lease')).to.deep.equal([]);
    } finally {
      await sweeper.close();
      await resolve(storage, Tokens.Lifecycle).close();
    }
  });
});
