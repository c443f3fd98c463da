import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { createS3Storage, type S3Storage, type S3Tuning } from '../../../src/adapters/storage/s3/s3-storage';
import { markerDirectory, markerKey, recordKey } from '../../../src/adapters/storage/s3/s3-layout';
import type { ArtifactRecord } from '../../../src/domain/artifact';
import type { ArtifactRepository, SearchableText } from '../../../src/ports/artifact-repository.port';
import { ErrorCode } from '../../../src/domain/errors';
import { startLocalS3, type LocalS3, type S3Request } from '../../support/s3rver';
import {
  anArtifact,
  artifactId,
  artifactRepositoryContract,
  auditLogContract,
  blobStoreContract,
  revised,
  sha256Of,
  tokenStoreContract,
  userStoreContract,
  type SubjectFactory,
} from '../../support/storage-contract';
import { blobListingContract, leaseStoreContract } from '../../support/lease-store-contract';
import { expectRejection, pseudoRandomBytes, readAll } from '../../support/zip-builder';
import { packageOf } from '../../support/records';

const MIB = 1024 * 1024;
/** One retry and short timeouts: an outage shows within a second instead of the production ten. */
const FAST: S3Tuning = { maxAttempts: 2, connectionTimeoutMs: 500, requestTimeoutMs: 2_000 };

const isPut = (prefix: string) => (request: S3Request): boolean => request.method === 'PUT' && request.key.startsWith(prefix);

describe('S3 storage adapters', () => {
  let s3: LocalS3;
  const opened: S3Storage[] = [];
  const open = (bucket: string, tuning: S3Tuning = FAST): S3Storage => {
    const storage = createS3Storage(s3.config(bucket), tuning);
    opened.push(storage);
    return storage;
  };

  before(async () => {
    s3 = await startLocalS3();
  });
  afterEach(() => opened.splice(0).forEach((storage) => storage.close()));
  after(() => s3.close());

  const onFreshBucket = <T>(pick: (storage: S3Storage) => T): SubjectFactory<T> => async () => {
    const storage = createS3Storage(s3.config(await s3.newBucket()), FAST);
    return { subject: pick(storage), close: async () => storage.close() };
  };

  artifactRepositoryContract('S3ArtifactRepository', onFreshBucket((storage) => storage.artifacts));
  blobStoreContract('S3BlobStore', onFreshBucket((storage) => storage.blobs));
  blobListingContract('S3BlobStore', onFreshBucket((storage) => storage.blobs));
  leaseStoreContract('S3LeaseStore', onFreshBucket((storage) => storage.claims));
  userStoreContract('S3UserStore', onFreshBucket((storage) => storage.users));
  tokenStoreContract('S3TokenStore', onFreshBucket((storage) => storage.tokens));
  auditLogContract('S3AuditLog', onFreshBucket((storage) => storage.audit));

  /** Every key under `prefix`, through a plain client: what is really in the bucket. */
  async function keysUnder(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await s3.client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(after === undefined ? {} : { StartAfter: after }) }));
      keys.push(...(page.Contents ?? []).map((item) => item.Key ?? ''));
      if (page.IsTruncated !== true) return keys;
      after = keys[keys.length - 1];
    }
  }

  describe('a bucket with more than 1,000 records, and an instance that has scanned them once', function () {
    this.timeout(30_000);
    const COUNT = 1_100;
    const records = Array.from({ length: COUNT }, (_, index) => anArtifact(index + 1, 'code'));
    let bucket: string;
    let artifacts: ArtifactRepository;
    let firstScan: SearchableText[];
    let secondScan: SearchableText[];

    before(async () => {
      bucket = await s3.newBucket();
      // Written straight into the server, as an earlier deployment would have left them: 1,100 records
      // through the adapter would cost 5,500 PUTs for nothing this suite looks at.
      await s3.seed(bucket, records.flatMap((record) => [
        { key: recordKey(record.id), body: JSON.stringify(record) },
        { key: markerKey(markerDirectory.name(record.name), record.id, 'seeded'), body: '' },
      ]));
      artifacts = createS3Storage(s3.config(bucket), FAST).artifacts;
      firstScan = await artifacts.scanText(undefined, 1_000);
      secondScan = await artifacts.scanText(firstScan[firstScan.length - 1]?.id, 1_000);
    });

    it('when the searchable text is scanned in batches of 1,000, then the second batch holds the last 100', () => {
      expect(firstScan.map((text) => text.id)).to.deep.equal(records.slice(0, 1_000).map((record) => record.id));
      expect(secondScan.map((text) => text.id)).to.deep.equal(records.slice(1_000).map((record) => record.id));
      expect(secondScan[0]).to.deep.equal({ id: artifactId(1_001), name: 'transformers', type: 'code', cardText: '' });
    });

    it('when it scans again, then it lists again but reads no record: bodies are cached by ETag', async () => {
      const before = s3.requests.length;

      const again = await artifacts.scanText(undefined, 1_000);

      const requests = s3.requests.slice(before);
      expect(again).to.deep.equal(firstScan);
      expect(requests.filter((request) => request.key !== '')).to.deep.equal([]);
      expect(requests).to.have.length(1);
    });

    it('when everything is listed in pages of 400, then each of the 1,100 records is seen once, in id order', async () => {
      const seen: string[] = [];
      let after: string | undefined;
      for (let page = await artifacts.list({}, after, 400); page.length > 0; page = await artifacts.list({}, after, 400)) {
        seen.push(...page.map((record) => record.id));
        after = page[page.length - 1]?.id;
      }

      expect(seen).to.deep.equal(records.map((record) => record.id));
      expect(await artifacts.count()).to.equal(COUNT);
    });

    it('when a name and type filter matches 1,100 markers, then reading past the first 1,000 loses nothing', async () => {
      const first = await artifacts.list({ name: 'transformers', types: ['code'] }, undefined, 1_050);
      const rest = await artifacts.list({ name: 'transformers', types: ['code'] }, first[first.length - 1]?.id, 1_050);

      expect(first).to.have.length(1_050);
      expect([...first, ...rest].map((record) => record.id)).to.deep.equal(records.map((record) => record.id));
      expect(await artifacts.list({ name: 'transformers', types: ['model', 'dataset'] }, artifactId(1_090), 10)).to.deep.equal([]);
    });

    it('when another instance changes a cached record, then the next scan sees the change', async () => {
      const target = records[2] as ArtifactRecord;
      const writer = open(bucket).artifacts;
      await writer.update(revised(target, { name: 'transformers-renamed' }), target.revision);

      const texts = await artifacts.scanText(undefined, 5);

      expect(texts[2]?.name).to.equal('transformers-renamed');
    });
  });

  describe('concurrent writers in separate instances', () => {
    it('when eight instances update the same revision at once, then exactly one wins and the others get ARTIFACT.CONFLICT', async () => {
      const bucket = await s3.newBucket();
      const record = anArtifact(1);
      await open(bucket).artifacts.create(record);
      const writers = Array.from({ length: 8 }, () => open(bucket).artifacts);
      await Promise.all(writers.map((writer) => writer.get(record.id)));

      const results = await Promise.allSettled(writers.map((writer, index) => writer.update(revised(record, { version: `2.0.${index}` }), record.revision)));

      const won = results.flatMap((result, index) => (result.status === 'fulfilled' ? [index] : []));
      expect(won).to.have.length(1);
      for (const result of results) if (result.status === 'rejected') expect((result.reason as { code?: string }).code).to.equal(ErrorCode.ArtifactConflict);
      expect((await open(bucket).artifacts.get(record.id))?.version).to.equal(`2.0.${won[0]}`);
    });

    it('when two instances create the same id at once, then one wins and the loser removes only its own markers', async () => {
      const bucket = await s3.newBucket();
      const model = anArtifact(1, 'model');
      const dataset = anArtifact(1, 'dataset');
      const [a, b] = [open(bucket).artifacts, open(bucket).artifacts];

      const results = await Promise.allSettled([a.create(model), b.create(dataset)]);

      expect(results.filter((result) => result.status === 'fulfilled')).to.have.length(1);
      const winner = (await open(bucket).artifacts.get(model.id))?.type === 'model' ? model : dataset;
      const loser = winner === model ? dataset : model;
      const loserOnly = packageOf(loser).parts.weights ?? packageOf(loser).parts.datasets;
      expect(await a.isBlobReferenced(packageOf(winner).full.sha256)).to.equal(true);
      expect(await a.list({ name: winner.name }, undefined, 10)).to.have.length(1);
      expect(await a.list({ name: loser.name }, undefined, 10)).to.deep.equal([]);
      expect(await keysUnder(bucket, `refs/${loserOnly?.sha256 ?? ''}/`)).to.deep.equal([]);
      expect(await keysUnder(bucket, `types/${loser.type}/`)).to.deep.equal([]);
      expect(await keysUnder(bucket, `types/${winner.type}/`)).to.have.length(1);
    });

    it('when two instances spend one token 300 times each at once, then exactly its 500 uses are granted', async () => {
      const bucket = await s3.newBucket();
      const [a, b] = [open(bucket).tokens, open(bucket).tokens];
      const hash = sha256Of('shared-secret');
      await a.issue(hash, { userName: 'alice', issuedAt: 0, expiresAt: 10_000, maxUses: 500 });

      const uses = await Promise.all([a, b].flatMap((store) => Array.from({ length: 300 }, () => store.consume(hash, 1))));

      expect(uses.filter((user) => user === 'alice')).to.have.length(500);
      expect(await a.consume(hash, 1)).to.equal(undefined);
    });

    it('when a token is revoked while another instance is spending it, then the spend cannot bring it back', async () => {
      const bucket = await s3.newBucket();
      const [a, b] = [open(bucket).tokens, open(bucket).tokens];
      const hash = sha256Of('revoked-secret');
      await a.issue(hash, { userName: 'mallory', issuedAt: 0, expiresAt: 10_000, maxUses: 1_000 });
      const write = s3.fail((request) => request.method === 'PUT' && request.key === `tokens/${hash}`, 'hang');
      const spending = b.consume(hash, 1);
      await write.struck;

      await a.revokeUser('mallory');
      write.clear();
      await s3.stop();
      await s3.start();

      await spending.catch(() => undefined);
      expect(await keysUnder(bucket, 'tokens/')).to.deep.equal([]);
      expect(await a.consume(hash, 1)).to.equal(undefined);
    });
  });

  describe('writers that die or lose their answer', () => {
    it('when the record write fails after the markers were written, then the markers are removed and nothing is visible', async () => {
      const bucket = await s3.newBucket();
      const { artifacts } = open(bucket);
      const record = anArtifact(1);
      const fault = s3.fail(isPut('artifacts/'), 'error', Infinity);

      await expectRejection(artifacts.create(record), ErrorCode.StorageUnavailable);

      fault.clear();
      expect(await artifacts.get(record.id)).to.equal(undefined);
      expect(await artifacts.list({ name: record.name }, undefined, 10)).to.deep.equal([]);
      expect(await keysUnder(bucket, 'names/')).to.deep.equal([]);
      expect(await keysUnder(bucket, 'refs/')).to.deep.equal([]);
    });

    it('when S3 stores a record but its answer is lost, then the retried conditional write is recognised as this one', async () => {
      const bucket = await s3.newBucket();
      const { artifacts } = open(bucket);
      const record = anArtifact(1);
      const fault = s3.fail(isPut('artifacts/'), 'lose-answer');

      await artifacts.create(record);

      await fault.struck;
      expect(s3.requests.filter((request) => request.bucket === bucket && isPut('artifacts/')(request)), 'the SDK retried').to.have.length(2);
      expect(await open(bucket).artifacts.get(record.id)).to.deep.equal(record);
      expect((await artifacts.list({ name: record.name }, undefined, 10)).map((stored) => stored.id)).to.deep.equal([record.id]);
      expect(await artifacts.isBlobReferenced(packageOf(record).full.sha256)).to.equal(true);
    });

    it('when S3 deletes a record but its answer is lost, then the delete still reports the record removed and its markers go', async () => {
      const bucket = await s3.newBucket();
      const { artifacts } = open(bucket);
      const record = anArtifact(1);
      await artifacts.create(record);
      const fault = s3.fail((request) => request.method === 'DELETE' && request.key.startsWith('artifacts/'), 'lose-answer');

      expect(await artifacts.delete(record.id), 'this delete removed it').to.equal(true);

      await fault.struck;
      expect(await open(bucket).artifacts.get(record.id)).to.equal(undefined);
      expect(await keysUnder(bucket, 'refs/')).to.deep.equal([]);
      expect(await keysUnder(bucket, 'names/')).to.deep.equal([]);
    });

    it('when an orphan ref marker is young it still protects its blob; once old it is ignored and removed', async () => {
      const bucket = await s3.newBucket();
      const sha = sha256Of('weights of a crashed upload');
      const key = `refs/${sha}/${artifactId(9)}!deadbeef0000`;
      await s3.client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.alloc(0), ContentLength: 0 }));

      expect(await open(bucket).artifacts.isBlobReferenced(sha), 'may be a write in flight').to.equal(true);
      expect(await keysUnder(bucket, 'refs/')).to.deep.equal([key]);

      expect(await open(bucket, { ...FAST, markerGraceMs: 0 }).artifacts.isBlobReferenced(sha)).to.equal(false);
      expect(await keysUnder(bucket, 'refs/')).to.deep.equal([]);
    });
  });

  describe('large blobs', () => {
    const content = pseudoRandomBytes(20 * MIB, 5);
    const digest = createHash('sha256').update(content).digest('hex');

    it('when 20 MiB are streamed, then they go up in parts to a temporary key and land under their digest', async () => {
      const bucket = await s3.newBucket();
      const { blobs } = open(bucket);
      const before = s3.requests.length;

      const stored = await blobs.put(Readable.from([content.subarray(0, 3 * MIB), content.subarray(3 * MIB)]));

      const requests = s3.requests.slice(before);
      expect(stored).to.deep.equal({ sha256: digest, size: content.length, created: true });
      expect(requests.filter((request) => 'partNumber' in request.query)).to.have.length(3);
      expect(requests.filter((request) => request.method === 'POST' && 'uploadId' in request.query)).to.have.length(1);
      expect(await keysUnder(bucket, '')).to.deep.equal([`blobs/${digest.slice(0, 2)}/${digest}`]);
      expect((await readAll(await blobs.get(digest))).equals(content)).to.equal(true);
      expect((await blobs.put(Readable.from([content]))).created).to.equal(false);
      expect(await keysUnder(bucket, 'tmp/')).to.deep.equal([]);
    });

    it('when the source fails after two parts, then the upload is aborted and nothing remains', async () => {
      const bucket = await s3.newBucket();
      const { blobs } = open(bucket);
      const failing = Readable.from((function* () {
        yield content.subarray(0, 17 * MIB);
        throw new Error('upstream closed the connection');
      })());
      const before = s3.requests.length;

      const error = await blobs.put(failing).then(() => undefined, (failure: unknown) => failure);

      expect((error as Error).message).to.equal('upstream closed the connection');
      expect(s3.requests.slice(before).filter((request) => request.method === 'DELETE' && 'uploadId' in request.query)).to.have.length(1);
      expect(await keysUnder(bucket, '')).to.deep.equal([]);
    });

    it('when S3 goes away during a part upload, then the put fails with STORAGE.UNAVAILABLE and no blob appears', async () => {
      const bucket = await s3.newBucket();
      const { blobs } = open(bucket);
      s3.fail((request) => request.query.partNumber === '2', 'stop');

      await expectRejection(blobs.put(Readable.from([content])), ErrorCode.StorageUnavailable);

      await s3.start();
      expect(await blobs.head(digest)).to.equal(undefined);
      expect(await keysUnder(bucket, '')).to.deep.equal([]);
      expect((await blobs.put(Readable.from([content]))).created).to.equal(true);
    });
  });

  describe('presigned downloads', () => {
    it('when a blob is presigned, then fetching the URL gives its bytes as an attachment without any credentials', async () => {
      const bucket = await s3.newBucket();
      const { blobs } = open(bucket);
      const weights = pseudoRandomBytes(300_000, 9);
      const { sha256 } = await blobs.put(Readable.from([weights]));

      const url = await blobs.presignGet?.(sha256, { filename: 'tiny-bert-weights.zip', expiresInSeconds: 300 });
      const response = await fetch(url ?? '');

      expect(response.status).to.equal(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(weights)).to.equal(true);
      expect(response.headers.get('content-disposition')).to.equal('attachment; filename="tiny-bert-weights.zip"');
      expect(new URL(url ?? '').searchParams.get('X-Amz-Expires')).to.equal('300');
    });

    it('when the caller asks for longer than the configured lifetime, then the URL expires at the configured one', async () => {
      const bucket = await s3.newBucket();
      const storage = createS3Storage({ ...s3.config(bucket), presignSeconds: 60 }, FAST);
      opened.push(storage);

      const url = await storage.blobs.presignGet?.(sha256Of('x'), { filename: 'x.zip', expiresInSeconds: 300 });

      expect(new URL(url ?? '').searchParams.get('X-Amz-Expires')).to.equal('60');
    });
  });

  describe('when S3 is unreachable', () => {
    let bucket: string;
    let storage: S3Storage;
    const record = anArtifact(1, 'dataset');

    beforeEach(async () => {
      bucket = await s3.newBucket();
      storage = open(bucket);
      await storage.artifacts.create(record);
      await storage.tokens.issue(sha256Of('t'), { userName: 'alice', issuedAt: 0, expiresAt: 10_000, maxUses: 10 });
    });
    afterEach(() => s3.start());

    it('when the server is stopped, then every port fails with STORAGE.UNAVAILABLE and works again once it is back', async () => {
      await s3.stop();

      const error = await expectRejection(storage.artifacts.get(record.id), ErrorCode.StorageUnavailable);
      expect(error.message).to.equal('storage is unreachable: ECONNREFUSED');
      await expectRejection(storage.artifacts.list({ name: record.name }, undefined, 10), ErrorCode.StorageUnavailable);
      await expectRejection(storage.blobs.head(packageOf(record).full.sha256), ErrorCode.StorageUnavailable);
      await expectRejection(storage.tokens.consume(sha256Of('t'), 1), ErrorCode.StorageUnavailable);
      await expectRejection(storage.users.list(), ErrorCode.StorageUnavailable);
      await expectRejection(storage.audit.forArtifact(record.id, 10), ErrorCode.StorageUnavailable);

      await s3.start();
      expect(await storage.artifacts.get(record.id)).to.deep.equal(record);
      expect(await storage.tokens.consume(sha256Of('t'), 1)).to.equal('alice');
    });

    it('when the server stops in the middle of an update, then the old record stays whole and the update can be retried', async () => {
      s3.fail(isPut('artifacts/'), 'stop');
      const next = revised(record, { name: 'squad-v2', version: '2.0.0' });

      await expectRejection(storage.artifacts.update(next, record.revision), ErrorCode.StorageUnavailable);

      await s3.start();
      const fresh = open(bucket).artifacts;
      expect(await fresh.get(record.id)).to.deep.equal(record);
      expect((await fresh.list({ name: 'squad' }, undefined, 10)).map((r) => r.id)).to.deep.equal([record.id]);
      expect(await fresh.list({ name: 'squad-v2' }, undefined, 10), 'a marker without its record is ignored').to.deep.equal([]);
      await fresh.update(next, record.revision);
      expect((await fresh.list({ name: 'squad-v2' }, undefined, 10)).map((r) => r.id)).to.deep.equal([record.id]);
    });

    it('when S3 keeps answering 503, then the failure is STORAGE.UNAVAILABLE rather than a server error', async () => {
      const fault = s3.fail((request) => request.bucket === bucket, 'error', Infinity);

      await expectRejection(storage.artifacts.get(record.id), ErrorCode.StorageUnavailable);
      await expectRejection(storage.blobs.put(Readable.from([Buffer.from('x')])), ErrorCode.StorageUnavailable);

      fault.clear();
      expect(await storage.artifacts.get(record.id)).to.deep.equal(record);
    });

    it('when S3 accepts the connection but never answers, then the request times out as STORAGE.UNAVAILABLE', async () => {
      const impatient = open(bucket, { maxAttempts: 1, requestTimeoutMs: 300 });
      const fault = s3.fail((request) => request.bucket === bucket, 'hang');

      const error = await expectRejection(impatient.artifacts.get(record.id), ErrorCode.StorageUnavailable);

      fault.clear();
      expect(error.message).to.match(/^storage is unreachable: (TimeoutError|ETIMEDOUT)$/);
    });

    it('when the bucket does not exist, then the failure names it as STORAGE.UNAVAILABLE', async () => {
      const missing = open('tmr-no-such-bucket');

      const error = await expectRejection(missing.artifacts.get(record.id), ErrorCode.StorageUnavailable);

      expect(error.message).to.equal('storage is unreachable: bucket "tmr-no-such-bucket" does not exist');
    });
  });
});
