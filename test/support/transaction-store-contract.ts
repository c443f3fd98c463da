import { expect } from 'chai';
import { metadataOf } from '../../src/domain/artifact';
import { ErrorCode } from '../../src/domain/errors';
import { stagedBlobs, withItem, type Transaction } from '../../src/domain/transaction';
import type { TransactionStore } from '../../src/ports/transaction-store.port';
import { anArtifact, type SubjectFactory } from './storage-contract';
import { expectRejection } from './zip-builder';

/** A ULID-shaped transaction id that sorts by `n`. */
export const transactionId = (n: number): string => `01KT${String(n).padStart(22, '0')}`;

export const aTransaction = (n: number, createdBy = 'alice', overrides: Partial<Transaction> = {}): Transaction => ({
  id: transactionId(n),
  status: 'open',
  createdBy,
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2026-01-01T01:00:00.000Z',
  items: [],
  revision: 1,
  ...overrides,
});

/** The transaction with a staged create of artifact `n`, its revision bumped as a writer would. */
export function staging(txn: Transaction, n: number): Transaction {
  const record = anArtifact(n);
  return { ...withItem(txn, { action: 'create', artifact: metadataOf(record), record }), revision: txn.revision + 1 };
}

export function transactionStoreContract(name: string, factory: SubjectFactory<TransactionStore>): void {
  describe(`${name} honours the TransactionStore contract`, () => {
    let close: () => Promise<void>;
    let store: TransactionStore;
    beforeEach(async () => {
      ({ subject: store, close } = await factory());
    });
    afterEach(async () => close());

    it('when a transaction is created, then it reads back as saved and a second create of its id is refused', async () => {
      const txn = staging(aTransaction(1), 7);
      await store.create(txn);
      expect(await store.get(txn.id)).to.deep.equal(txn);
      expect(await store.get(transactionId(99))).to.equal(undefined);
      await expectRejection(store.create(txn), ErrorCode.ArtifactConflict);
    });

    it('when an update names the stored revision, then it lands; when it names an older one, then nothing changes', async () => {
      const txn = aTransaction(1);
      await store.create(txn);
      const next = staging(txn, 1);
      expect(await store.update(next, 1)).to.equal(true);
      const stale = staging(txn, 2);
      expect(await store.update(stale, 1)).to.equal(false);
      expect(await store.get(txn.id)).to.deep.equal(next);
      expect(await store.update(aTransaction(5), 1)).to.equal(false);
      expect(await store.get(transactionId(5))).to.equal(undefined);
    });

    it('when two writers update from the same revision, then exactly one wins', async () => {
      const txn = aTransaction(1);
      await store.create(txn);
      const outcomes = await Promise.all([store.update(staging(txn, 1), 1), store.update(staging(txn, 2), 1)]);
      expect(outcomes.filter(Boolean)).to.have.length(1);
      expect((await store.get(txn.id))?.items).to.have.length(1);
    });

    it('when a blob is staged by an open transaction, then it is referenced until the transaction commits, aborts or goes', async () => {
      const open = staging(aTransaction(1), 1);
      const [sha] = stagedBlobs(open);
      await store.create(open);
      expect(await store.referencesBlob(sha!)).to.equal(true);
      expect(await store.referencesBlob('0'.repeat(64))).to.equal(false);

      const committing = { ...open, status: 'committing' as const, revision: open.revision + 1 };
      expect(await store.update(committing, open.revision)).to.equal(true);
      expect(await store.referencesBlob(sha!)).to.equal(true);

      expect(await store.update({ ...committing, status: 'committed', revision: committing.revision + 1 }, committing.revision)).to.equal(true);
      expect(await store.referencesBlob(sha!)).to.equal(false);

      const other = staging(aTransaction(2), 1);
      await store.create(other);
      expect(await store.referencesBlob(sha!)).to.equal(true);
      await store.delete(other.id);
      expect(await store.referencesBlob(sha!)).to.equal(false);
      expect(await store.get(other.id)).to.equal(undefined);
    });

    it('when several users hold transactions, then each counts only their live ones and the list holds all, oldest first', async () => {
      await store.create(aTransaction(3, 'alice'));
      await store.create(aTransaction(1, 'alice'));
      await store.create(aTransaction(2, 'bob'));
      await store.create(aTransaction(4, 'alice', { status: 'aborted' }));
      expect(await store.countOpen('alice')).to.equal(2);
      expect(await store.countOpen('bob')).to.equal(1);
      expect(await store.countOpen('carol')).to.equal(0);
      expect((await store.list()).map((txn) => txn.id)).to.deep.equal([1, 2, 3, 4].map(transactionId));
    });

    it('when the store is cleared, then no transaction and no staged blob is left', async () => {
      const txn = staging(aTransaction(1), 1);
      await store.create(txn);
      await store.clear();
      expect(await store.list()).to.deep.equal([]);
      expect(await store.referencesBlob(stagedBlobs(txn)[0]!)).to.equal(false);
    });
  });
}
