import { packageOf } from './records';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import type { ArtifactRecord, ArtifactType, StoredBundle } from '../../src/domain/artifact';
import type { AuditAction, AuditEntry } from '../../src/domain/audit';
import { ErrorCode } from '../../src/domain/errors';
import { TOKEN_MAX_USES, TOKEN_TTL_MS, type StoredUser } from '../../src/domain/user';
import type { ArtifactRepository, GroupChange } from '../../src/ports/artifact-repository.port';
import type { AuditLog } from '../../src/ports/audit-log.port';
import type { BlobStore } from '../../src/ports/blob-store.port';
import type { TokenStore, UserStore } from '../../src/ports/user-store.port';
import { expectRejection, pseudoRandomBytes, readAll } from './zip-builder';

/** A fresh adapter and how to dispose of it (close handles, remove its directory). */
export interface Subject<T> {
  readonly subject: T;
  close(): Promise<void>;
}
export type SubjectFactory<T> = () => Promise<Subject<T>>;

// ---- Object mothers ----

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID-shaped id (26 Crockford base32 characters) that sorts by `n`, e.g. 01JD0000000000000000000001. */
export function artifactId(n: number): string {
  let digits = '';
  for (let rest = n; rest > 0; rest = Math.floor(rest / 32)) digits = (CROCKFORD[rest % 32] ?? '0') + digits;
  return `01JD${digits.padStart(22, '0')}`;
}

export const sha256Of = (content: Buffer | string): string => createHash('sha256').update(content).digest('hex');

const bundle = (label: string, size: number, fileCount: number): StoredBundle => ({ sha256: sha256Of(label), size, fileCount });

const CREATED_AT = '2025-11-27T10:00:00.000Z';

function modelRecord(id: string): ArtifactRecord {
  return {
    id,
    type: 'model',
    name: 'bert-base-uncased',
    version: '1.0.0',
    source: { kind: 'url', url: 'https://huggingface.co/google-bert/bert-base-uncased' },
    package: {
      full: bundle(`${id}/full`, 440_473_133, 5),
      parts: { weights: bundle(`${id}/weights`, 440_449_768, 1), code: bundle(`${id}/code`, 698_000, 3), docs: bundle(`${id}/docs`, 10_517, 1) },
      files: [
        { path: 'README.md', size: 10_517, part: 'docs' },
        { path: 'config.json', size: 570, part: 'code' },
        { path: 'tokenizer.json', size: 466_062, part: 'code' },
        { path: 'vocab.txt', size: 231_508, part: 'code' },
        { path: 'model.safetensors', size: 440_449_768, part: 'weights' },
      ],
    },
    card: {
      text: '# BERT base model (uncased)\n\nPretrained model on English language using a masked language modeling (MLM) objective.',
      metadata: { license: 'apache-2.0', datasets: ['bookcorpus', 'wikipedia'], language: 'en', tags: ['exbert'] },
    },
    config: { architectures: ['BertForMaskedLM'], hidden_size: 768, model_type: 'bert', num_hidden_layers: 12 },
    createdAt: CREATED_AT,
    createdBy: 'ece30861defaultadminuser',
    updatedAt: CREATED_AT,
    revision: 1,
  };
}

function datasetRecord(id: string): ArtifactRecord {
  return {
    id,
    type: 'dataset',
    name: 'squad',
    source: { kind: 'url', url: 'https://huggingface.co/datasets/rajpurkar/squad' },
    package: {
      full: bundle(`${id}/full`, 16_300_000, 3),
      parts: { datasets: bundle(`${id}/datasets`, 16_290_000, 2), docs: bundle(`${id}/docs`, 9_800, 1) },
      files: [
        { path: 'README.md', size: 9_800, part: 'docs' },
        { path: 'plain_text/train-00000-of-00001.parquet', size: 14_458_314, part: 'datasets' },
        { path: 'plain_text/validation-00000-of-00001.parquet', size: 1_822_304, part: 'datasets' },
      ],
    },
    card: { text: '# Dataset Card for SQuAD\n\nStanford Question Answering Dataset.', metadata: { license: 'cc-by-sa-4.0' } },
    createdAt: CREATED_AT,
    createdBy: 'alice',
    updatedAt: CREATED_AT,
    revision: 1,
  };
}

function codeRecord(id: string): ArtifactRecord {
  return {
    id,
    type: 'code',
    name: 'transformers',
    source: { kind: 'upload', filename: 'transformers-main.zip' },
    package: {
      full: bundle(`${id}/full`, 2_400_000, 2),
      parts: { code: bundle(`${id}/code`, 2_390_000, 1) },
      files: [
        { path: 'setup.py', size: 2_390_000, part: 'code' },
        { path: 'LICENSE', size: 11_357, part: 'docs' },
      ],
    },
    createdAt: CREATED_AT,
    createdBy: 'bob',
    updatedAt: CREATED_AT,
    revision: 1,
  };
}

const MOTHERS: Record<ArtifactType, (id: string) => ArtifactRecord> = { model: modelRecord, dataset: datasetRecord, code: codeRecord };

/** A realistic record of the given type whose id and blob digests are derived from `n`. */
export const anArtifact = (n: number, type: ArtifactType = 'model', overrides: Partial<ArtifactRecord> = {}): ArtifactRecord => ({
  ...MOTHERS[type](artifactId(n)),
  ...overrides,
});

/** The record as the next save would write it. */
export const revised = (record: ArtifactRecord, changes: Partial<ArtifactRecord> = {}): ArtifactRecord => ({
  ...record,
  updatedAt: '2025-11-28T08:30:00.000Z',
  ...changes,
  revision: record.revision + 1,
});

export const aUser = (name: string, overrides: Partial<StoredUser> = {}): StoredUser => ({
  name,
  isAdmin: false,
  permissions: ['search', 'download'],
  passwordHash: `$argon2id$v=19$m=19456,t=2,p=1$${Buffer.from(name).toString('base64')}$c29tZWhhc2g`,
  ...overrides,
});

export const anAuditEntry = (record: ArtifactRecord, action: AuditAction, minute: number, detail?: string): AuditEntry => ({
  user: { name: 'alice', isAdmin: false },
  date: new Date(Date.UTC(2025, 10, 27, 10, minute)).toISOString(),
  artifact: { name: record.name, id: record.id, type: record.type },
  action,
  ...(detail === undefined ? {} : { detail }),
});

/** Registers the before/after hooks that give each test a fresh subject. */
function withSubject<T>(factory: SubjectFactory<T>): () => T {
  let current: Subject<T> | undefined;
  beforeEach(async () => {
    current = await factory();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return () => {
    if (current === undefined) throw new Error('subject used outside a test');
    return current.subject;
  };
}

// ---- ArtifactRepository ----

export interface RepositoryTraits {
  /** A listing is one consistent snapshot (one process, one synchronous read): true for memory and SQLite, not S3. */
  readonly snapshotListings?: boolean;
}

export function artifactRepositoryContract(name: string, factory: SubjectFactory<ArtifactRepository>, traits: RepositoryTraits = {}): void {
  describe(`${name} honours the ArtifactRepository contract`, () => {
    const repository = withSubject(factory);
    const createAll = async (records: readonly ArtifactRecord[]): Promise<void> => {
      for (const record of records) await repository().create(record);
    };
    const idsOf = (records: readonly { id: string }[]): string[] => records.map((record) => record.id);

    it('when a record is created, then get returns an equal record', async () => {
      for (const [n, type] of [[1, 'model'], [2, 'dataset'], [3, 'code']] as const) {
        const record = anArtifact(n, type);
        await repository().create(record);

        expect(await repository().get(record.id), type).to.deep.equal(record);
      }
    });

    it('when records are listed by canonical source, then only the one registered from it is found, also after an update and not after delete', async () => {
      const key = 'code https://github.com/huggingface/lerobot/tree/main';
      const mirrored = anArtifact(1, 'code', { sourceKey: key });
      const other = anArtifact(2, 'code', { sourceKey: 'code https://github.com/huggingface/lerobot' });
      await createAll([mirrored, other, anArtifact(3, 'code')]);

      expect(idsOf(await repository().list({ sourceKey: key }, undefined, 10))).to.deep.equal([mirrored.id]);
      await repository().update(revised(mirrored, { name: 'renamed' }), mirrored.revision);
      expect(idsOf(await repository().list({ sourceKey: key }, undefined, 10))).to.deep.equal([mirrored.id]);
      await repository().delete(mirrored.id);
      expect(await repository().list({ sourceKey: key }, undefined, 10)).to.deep.equal([]);
    });

    it('when an external reference without a package is stored, then it reads back whole and references no blob', async () => {
      const { package: _content, ...rest } = anArtifact(1, 'dataset');
      const reference: ArtifactRecord = { ...rest, reference: { page: 'https://www.kaggle.com/datasets/hliang001/flickr2k', reason: 'not mirrored' } };
      await repository().create(reference);

      expect(await repository().get(reference.id)).to.deep.equal(reference);
      expect(idsOf(await repository().list({ types: ['dataset'] }, undefined, 10))).to.deep.equal([reference.id]);
    });

    it('when an unknown id is read, then get returns undefined', async () => {
      await repository().create(anArtifact(1));

      expect(await repository().get(artifactId(2))).to.equal(undefined);
    });

    it('when a record returned by get or list is changed by the caller, then the stored record is not (the copy is the caller\'s own, or frozen)', async () => {
      const record = anArtifact(1);
      await repository().create(record);
      const tamper = (copy: unknown): void => {
        try {
          (copy as { name: string }).name = 'tampered';
          (copy as { card: { metadata: Record<string, unknown> } }).card.metadata.license = 'tampered';
        } catch (error) {
          expect(error).to.be.instanceOf(TypeError);
        }
      };
      tamper(await repository().get(record.id));
      tamper(await repository().get(record.id, { assessment: false }));
      tamper((await repository().list({ name: record.name }, undefined, 10))[0]);

      expect(await repository().get(record.id)).to.deep.equal(record);
      expect(await repository().get(record.id, { assessment: false })).to.have.property('name', 'bert-base-uncased');
    });

    it('when records are created, updated, deleted, committed in a group or cleared, then the change mark moves each time, and reads between changes leave it where it is', async () => {
      const marks: (string | undefined)[] = [await repository().changeMark()];
      const mark = async (): Promise<void> => {
        marks.push(await repository().changeMark());
      };
      const first = anArtifact(1);
      await repository().create(first);
      await mark();
      await repository().get(first.id);
      await repository().list({}, undefined, 10);
      await mark();
      await repository().update(revised(first, { name: 'renamed' }), first.revision);
      await mark();
      await repository().commitGroup({ id: 'g1', creates: [anArtifact(2)], updates: [], deletes: [] });
      await mark();
      await repository().delete(first.id);
      await mark();
      await repository().clear();
      await mark();

      if (marks[0] === undefined) {
        // A store that cannot tell cheaply says so every time, and nothing is cached against it.
        expect(marks.every((m) => m === undefined)).to.equal(true);
        return;
      }
      const [start, created, afterReads, updated, grouped, deleted, cleared] = marks;
      expect(afterReads).to.equal(created);
      expect(new Set([start, created, updated, grouped, deleted, cleared]).size).to.equal(6);
    });

    it('when a record is read, changed and read again, then the second read sees the change (whole, light and listed)', async () => {
      const record = anArtifact(1);
      await repository().create(record);
      await repository().get(record.id);
      await repository().get(record.id, { assessment: false });
      await repository().list({ name: record.name }, undefined, 10);
      const renamed = revised(record, { name: 'renamed' });
      await repository().update(renamed, record.revision);

      expect(await repository().get(record.id)).to.deep.equal(renamed);
      expect((await repository().get(record.id, { assessment: false }))?.revision).to.equal(renamed.revision);
      expect(await repository().list({ name: record.name }, undefined, 10)).to.deep.equal([]);
      expect((await repository().list({ name: 'renamed' }, undefined, 10)).map((r) => r.revision)).to.deep.equal([renamed.revision]);
      await repository().delete(record.id);
      expect(await repository().get(record.id)).to.equal(undefined);
      expect(await repository().get(record.id, { assessment: false })).to.equal(undefined);
    });

    it('when a record is created with an existing id, then it fails with ARTIFACT.CONFLICT and the first record and its blobs stay', async () => {
      const first = anArtifact(1);
      const clash = anArtifact(1, 'dataset');
      await repository().create(first);

      await expectRejection(repository().create(clash), ErrorCode.ArtifactConflict);

      expect(await repository().get(first.id)).to.deep.equal(first);
      expect(await repository().isBlobReferenced(packageOf(first).full.sha256)).to.equal(true);
      expect(await repository().count()).to.equal(1);
    });

    it('when a record is updated with the current revision, then get returns the new record', async () => {
      const record = anArtifact(1);
      await repository().create(record);
      const next = revised(record, { version: '1.1.0' });

      await repository().update(next, record.revision);

      expect(await repository().get(record.id)).to.deep.equal(next);
    });

    it('when a record is updated with a stale revision, then it fails with ARTIFACT.CONFLICT and the stored record is unchanged', async () => {
      const record = anArtifact(1);
      await repository().create(record);
      const winner = revised(record, { version: '1.1.0' });
      await repository().update(winner, record.revision);

      await expectRejection(repository().update(revised(record, { version: '9.9.9' }), record.revision), ErrorCode.ArtifactConflict);

      expect(await repository().get(record.id)).to.deep.equal(winner);
    });

    it('when a missing record is updated, then it fails with ARTIFACT.NOT_FOUND and nothing is stored', async () => {
      const ghost = anArtifact(7);

      await expectRejection(repository().update(revised(ghost), ghost.revision), ErrorCode.ArtifactNotFound);

      expect(await repository().get(ghost.id)).to.equal(undefined);
      expect(await repository().isBlobReferenced(packageOf(ghost).full.sha256)).to.equal(false);
    });

    it('when an update renames and retypes a record, then filters see the new name and type only', async () => {
      const record = anArtifact(1);
      await repository().create(record);

      await repository().update(revised(record, { name: 'bert-base-cased', type: 'code' }), record.revision);

      expect(await repository().list({ name: 'bert-base-uncased' }, undefined, 10)).to.deep.equal([]);
      expect(idsOf(await repository().list({ name: 'bert-base-cased', types: ['code'] }, undefined, 10))).to.deep.equal([record.id]);
    });

    it('when a record is deleted, then delete answers true, get answers undefined and a second delete answers false', async () => {
      const record = anArtifact(1);
      await createAll([record, anArtifact(2)]);

      expect(await repository().delete(record.id)).to.equal(true);
      expect(await repository().get(record.id)).to.equal(undefined);
      expect(await repository().delete(record.id)).to.equal(false);
      expect(await repository().count()).to.equal(1);
    });

    it('when records are created out of order, then list returns them ascending by id', async () => {
      await createAll([anArtifact(3), anArtifact(1, 'dataset'), anArtifact(33, 'code'), anArtifact(2)]);

      expect(idsOf(await repository().list({}, undefined, 100))).to.deep.equal([artifactId(1), artifactId(2), artifactId(3), artifactId(33)]);
    });

    it('when a listing is paged with after and limit, then every record is seen once, in order', async () => {
      await createAll(Array.from({ length: 11 }, (_, index) => anArtifact(11 - index)));
      const ids = Array.from({ length: 11 }, (_, index) => artifactId(index + 1));

      const seen: string[] = [];
      let after: string | undefined;
      for (let page = await repository().list({}, after, 4); page.length > 0; page = await repository().list({}, after, 4)) {
        expect(page.length).to.be.at.most(4);
        seen.push(...idsOf(page));
        after = page[page.length - 1]?.id;
      }

      expect(seen).to.deep.equal(ids);
    });

    it('when the cursor names a deleted record, then the next page still starts after it', async () => {
      await createAll([anArtifact(1), anArtifact(2), anArtifact(3)]);
      await repository().delete(artifactId(2));

      expect(idsOf(await repository().list({}, artifactId(2), 10))).to.deep.equal([artifactId(3)]);
    });

    it('when the limit is zero, then list returns nothing', async () => {
      await createAll([anArtifact(1)]);

      expect(await repository().list({}, undefined, 0)).to.deep.equal([]);
    });

    it('when listing by name, then only exact, case-sensitive matches are returned', async () => {
      await createAll([
        anArtifact(1),
        anArtifact(2, 'model', { name: 'bert-base-uncased-finetuned' }),
        anArtifact(3, 'model', { name: 'BERT-base-uncased' }),
        anArtifact(4, 'code', { name: 'bert-base-uncased' }),
      ]);

      expect(idsOf(await repository().list({ name: 'bert-base-uncased' }, undefined, 10))).to.deep.equal([artifactId(1), artifactId(4)]);
    });

    it('when listing by types, then only those types are returned; no or empty types mean all', async () => {
      await createAll([anArtifact(1, 'model'), anArtifact(2, 'dataset'), anArtifact(3, 'code'), anArtifact(4, 'model')]);

      expect(idsOf(await repository().list({ types: ['model', 'code'] }, undefined, 10))).to.deep.equal([artifactId(1), artifactId(3), artifactId(4)]);
      expect(idsOf(await repository().list({ types: ['dataset'] }, undefined, 10))).to.deep.equal([artifactId(2)]);
      expect(await repository().list({ types: [] }, undefined, 10)).to.have.length(4);
    });

    it('when name, types, after and limit are combined, then all of them apply', async () => {
      const shared = { name: 'whisper-tiny' };
      await createAll([
        anArtifact(1, 'model', shared),
        anArtifact(2, 'dataset', shared),
        anArtifact(3, 'model', shared),
        anArtifact(4, 'model'),
        anArtifact(5, 'model', shared),
        anArtifact(6, 'model', shared),
      ]);

      const page = await repository().list({ name: 'whisper-tiny', types: ['model'] }, artifactId(1), 2);

      expect(idsOf(page)).to.deep.equal([artifactId(3), artifactId(5)]);
    });

    it('when texts are scanned, then id, name, type and card text come back ascending, empty text for a record without card', async () => {
      const model = anArtifact(2);
      const code = anArtifact(1, 'code');
      await createAll([model, code]);

      expect(await repository().scanText(undefined, 10)).to.deep.equal([
        { id: code.id, name: 'transformers', type: 'code', cardText: '' },
        { id: model.id, name: 'bert-base-uncased', type: 'model', cardText: model.card?.text },
      ]);
    });

    it('when texts are scanned with after and limit, then the scan pages like list', async () => {
      await createAll([1, 2, 3, 4, 5].map((n) => anArtifact(n)));

      expect(idsOf(await repository().scanText(artifactId(2), 2))).to.deep.equal([artifactId(3), artifactId(4)]);
    });

    it('when a card is updated, then the scan sees the new text', async () => {
      const record = anArtifact(1);
      await repository().create(record);
      await repository().update(revised(record, { card: { text: 'A new card about speech', metadata: {} } }), record.revision);

      expect((await repository().scanText(undefined, 1))[0]?.cardText).to.equal('A new card about speech');
    });

    it('when a record refers to blobs, then each is referenced until the record is deleted', async () => {
      const record = anArtifact(1);
      const blobs = [packageOf(record).full.sha256, packageOf(record).parts.weights?.sha256 ?? '', packageOf(record).parts.docs?.sha256 ?? ''];
      await repository().create(record);

      for (const blob of blobs) expect(await repository().isBlobReferenced(blob), blob).to.equal(true);
      expect(await repository().isBlobReferenced(sha256Of('never stored'))).to.equal(false);

      await repository().delete(record.id);

      for (const blob of blobs) expect(await repository().isBlobReferenced(blob), blob).to.equal(false);
    });

    it('when an update drops a part blob, then that blob is no longer referenced and the kept ones are', async () => {
      const record = anArtifact(1);
      await repository().create(record);
      const { weights, code } = packageOf(record).parts;
      const next = revised(record, { package: { ...packageOf(record), parts: { ...(weights === undefined ? {} : { weights }) } } });

      await repository().update(next, record.revision);

      expect(await repository().isBlobReferenced(code?.sha256 ?? '')).to.equal(false);
      expect(await repository().isBlobReferenced(weights?.sha256 ?? '')).to.equal(true);
      expect(await repository().isBlobReferenced(packageOf(record).full.sha256)).to.equal(true);
    });

    it('when two records share a blob and one is deleted, then the blob stays referenced', async () => {
      const first = anArtifact(1);
      const second = anArtifact(2, 'model', { package: { ...packageOf(anArtifact(2)), full: packageOf(first).full } });
      await createAll([first, second]);

      await repository().delete(first.id);

      expect(await repository().isBlobReferenced(packageOf(first).full.sha256)).to.equal(true);
      await repository().delete(second.id);
      expect(await repository().isBlobReferenced(packageOf(first).full.sha256)).to.equal(false);
    });

    describe('group commits', () => {
      const kept = anArtifact(1);
      const replaced = anArtifact(2, 'dataset');
      const removed = anArtifact(3, 'code');
      const added = anArtifact(4, 'model', { name: 'whisper-tiny' });
      const replacement = revised(replaced, { name: 'squad-v2' });
      const group = (overrides: Partial<GroupChange> = {}): GroupChange => ({
        id: 'group-0001',
        creates: [added],
        updates: [{ record: replacement, expectedRevision: replaced.revision }],
        deletes: [{ id: removed.id, expectedRevision: removed.revision }],
        ...overrides,
      });
      const unchanged = async (): Promise<void> => {
        expect(await repository().get(replaced.id)).to.deep.equal(replaced);
        expect(await repository().get(removed.id)).to.deep.equal(removed);
        expect(await repository().get(added.id)).to.equal(undefined);
        expect(idsOf(await repository().list({}, undefined, 10))).to.deep.equal([kept.id, replaced.id, removed.id]);
        expect(idsOf(await repository().list({ name: 'squad-v2' }, undefined, 10))).to.deep.equal([]);
        expect(await repository().count()).to.equal(3);
        expect(await repository().isBlobReferenced(packageOf(removed).full.sha256)).to.equal(true);
      };

      beforeEach(async () => {
        await createAll([kept, replaced, removed]);
      });

      it('when a group creates, updates and deletes, then every change is applied and visible to every reader', async () => {
        await repository().commitGroup(group());

        expect(await repository().get(added.id)).to.deep.equal(added);
        expect(await repository().get(replaced.id)).to.deep.equal(replacement);
        expect(await repository().get(removed.id)).to.equal(undefined);
        expect(idsOf(await repository().list({}, undefined, 10))).to.deep.equal([kept.id, replaced.id, added.id]);
        expect(idsOf(await repository().list({ name: 'squad-v2' }, undefined, 10))).to.deep.equal([replaced.id]);
        expect(idsOf(await repository().list({ name: 'whisper-tiny', types: ['model'] }, undefined, 10))).to.deep.equal([added.id]);
        expect(idsOf(await repository().scanText(undefined, 10))).to.deep.equal([kept.id, replaced.id, added.id]);
        expect(await repository().count()).to.equal(3);
        expect(await repository().isBlobReferenced(packageOf(added).full.sha256)).to.equal(true);
        expect(await repository().isBlobReferenced(packageOf(removed).full.sha256)).to.equal(false);
        expect(await repository().recoverGroups()).to.equal(0);
      });

      it('when a created id exists already, then the group fails with ARTIFACT.CONFLICT naming it and nothing changes', async () => {
        const error = await expectRejection(repository().commitGroup(group({ creates: [added, anArtifact(1, 'code')] })), ErrorCode.ArtifactConflict);

        expect(error.details).to.deep.include({ artifact_id: kept.id });
        await unchanged();
      });

      it('when an updated record moved on, then the group fails with ARTIFACT.CONFLICT naming it and nothing changes', async () => {
        const error = await expectRejection(
          repository().commitGroup(group({ updates: [{ record: revised(replacement), expectedRevision: replacement.revision }] })),
          ErrorCode.ArtifactConflict,
        );

        expect(error.details).to.deep.include({ artifact_id: replaced.id });
        await unchanged();
      });

      it('when a deleted record moved on, then the group fails with ARTIFACT.CONFLICT naming it and nothing changes', async () => {
        const error = await expectRejection(repository().commitGroup(group({ deletes: [{ id: removed.id, expectedRevision: 7 }] })), ErrorCode.ArtifactConflict);

        expect(error.details).to.deep.include({ artifact_id: removed.id });
        await unchanged();
      });

      it('when an updated or deleted record does not exist, then the group fails with ARTIFACT.NOT_FOUND naming it and nothing changes', async () => {
        const ghost = anArtifact(9);
        const updating = await expectRejection(
          repository().commitGroup(group({ updates: [{ record: replacement, expectedRevision: 1 }, { record: revised(ghost), expectedRevision: 1 }] })),
          ErrorCode.ArtifactNotFound,
        );
        const deleting = await expectRejection(repository().commitGroup(group({ id: 'group-0002', deletes: [{ id: ghost.id, expectedRevision: 1 }] })), ErrorCode.ArtifactNotFound);

        expect(updating.details).to.deep.include({ artifact_id: ghost.id });
        expect(deleting.details).to.deep.include({ artifact_id: ghost.id });
        await unchanged();
      });

      it('when a group changes one record twice, then it is refused as invalid naming the record and nothing changes', async () => {
        const error = await expectRejection(repository().commitGroup(group({ deletes: [{ id: replaced.id, expectedRevision: replaced.revision }] })), ErrorCode.InvalidInput);

        expect(error.details).to.deep.include({ artifact_id: replaced.id });
        await unchanged();
      });

      it('when readers poll while a group commits, then each record changes once, from before to after, and never back', async () => {
        const seen: string[][] = [[], [], []];
        let done = false;
        const poll = async (): Promise<void> => {
          // One more round after the commit answered: that one must see everything.
          for (let last = false; !last;) {
            last = done;
            const [a, r, d] = await Promise.all([added.id, replaced.id, removed.id].map((id) => repository().get(id)));
            seen[0]?.push(a === undefined ? 'before' : 'after');
            seen[1]?.push(r?.name === 'squad-v2' ? 'after' : 'before');
            seen[2]?.push(d === undefined ? 'after' : 'before');
          }
        };
        const polling = poll();

        await repository().commitGroup(group());
        done = true;
        await polling;

        for (const states of seen) {
          expect(states.join(' ')).to.match(/^(before ?)*(after ?)*$/);
          expect(states[states.length - 1]).to.equal('after');
        }
      });

      if (traits.snapshotListings === true) {
        it('when listings run while a group commits, then each sees the group whole or not at all', async () => {
          const listings = Array.from({ length: 20 }, () => repository().list({}, undefined, 10));
          const [, ...seen] = await Promise.all([repository().commitGroup(group()), ...listings]);

          for (const listing of seen) {
            const ids = idsOf(listing);
            const applied = [ids.includes(added.id), !ids.includes(removed.id), listing.find((record) => record.id === replaced.id)?.name === 'squad-v2'];
            expect(applied.every(Boolean) || applied.every((change) => !change), ids.join(' ')).to.equal(true);
          }
        });
      }

      it('when a group failed, then a corrected group with a new id applies and plain writes to its records work again', async () => {
        await expectRejection(repository().commitGroup(group({ deletes: [{ id: removed.id, expectedRevision: 7 }] })), ErrorCode.ArtifactConflict);

        await repository().commitGroup(group({ id: 'group-0002' }));
        await repository().update(revised(replacement, { version: '2.0.0' }), replacement.revision);

        expect((await repository().get(replaced.id))?.version).to.equal('2.0.0');
        expect(await repository().get(added.id)).to.deep.equal(added);
        expect(await repository().delete(added.id)).to.equal(true);
      });
    });

    it('when records are counted and cleared, then count follows and clear leaves nothing behind', async () => {
      expect(await repository().count()).to.equal(0);
      const records = [anArtifact(1), anArtifact(2, 'dataset'), anArtifact(3, 'code')];
      await createAll(records);
      expect(await repository().count()).to.equal(3);

      await repository().clear();

      expect(await repository().count()).to.equal(0);
      expect(await repository().list({}, undefined, 10)).to.deep.equal([]);
      expect(await repository().scanText(undefined, 10)).to.deep.equal([]);
      expect(await repository().isBlobReferenced(packageOf(records[0]).full.sha256)).to.equal(false);
      await repository().create(records[0] as ArtifactRecord);
      expect(await repository().count()).to.equal(1);
    });
  });
}

// ---- BlobStore ----

const MIB = 1024 * 1024;

/** `count` chunks of 1 MiB, each distinct, generated one at a time. */
function* chunks(count: number): Generator<Buffer> {
  const base = pseudoRandomBytes(MIB, 3);
  for (let index = 0; index < count; index += 1) {
    const chunk = Buffer.from(base);
    chunk.writeUInt32LE(index, 0);
    yield chunk;
  }
}

export function blobStoreContract(name: string, factory: SubjectFactory<BlobStore>): void {
  describe(`${name} honours the BlobStore contract`, () => {
    const store = withSubject(factory);
    const weights = pseudoRandomBytes(64 * 1024, 11);
    const put = (content: Buffer, expected?: string) => store().put(Readable.from([content]), expected);
    const read = async (sha256: string, range?: { start: number; end: number }): Promise<Buffer> => readAll(await store().get(sha256, range));

    it('when content is put, then its sha256 and size are returned and it reads back identical', async () => {
      const stored = await put(weights);

      expect(stored).to.deep.equal({ sha256: sha256Of(weights), size: weights.length, created: true });
      expect(await store().head(stored.sha256)).to.equal(weights.length);
      expect((await read(stored.sha256)).equals(weights)).to.equal(true);
    });

    it('when empty content is put, then it is stored under the empty digest with size 0', async () => {
      const stored = await put(Buffer.alloc(0));

      expect(stored).to.deep.equal({ sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', size: 0, created: true });
      expect(await store().head(stored.sha256)).to.equal(0);
    });

    it('when identical content is put again, then created is false and the blob is unchanged', async () => {
      await put(weights);

      const again = await store().put(Readable.from([weights.subarray(0, 1000), weights.subarray(1000)]));

      expect(again).to.deep.equal({ sha256: sha256Of(weights), size: weights.length, created: false });
      expect((await read(again.sha256)).equals(weights)).to.equal(true);
    });

    it('when identical content is put twice at once, then exactly one put reports it created', async () => {
      const results = await Promise.all([put(weights), put(weights), put(weights)]);

      expect(results.filter((result) => result.created)).to.have.length(1);
      expect(new Set(results.map((result) => result.sha256))).to.deep.equal(new Set([sha256Of(weights)]));
    });

    it('when the expected sha256 matches, then the content is stored', async () => {
      const stored = await put(weights, sha256Of(weights));

      expect(stored.created).to.equal(true);
      expect(await store().head(sha256Of(weights))).to.equal(weights.length);
    });

    it('when the expected sha256 differs, then the put fails and nothing is stored', async () => {
      await expectRejection(put(weights, sha256Of('something else')), ErrorCode.InvalidPackage);

      expect(await store().head(sha256Of(weights))).to.equal(undefined);
      expect(await store().head(sha256Of('something else'))).to.equal(undefined);
    });

    it('when the source stream fails midway, then the put fails and nothing is visible', async () => {
      const firstChunk = weights.subarray(0, 4096);
      const failing = Readable.from((function* () {
        yield firstChunk;
        throw new Error('connection reset by peer');
      })());

      const error = await store().put(failing).then(() => undefined, (failure: unknown) => failure);

      expect(error).to.be.instanceOf(Error);
      expect(await store().head(sha256Of(firstChunk))).to.equal(undefined);
    });

    it('when a range is read, then exactly the bytes from start to end inclusive are returned', async () => {
      const { sha256 } = await put(weights);

      expect((await read(sha256, { start: 100, end: 1123 })).equals(weights.subarray(100, 1124))).to.equal(true);
      expect((await read(sha256, { start: 0, end: 0 })).equals(weights.subarray(0, 1))).to.equal(true);
      expect((await read(sha256, { start: weights.length - 10, end: weights.length - 1 })).equals(weights.subarray(-10))).to.equal(true);
    });

    it('when missing content is read, then get fails with STORAGE.UNAVAILABLE and head answers undefined', async () => {
      const missing = sha256Of('never stored');

      await expectRejection(store().get(missing), ErrorCode.StorageUnavailable);
      expect(await store().head(missing)).to.equal(undefined);
    });

    it('when content is deleted, then it is gone, other content stays and deleting again is harmless', async () => {
      const { sha256 } = await put(weights);
      const other = await put(Buffer.from('{"model_type": "bert"}'));

      await store().delete(sha256);

      expect(await store().head(sha256)).to.equal(undefined);
      await expectRejection(store().get(sha256), ErrorCode.StorageUnavailable);
      expect(await store().head(other.sha256)).to.equal(other.size);
      await store().delete(sha256);
    });

    it('when deleted content is put again, then it is created afresh', async () => {
      const { sha256 } = await put(weights);
      await store().delete(sha256);

      expect((await put(weights)).created).to.equal(true);
    });

    it('when the store is cleared, then all content is gone and new content can be put', async () => {
      const first = await put(weights);
      const second = await put(Buffer.from('# README\n'));

      await store().clear();

      expect(await store().head(first.sha256)).to.equal(undefined);
      expect(await store().head(second.sha256)).to.equal(undefined);
      expect((await put(weights)).created).to.equal(true);
    });

    it('when a 50 MiB blob is streamed in chunks, then it round-trips with the right hash and size', async function () {
      this.timeout(30_000);
      const expected = createHash('sha256');
      for (const chunk of chunks(50)) expected.update(chunk);
      const digest = expected.digest('hex');

      const stored = await store().put(Readable.from(chunks(50)), digest);

      expect(stored).to.deep.equal({ sha256: digest, size: 50 * MIB, created: true });
      const actual = createHash('sha256');
      let size = 0;
      for await (const chunk of await store().get(digest)) {
        actual.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
      expect(size).to.equal(50 * MIB);
      expect(actual.digest('hex')).to.equal(digest);
    });
  });
}

// ---- UserStore ----

export function userStoreContract(name: string, factory: SubjectFactory<UserStore>): void {
  describe(`${name} honours the UserStore contract`, () => {
    const users = withSubject(factory);
    const byName = (list: readonly StoredUser[]): StoredUser[] => [...list].sort((a, b) => a.name.localeCompare(b.name));

    it('when a user is saved, then get returns an equal user', async () => {
      const admin = aUser('ece30861defaultadminuser', { isAdmin: true, permissions: ['upload', 'search', 'download', 'admin'] });
      await users().save(admin);

      expect(await users().get(admin.name)).to.deep.equal(admin);
    });

    it('when an unknown user is read, then get returns undefined', async () => {
      await users().save(aUser('alice'));

      expect(await users().get('mallory')).to.equal(undefined);
    });

    it('when a user is saved again, then the new version replaces the old', async () => {
      await users().save(aUser('alice'));
      const promoted = aUser('alice', { permissions: ['upload', 'search', 'download'], passwordHash: '$argon2id$v=19$new' });

      await users().save(promoted);

      expect(await users().get('alice')).to.deep.equal(promoted);
      expect(await users().list()).to.have.length(1);
    });

    it('when users are listed, then every saved user is there', async () => {
      const saved = [aUser('carol'), aUser('alice'), aUser('bob', { isAdmin: true })];
      for (const user of saved) await users().save(user);

      expect(byName(await users().list())).to.deep.equal(byName(saved));
    });

    it('when a user is deleted, then delete answers true, the user is gone and a second delete answers false', async () => {
      await users().save(aUser('alice'));
      await users().save(aUser('bob'));

      expect(await users().delete('alice')).to.equal(true);
      expect(await users().get('alice')).to.equal(undefined);
      expect(await users().delete('alice')).to.equal(false);
      expect((await users().list()).map((user) => user.name)).to.deep.equal(['bob']);
    });

    it('when users are cleared, then none remain', async () => {
      await users().save(aUser('alice'));
      await users().save(aUser('bob'));

      await users().clear();

      expect(await users().list()).to.deep.equal([]);
      expect(await users().get('alice')).to.equal(undefined);
    });
  });
}

// ---- TokenStore ----

const ISSUED_AT = Date.UTC(2025, 10, 27, 10, 0, 0);
const tokenHash = (secret: string): string => sha256Of(secret);
const grant = (userName: string, overrides: { maxUses?: number; expiresAt?: number } = {}) => ({
  userName,
  issuedAt: ISSUED_AT,
  expiresAt: overrides.expiresAt ?? ISSUED_AT + TOKEN_TTL_MS,
  maxUses: overrides.maxUses ?? TOKEN_MAX_USES,
});

export function tokenStoreContract(name: string, factory: SubjectFactory<TokenStore>): void {
  describe(`${name} honours the TokenStore contract`, () => {
    const tokens = withSubject(factory);
    const later = ISSUED_AT + 60_000;

    it('when a token is consumed up to its limit, then each use answers the user and the next is refused', async () => {
      await tokens().issue(tokenHash('s1'), grant('alice', { maxUses: 3 }));

      const uses = [];
      for (let i = 0; i < 4; i += 1) uses.push(await tokens().consume(tokenHash('s1'), later));

      expect(uses).to.deep.equal(['alice', 'alice', 'alice', undefined]);
    });

    it('when a token is used just before it expires, then it works; at and after expiry it is refused', async () => {
      const expiresAt = ISSUED_AT + TOKEN_TTL_MS;
      await tokens().issue(tokenHash('s1'), grant('alice'));

      expect(await tokens().consume(tokenHash('s1'), expiresAt - 1)).to.equal('alice');
      expect(await tokens().consume(tokenHash('s1'), expiresAt)).to.equal(undefined);
      expect(await tokens().consume(tokenHash('s1'), expiresAt + 3_600_000)).to.equal(undefined);
    });

    it('when an unknown token is consumed, then it is refused', async () => {
      await tokens().issue(tokenHash('s1'), grant('alice'));

      expect(await tokens().consume(tokenHash('guessed'), later)).to.equal(undefined);
    });

    it('when a user is revoked, then their tokens are refused and other users keep theirs', async () => {
      await tokens().issue(tokenHash('a1'), grant('alice'));
      await tokens().issue(tokenHash('a2'), grant('alice'));
      await tokens().issue(tokenHash('b1'), grant('bob'));

      await tokens().revokeUser('alice');

      expect(await tokens().consume(tokenHash('a1'), later)).to.equal(undefined);
      expect(await tokens().consume(tokenHash('a2'), later)).to.equal(undefined);
      expect(await tokens().consume(tokenHash('b1'), later)).to.equal('bob');
    });

    it('when one token is revoked, then it is refused at once and the user\'s other tokens keep working', async () => {
      await tokens().issue(tokenHash('a1'), grant('alice'));
      await tokens().issue(tokenHash('a2'), grant('alice'));
      expect(await tokens().consume(tokenHash('a1'), later)).to.equal('alice');

      await tokens().revoke(tokenHash('a1'));
      await tokens().revoke(tokenHash('never-issued'));

      expect(await tokens().consume(tokenHash('a1'), later)).to.equal(undefined);
      expect(await tokens().consume(tokenHash('a2'), later)).to.equal('alice');
    });

    it('when a user is revoked except one token, then only that token keeps working', async () => {
      await tokens().issue(tokenHash('a1'), grant('alice'));
      await tokens().issue(tokenHash('a2'), grant('alice'));
      await tokens().issue(tokenHash('a3'), grant('alice'));
      await tokens().issue(tokenHash('b1'), grant('bob'));

      await tokens().revokeUser('alice', tokenHash('a2'));

      expect(await tokens().consume(tokenHash('a1'), later)).to.equal(undefined);
      expect(await tokens().consume(tokenHash('a2'), later)).to.equal('alice');
      expect(await tokens().consume(tokenHash('a3'), later)).to.equal(undefined);
      expect(await tokens().consume(tokenHash('b1'), later)).to.equal('bob');
    });

    it('when a revoked token is revoked again or its user revoked after, then nothing fails', async () => {
      await tokens().issue(tokenHash('a1'), grant('alice'));
      await tokens().revoke(tokenHash('a1'));
      await tokens().revoke(tokenHash('a1'));
      await tokens().revokeUser('alice');

      expect(await tokens().consume(tokenHash('a1'), later)).to.equal(undefined);
    });

    it('when tokens are cleared, then every token is refused', async () => {
      await tokens().issue(tokenHash('a1'), grant('alice'));
      await tokens().issue(tokenHash('b1'), grant('bob'));

      await tokens().clear();

      expect(await tokens().consume(tokenHash('a1'), later)).to.equal(undefined);
      expect(await tokens().consume(tokenHash('b1'), later)).to.equal(undefined);
    });

    it('when 1100 requests consume a 1000-use token at once, then exactly 1000 succeed', async () => {
      await tokens().issue(tokenHash('busy'), grant('alice', { maxUses: TOKEN_MAX_USES }));

      const results = await Promise.all(Array.from({ length: 1100 }, () => tokens().consume(tokenHash('busy'), later)));

      expect(results.filter((user) => user === 'alice')).to.have.length(TOKEN_MAX_USES);
      expect(results.filter((user) => user === undefined)).to.have.length(100);
    });
  });
}

// ---- AuditLog ----

export function auditLogContract(name: string, factory: SubjectFactory<AuditLog>): void {
  describe(`${name} honours the AuditLog contract`, () => {
    const audit = withSubject(factory);
    const model = anArtifact(1);
    const dataset = anArtifact(2, 'dataset');
    const history: AuditEntry[] = [
      anAuditEntry(model, 'CREATE', 0),
      anAuditEntry(dataset, 'CREATE', 1),
      anAuditEntry(model, 'DOWNLOAD', 2, 'weights'),
      anAuditEntry(model, 'RATE', 3),
      anAuditEntry(dataset, 'DOWNLOAD', 4, 'full'),
      anAuditEntry(model, 'UPDATE', 5, 'package replaced'),
      anAuditEntry(model, 'DOWNLOAD', 6, 'code'),
    ];
    const appendAll = async (): Promise<void> => {
      for (const entry of history) await audit().append(entry);
    };
    const of = (record: ArtifactRecord): AuditEntry[] => history.filter((entry) => entry.artifact.id === record.id);

    it('when entries are read with a generous limit, then all of that artifact come back oldest first and equal', async () => {
      await appendAll();

      expect(await audit().forArtifact(model.id, 100)).to.deep.equal(of(model));
      expect(await audit().forArtifact(dataset.id, 100)).to.deep.equal(of(dataset));
    });

    it('when entries are read with a small limit, then the most recent ones come back oldest first', async () => {
      await appendAll();

      expect((await audit().forArtifact(model.id, 3)).map((entry) => entry.action)).to.deep.equal(['RATE', 'UPDATE', 'DOWNLOAD']);
      expect(await audit().forArtifact(model.id, 1)).to.deep.equal(of(model).slice(-1));
    });

    it('when a group of entries is appended at once, then every one is read back in order', async () => {
      await audit().appendAll(history);

      expect(await audit().forArtifact(model.id, 100)).to.deep.equal(of(model));
      expect(await audit().forArtifact(dataset.id, 100)).to.deep.equal(of(dataset));
    });

    it('when the limit is zero, then nothing comes back', async () => {
      await appendAll();

      expect(await audit().forArtifact(model.id, 0)).to.deep.equal([]);
    });

    it('when an artifact has no entries, then nothing comes back', async () => {
      await appendAll();

      expect(await audit().forArtifact(artifactId(99), 10)).to.deep.equal([]);
    });

    it('when the log is cleared, then no artifact has entries and new ones are recorded', async () => {
      await appendAll();

      await audit().clear();

      expect(await audit().forArtifact(model.id, 100)).to.deep.equal([]);
      await audit().append(anAuditEntry(model, 'AUDIT', 30));
      expect((await audit().forArtifact(model.id, 100)).map((entry) => entry.action)).to.deep.equal(['AUDIT']);
    });

    it('when appends and a group are issued together without waiting, then the trail keeps the order of the calls', async () => {
      const [first, second, group, last] = [history.slice(0, 2), history.slice(2, 3), history.slice(3, 5), history.slice(5)];
      const issued = [
        ...first.map((entry) => audit().append(entry)),
        ...second.map((entry) => audit().append(entry)),
        audit().appendAll(group),
        ...last.map((entry) => audit().append(entry)),
      ];
      await Promise.all(issued);

      expect(await audit().forArtifact(model.id, 100)).to.deep.equal(of(model));
      expect(await audit().forArtifact(dataset.id, 100)).to.deep.equal(of(dataset));
    });
  });
}
