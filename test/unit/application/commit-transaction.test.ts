import { expect } from 'chai';
import { MemoryTransactionStore } from '../../../src/adapters/storage/memory/memory-transaction-store';
import { RegisterFromUrl, type RegistrationGate } from '../../../src/application/register-from-url.use-case';
import { SourceIngest } from '../../../src/application/source-ingest';
import { TransactionLedger } from '../../../src/application/transaction-ledger';
import { AbortTransaction, CommitTransaction, SweepTransactions, COMMIT_GRACE_MS } from '../../../src/application/transactions.use-cases';
import { metadataOf, type ArtifactRecord } from '../../../src/domain/artifact';
import { ErrorCode } from '../../../src/domain/errors';
import type { Transaction } from '../../../src/domain/transaction';
import { expectRejection } from '../../support/zip-builder';
import {
  aRecord, admin, ratingServiceFor, silentLogger, unreachableCodeHost, unreachableHub, useCaseFixture,
} from '../../support/use-case-fixture';

/** A public Hugging Face model as URL registration stages it, with the trust bar's verdict. */
const publicModel = (id: string, meetsBar: boolean): ArtifactRecord => aRecord({
  id,
  name: `public-${id.slice(-2)}`,
  source: { kind: 'url', url: `https://huggingface.co/acme/${id}` },
  origin: { hub: 'huggingface', repo: `acme/${id}`, revision: 'main', fetchedAt: '2026-03-01T12:00:00.000Z', info: {}, files: [], tags: [] },
  trust: { meetsBar, threshold: 0.5, failing: meetsBar ? [] : [{ metric: 'ramp_up_time', value: 0.1 }], skipped: [] },
});

describe('CommitTransaction', () => {
  const setup = (gate: RegistrationGate) => {
    const f = useCaseFixture();
    const store = new MemoryTransactionStore();
    const ledger = new TransactionLedger(store, f.clock);
    const fromUrl = new RegisterFromUrl(
      new SourceIngest(unreachableHub, unreachableCodeHost, f.intake, f.clock, 1024), f.intake, f.repository, f.audit, f.ids, f.clock, ratingServiceFor(f), gate,
    );
    const commit = new CommitTransaction(ledger, f.repository, fromUrl, f.intake, f.audit, f.gate, f.clock, silentLogger);
    const sweep = new SweepTransactions(ledger, new AbortTransaction(ledger, f.intake), f.repository, f.clock);
    const stage = async (...records: ArtifactRecord[]): Promise<Transaction> => {
      const txn: Transaction = {
        id: '01KT0000000000000000000001',
        status: 'open',
        createdBy: admin.name,
        createdAt: f.clock.now().toISOString(),
        expiresAt: new Date(f.clock.now().getTime() + 60_000).toISOString(),
        items: records.map((record, index) => ({ index, action: 'create', artifact: metadataOf(record), record })),
        revision: 1,
      };
      await store.create(txn);
      return txn;
    };
    return { ...f, store, commit, sweep, stage };
  };

  it('when a model staged below the bar is committed where registration enforces it, then 424 names the item and nothing is applied', async () => {
    const { commit, stage, repository, store } = setup('enforce');
    const txn = await stage(publicModel('01JD0000000000000000000001', true), publicModel('01JD0000000000000000000002', false));

    const error = await expectRejection(commit.execute({ actor: admin, id: txn.id }), ErrorCode.RatingBelowThreshold);

    expect(error.details?.item).to.deep.equal({ index: 1, action: 'create', artifact_id: '01JD0000000000000000000002' });
    expect(error.message).to.match(/^item 1 \(create model .*ramp_up_time 0\.1.*nothing was applied$/);
    expect(await repository.get('01JD0000000000000000000001')).to.equal(undefined);
    expect((await store.get(txn.id))?.status).to.equal('open');
  });

  it('when the same transaction is committed where registration only flags, then both models land, stamped with the commit time', async () => {
    const { commit, stage, repository, clock, audit } = setup('flag');
    const txn = await stage(publicModel('01JD0000000000000000000001', true), publicModel('01JD0000000000000000000002', false));
    clock.current = new Date(clock.current.getTime() + 5_000);

    const committed = await commit.execute({ actor: admin, id: txn.id });

    expect(committed.written.map((record) => record.id)).to.deep.equal(['01JD0000000000000000000001', '01JD0000000000000000000002']);
    expect((await repository.get('01JD0000000000000000000002'))?.createdAt).to.equal(clock.now().toISOString());
    expect((await audit.forArtifact('01JD0000000000000000000002', 10)).map((entry) => [entry.action, entry.detail])).to.deep.equal([['CREATE', `transaction ${txn.id}`]]);
  });

  it('when an instance died while committing, then the sweep treats the transaction as abandoned only after a grace beyond its expiry', async () => {
    const { stage, store, sweep, clock } = setup('flag');
    const txn = await stage(publicModel('01JD0000000000000000000001', true));
    await store.update({ ...txn, status: 'committing', revision: 2 }, 1);
    clock.current = new Date(Date.parse(txn.expiresAt));
    expect(await sweep.execute()).to.equal(0);
    clock.current = new Date(Date.parse(txn.expiresAt) + COMMIT_GRACE_MS);
    expect(await sweep.execute()).to.equal(1);
    expect((await store.get(txn.id))?.status).to.equal('aborted');
  });

  it('when an instance died after its group commit landed, then the sweep marks the transaction committed instead of aborting it', async () => {
    const { stage, store, sweep, clock, repository } = setup('flag');
    const record = publicModel('01JD0000000000000000000001', true);
    const txn = await stage(record);
    await store.update({ ...txn, status: 'committing', revision: 2 }, 1);
    await repository.commitGroup({ id: txn.id, creates: [record], updates: [], deletes: [] });
    clock.current = new Date(Date.parse(txn.expiresAt) + COMMIT_GRACE_MS);

    expect(await sweep.execute()).to.equal(0);

    expect((await store.get(txn.id))?.status).to.equal('committed');
    expect(await repository.get(record.id)).to.deep.include({ id: record.id });
  });
});
