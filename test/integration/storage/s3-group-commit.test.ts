import { DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { S3ArtifactRepository } from '../../../src/adapters/storage/s3/s3-artifact-repository';
import { S3Bucket } from '../../../src/adapters/storage/s3/s3-bucket';
import { idOfMarkerKey, markerDirectory, Prefix } from '../../../src/adapters/storage/s3/s3-layout';
import { MemoryArtifactRepository } from '../../../src/adapters/storage/memory/memory-artifact-repository';
import { blobsOf, type ArtifactRecord } from '../../../src/domain/artifact';
import { ErrorCode } from '../../../src/domain/errors';
import type { ArtifactRepository, GroupChange } from '../../../src/ports/artifact-repository.port';
import { startLocalS3, type LocalS3 } from '../../support/s3rver';
import { startTestRegistry } from '../../support/test-registry';
import { anArtifact, revised } from '../../support/storage-contract';
import { packageOf } from '../../support/records';
import { expectRejection } from '../../support/zip-builder';

interface Command {
  readonly input: { readonly Key?: string; readonly Delete?: { readonly Objects?: readonly { readonly Key?: string }[] } };
}

const isWrite = (command: unknown): boolean =>
  command instanceof PutObjectCommand || command instanceof DeleteObjectCommand || command instanceof DeleteObjectsCommand;

const describeWrite = (command: Command): string =>
  `${command.constructor.name.replace('Command', '')} ${command.input.Key ?? (command.input.Delete?.Objects ?? []).map((o) => o.Key).join(',')}`;

/**
 * An S3 client for a process that dies at its `crashAt`-th write: that write and every request
 * after it, reads included, fail without reaching the server, as if the process had been killed
 * between two writes. `before` runs just before a chosen write reaches the server.
 */
class DyingClient {
  readonly writes: string[] = [];
  private dead = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly real: S3Client,
    private readonly crashAt = Infinity,
    private readonly before?: { readonly at: number; readonly run: () => Promise<void> },
  ) {}

  async send(command: Command): Promise<unknown> {
    if (this.dead) throw new Error('the process is gone');
    if (isWrite(command)) {
      this.writes.push(describeWrite(command));
      if (this.writes.length === this.crashAt) {
        this.dead = true;
        throw new Error('killed');
      }
      if (this.writes.length === this.before?.at) await this.before.run();
    }
    const sent = this.real.send(command as never);
    this.inFlight.add(sent);
    return sent.finally(() => this.inFlight.delete(sent));
  }

  /**
   * Requests sent before the death may still land after it, as on S3. Recovery waits out the grace
   * period, which is far longer than any request: a test that recovers at once waits for them first.
   */
  async gone(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}

const kept = anArtifact(1);
const replaced = anArtifact(2, 'dataset');
const removed = anArtifact(3, 'code');
const added = anArtifact(4, 'model', { name: 'whisper-tiny' });
const replacement = revised(replaced, { name: 'squad-v2' });
const GROUP: GroupChange = {
  id: 'release-0001',
  creates: [added],
  updates: [{ record: replacement, expectedRevision: replaced.revision }],
  deletes: [{ id: removed.id, expectedRevision: removed.revision }],
};
const ALL_IDS = [kept, replaced, removed, added].map((record) => record.id);

/** Everything a reader can ask, in one value: two stores in the same state observe equal values. */
async function observe(repository: ArtifactRepository): Promise<unknown> {
  const ids = (records: readonly { id: string }[]): string[] => records.map((record) => record.id);
  return {
    records: await Promise.all(ALL_IDS.map((id) => repository.get(id))),
    all: ids(await repository.list({}, undefined, 100)),
    byOldName: ids(await repository.list({ name: replaced.name }, undefined, 100)),
    byNewName: ids(await repository.list({ name: 'squad-v2' }, undefined, 100)),
    models: ids(await repository.list({ types: ['model'] }, undefined, 100)),
    code: ids(await repository.list({ types: ['code'] }, undefined, 100)),
    texts: await repository.scanText(undefined, 100),
    count: await repository.count(),
  };
}

async function observedIn(records: readonly ArtifactRecord[]): Promise<unknown> {
  const memory = new MemoryArtifactRepository();
  for (const record of records) await memory.create(record);
  return observe(memory);
}

describe('S3 group commits', function () {
  this.timeout(120_000);
  let s3: LocalS3;
  let s3Directory: string;
  let real: S3Client;
  let without: unknown;
  let withGroup: unknown;

  before(async () => {
    s3Directory = await mkdtemp(join(tmpdir(), 'tmr-s3-groups-'));
    s3 = await startLocalS3({ directory: s3Directory });
    real = s3.client();
    without = await observedIn([kept, replaced, removed]);
    withGroup = await observedIn([kept, replacement, added]);
  });
  after(async () => {
    await s3.close();
    await rm(s3Directory, { recursive: true, force: true });
  });

  const repositoryOn = (bucket: string, client: S3Client | DyingClient = real, graceMs = 0): S3ArtifactRepository =>
    new S3ArtifactRepository(new S3Bucket(client as S3Client, bucket), { groupGraceMs: graceMs });

  async function seeded(): Promise<string> {
    const bucket = await s3.newBucket();
    const repository = repositoryOn(bucket);
    for (const record of [kept, replaced, removed]) await repository.create(record);
    return bucket;
  }

  /** Commits GROUP through a client that dies at its `crashAt`-th write; returns once nothing it sent is in flight. */
  async function commitDying(bucket: string, crashAt: number, before?: { readonly at: number; readonly run: () => Promise<void> }): Promise<DyingClient> {
    const client = new DyingClient(real, crashAt, before);
    await repositoryOn(bucket, client).commitGroup(GROUP).catch(() => undefined);
    await client.gone();
    return client;
  }

  async function keysUnder(bucket: string, prefix: string): Promise<string[]> {
    const page = await real.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    return (page.Contents ?? []).map((item) => item.Key ?? '');
  }

  /** No trace of the group is left, and every record is findable through exactly what it is. */
  async function expectSettled(bucket: string, label: string): Promise<void> {
    expect(await keysUnder(bucket, Prefix.groups), label).to.deep.equal([]);
    const repository = repositoryOn(bucket);
    const visible = (await repository.list({}, undefined, 100));
    for (const key of await keysUnder(bucket, Prefix.artifacts)) {
      const object = await real.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect(await object.Body?.transformToString(), `${label}: ${key} carries no group tag`).not.to.include('$group');
    }
    const markers = [...await keysUnder(bucket, Prefix.names), ...await keysUnder(bucket, Prefix.types), ...await keysUnder(bucket, Prefix.refs)];
    for (const record of visible) {
      const directories = [markerDirectory.name(record.name), markerDirectory.type(record.type), ...blobsOf(record).map(markerDirectory.ref)];
      for (const directory of directories) {
        expect(markers.some((key) => key.startsWith(`${directory}${record.id}!`)), `${label}: ${record.id} is findable under ${directory}`).to.equal(true);
      }
    }
    for (const marker of markers) {
      const record = visible.find((candidate) => candidate.id === idOfMarkerKey(marker));
      const directories = record === undefined ? [] : [markerDirectory.name(record.name), markerDirectory.type(record.type), ...blobsOf(record).map(markerDirectory.ref)];
      expect(directories.some((directory) => marker.startsWith(directory)), `${label}: marker ${marker} belongs to a record there`).to.equal(true);
    }
    for (const sha of blobsOf(added)) expect(await repository.isBlobReferenced(sha), label).to.equal(visible.some((record) => record.id === added.id));
  }

  let writes: string[] = [];
  let commitPoint = 0;

  it('when nothing fails, then the group lands whole and the writes it took are counted', async () => {
    const bucket = await seeded();
    const client = new DyingClient(real);

    await repositoryOn(bucket, client).commitGroup(GROUP);

    writes = client.writes;
    // The second write of the group object is the commit point.
    commitPoint = writes.map((write, index) => ({ write, index })).filter(({ write }) => write === `PutObject groups/${GROUP.id}`)[1]?.index ?? -1;
    commitPoint += 1;
    expect(commitPoint, writes.join('\n')).to.be.greaterThan(1);
    expect(await observe(repositoryOn(bucket))).to.deep.equal(withGroup);
    await expectSettled(bucket, 'no crash');
  });

  it('when the committer dies at any one of its writes, then readers see the group whole or not at all, before and after recovery', async () => {
    expect(writes.length, 'the counting test ran').to.be.greaterThan(10);
    for (let crashAt = 1; crashAt <= writes.length; crashAt += 1) {
      const label = `killed at write ${crashAt} of ${writes.length} (${writes[crashAt - 1]})`;
      const bucket = await seeded();
      await commitDying(bucket, crashAt);
      const expected = crashAt > commitPoint ? withGroup : without;

      const restarted = repositoryOn(bucket);
      expect(await observe(restarted), `${label}, before recovery`).to.deep.equal(expected);
      const unsettled = (await keysUnder(bucket, Prefix.groups)).length;
      expect(await restarted.recoverGroups(), label).to.equal(unsettled);
      expect(await observe(repositoryOn(bucket)), `${label}, after recovery`).to.deep.equal(expected);
      await expectSettled(bucket, label);
      // Nothing stays locked: plain writes go through.
      await repositoryOn(bucket).update(revised(kept), kept.revision);
    }
  });

  it('when a committer died mid-way, then plain writes and other groups are refused while it is young, and the first writer after the grace period settles it', async () => {
    const bucket = await seeded();
    await commitDying(bucket, commitPoint);
    const young = repositoryOn(bucket, real, 60_000);

    await expectRejection(young.update(revised(replaced, { version: '3.0.0' }), replaced.revision), ErrorCode.ArtifactConflict);
    await expectRejection(young.delete(removed.id), ErrorCode.ArtifactConflict);
    await expectRejection(young.commitGroup({ ...GROUP, id: 'release-0002' }), ErrorCode.ArtifactConflict);
    expect(await young.recoverGroups(), 'a young group is left to its committer').to.equal(0);
    expect(await observe(young)).to.deep.equal(without);

    await repositoryOn(bucket).update(revised(replaced, { version: '3.0.0' }), replaced.revision);

    expect((await young.get(replaced.id))?.version).to.equal('3.0.0');
    expect(await young.get(added.id)).to.equal(undefined);
    expect(await keysUnder(bucket, Prefix.groups)).to.deep.equal([]);
    await repositoryOn(bucket).commitGroup({ ...GROUP, id: 'release-0002', updates: [{ record: revised(replacement, { revision: 3 }), expectedRevision: 2 }] });
    expect(await young.get(added.id)).to.deep.equal(added);
  });

  it('when another writer changes a record between the checks and the group\'s write, then the group fails naming it and what it applied is undone', async () => {
    const bucket = await seeded();
    const tombstone = writes.findIndex((write) => write === `PutObject artifacts/${removed.id}`) + 1;
    const meddler = repositoryOn(bucket);
    const client = new DyingClient(real, Infinity, { at: tombstone, run: () => meddler.update(revised(removed, { version: '9.0.0' }), removed.revision) });

    const error = await expectRejection(repositoryOn(bucket, client).commitGroup(GROUP), ErrorCode.ArtifactConflict);

    expect(error.details).to.deep.include({ artifact_id: removed.id });
    const expected = await observedIn([kept, replaced, revised(removed, { version: '9.0.0' })]);
    expect(await observe(repositoryOn(bucket))).to.deep.equal(expected);
    await expectSettled(bucket, 'undone after a conflict');
  });

  it('when the committer dies at any write while undoing a group that met a conflict, then recovery finishes the undo', async () => {
    const tombstone = writes.findIndex((write) => write === `PutObject artifacts/${removed.id}`) + 1;
    const meddled = await observedIn([kept, replaced, revised(removed, { version: '9.0.0' })]);
    const run = async (crashAt: number): Promise<{ bucket: string; client: DyingClient }> => {
      const bucket = await seeded();
      const meddler = repositoryOn(bucket);
      const client = await commitDying(bucket, crashAt, { at: tombstone, run: () => meddler.update(revised(removed, { version: '9.0.0' }), removed.revision) });
      return { bucket, client };
    };
    const total = (await run(Infinity)).client.writes.length;
    expect(total).to.be.greaterThan(tombstone + 2);

    for (let crashAt = tombstone + 1; crashAt <= total; crashAt += 1) {
      const label = `killed at undo write ${crashAt} of ${total}`;
      const { bucket } = await run(crashAt);

      expect(await observe(repositoryOn(bucket)), `${label}, before recovery`).to.deep.equal(meddled);
      await repositoryOn(bucket).recoverGroups();
      expect(await observe(repositoryOn(bucket)), `${label}, after recovery`).to.deep.equal(meddled);
      await expectSettled(bucket, label);
    }
  });

  for (const [state, crashOffset] of [['applied but not committed', 0], ['committed but not finished', 1]] as const) {
    it(`when recovery itself dies at any of its writes on a group ${state}, then readers never see part of it and the next recovery settles it`, async () => {
      const expected = crashOffset === 0 ? without : withGroup;
      const run = async (crashAt: number): Promise<{ bucket: string; client: DyingClient }> => {
        const bucket = await seeded();
        await commitDying(bucket, commitPoint + crashOffset);
        const client = new DyingClient(real, crashAt);
        await repositoryOn(bucket, client).recoverGroups().catch(() => undefined);
        await client.gone();
        return { bucket, client };
      };
      const total = (await run(Infinity)).client.writes.length;
      expect(total).to.be.greaterThan(2);

      for (let crashAt = 1; crashAt <= total; crashAt += 1) {
        const label = `recovery killed at write ${crashAt} of ${total}`;
        const { bucket } = await run(crashAt);

        expect(await observe(repositoryOn(bucket)), label).to.deep.equal(expected);
        expect(await repositoryOn(bucket).recoverGroups(), label).to.equal(1);
        expect(await observe(repositoryOn(bucket)), `${label}, after recovery`).to.deep.equal(expected);
        await expectSettled(bucket, label);
      }
    });
  }

  it('when three instances race groups over one shared record, then each group that succeeded is whole, each that failed left nothing', async () => {
    const bucket = await s3.newBucket();
    const ledger = anArtifact(1, 'code', { name: 'ledger' });
    await repositoryOn(bucket).create(ledger);
    const outcomes: { id: string; ok: boolean }[] = [];
    const instance = async (n: number): Promise<void> => {
      const repository = repositoryOn(bucket, real, 60_000);
      for (let i = 0; i < 6; i += 1) {
        const created = anArtifact(100 + n * 10 + i, 'dataset', { name: `instance-${n}-${i}` });
        const current = (await repository.get(ledger.id)) ?? ledger;
        const ok = await repository.commitGroup({
          id: `race-${n}-${i}`, creates: [created], updates: [{ record: revised(current), expectedRevision: current.revision }], deletes: [],
        }).then(() => true, (error: { code?: string }) => {
          expect(error.code).to.equal(ErrorCode.ArtifactConflict);
          return false;
        });
        outcomes.push({ id: created.id, ok });
      }
    };

    await Promise.all([0, 1, 2].map(instance));

    const reader = repositoryOn(bucket);
    const succeeded = outcomes.filter((outcome) => outcome.ok).map((outcome) => outcome.id).sort();
    expect(succeeded.length).to.be.greaterThan(0);
    expect((await reader.get(ledger.id))?.revision).to.equal(1 + succeeded.length);
    expect((await reader.list({ types: ['dataset'] }, undefined, 100)).map((record) => record.id)).to.deep.equal(succeeded);
    expect(await reader.count()).to.equal(1 + succeeded.length);
    expect(await keysUnder(bucket, Prefix.groups)).to.deep.equal([]);
    for (const key of await keysUnder(bucket, Prefix.artifacts)) {
      const object = await real.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect(await object.Body?.transformToString(), key).not.to.include('$group');
    }
  });

  it('when the registry starts on a bucket where a committer died three minutes ago, then start-up settles the group before serving', async () => {
    const bucket = await seeded();
    await commitDying(bucket, commitPoint + 1);
    // s3rver reports an object's file time as its LastModified.
    const past = new Date(Date.now() - 3 * 60 * 1000);
    await utimes(join(s3Directory, bucket, `${Prefix.groups}${GROUP.id}._S3rver_object`), past, past);

    const registry = await startTestRegistry({ storage: 's3', env: s3.env(bucket) });
    try {
      expect(await keysUnder(bucket, Prefix.groups)).to.deep.equal([]);
      expect(await observe(repositoryOn(bucket))).to.deep.equal(withGroup);
      await expectSettled(bucket, 'settled at start-up');
    } finally {
      await registry.close();
    }
  });

  it('when a group id is submitted again after its first commit failed or was undone, then the second commit stands on its own', async () => {
    const bucket = await seeded();
    await expectRejection(repositoryOn(bucket).commitGroup({ ...GROUP, deletes: [{ id: removed.id, expectedRevision: 5 }] }), ErrorCode.ArtifactConflict);
    await commitDying(bucket, commitPoint);
    const reader = repositoryOn(bucket, real, 60_000);
    expect(await observe(reader)).to.deep.equal(without);
    expect(await repositoryOn(bucket).recoverGroups()).to.equal(1);

    await reader.commitGroup(GROUP);

    expect(await observe(repositoryOn(bucket))).to.deep.equal(withGroup);
    await expectSettled(bucket, 'third submission');
  });

  it('when recovery undoes a group whose committer was only slow, then the committer cannot commit it any more', async () => {
    const bucket = await seeded();
    const recoverer = repositoryOn(bucket);
    let recovered = -1;
    const client = new DyingClient(real, Infinity, { at: commitPoint, run: async () => { recovered = await recoverer.recoverGroups(); } });

    await expectRejection(repositoryOn(bucket, client).commitGroup(GROUP), ErrorCode.ArtifactConflict);

    expect(recovered).to.equal(1);
    expect(await observe(repositoryOn(bucket))).to.deep.equal(without);
    await expectSettled(bucket, 'undone by recovery');
  });

  it('when a group is committed but not yet finished, then every reader sees it whole and blobs of both sides stay referenced', async () => {
    const bucket = await seeded();
    await commitDying(bucket, commitPoint + 1);
    const reader = repositoryOn(bucket);

    expect(await observe(reader)).to.deep.equal(withGroup);
    expect(await reader.isBlobReferenced(packageOf(removed).full.sha256), 'until the record is really gone').to.equal(true);
    expect(await reader.delete(removed.id)).to.equal(false);
    await reader.update(revised(replacement, { version: '4.0.0' }), replacement.revision);
    expect(await reader.recoverGroups()).to.equal(1);
    expect((await reader.get(replaced.id))?.version, 'a later plain write survives the finish').to.equal('4.0.0');
    expect(await reader.isBlobReferenced(packageOf(removed).full.sha256)).to.equal(false);
  });
});
