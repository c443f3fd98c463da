import { DomainError, ErrorCode } from '../../../domain/errors';
import { holdsContent, stagedBlobs, type Transaction } from '../../../domain/transaction';
import type { TransactionStore } from '../../../ports/transaction-store.port';
import { mapLimit, type S3Bucket } from './s3-bucket';
import { Prefix, transactionKey, transactionRefDirectory, transactionRefKey } from './s3-layout';

const READS_IN_FLIGHT = 8;

interface Stored {
  readonly txn: Transaction;
  readonly etag: string;
}

/**
 * Transactions as JSON objects under `transactions/<id>`, each change a write with If-Match on the
 * ETag that was read. Staged blobs are found through markers `transaction-refs/<sha>/<id>`, written
 * *before* the transaction that refers to them and removed only after it stopped holding content:
 * a crash in between leaves a marker too many, never a staged blob without one. A marker counts only
 * while its transaction is live and really stages the blob, so stale markers are harmless.
 */
export class S3TransactionStore implements TransactionStore {
  constructor(private readonly bucket: S3Bucket) {}

  async create(txn: Transaction): Promise<void> {
    await this.markBlobs(txn);
    const outcome = await this.bucket.putText(transactionKey(txn.id), JSON.stringify(txn), { ifNoneMatch: '*' });
    if (!outcome.ok) throw new DomainError(ErrorCode.ArtifactConflict, `transaction ${txn.id} exists already`);
  }

  async get(id: string): Promise<Transaction | undefined> {
    return (await this.read(id))?.txn;
  }

  async update(txn: Transaction, expectedRevision: number): Promise<boolean> {
    const stored = await this.read(txn.id);
    if (stored === undefined || stored.txn.revision !== expectedRevision) return false;
    const added = await this.markBlobs(txn, stagedBlobs(stored.txn));
    const outcome = await this.bucket.putText(transactionKey(txn.id), JSON.stringify(txn), { ifMatch: stored.etag });
    if (!outcome.ok) {
      // Another writer won; the markers this attempt added name blobs the stored version never staged.
      await this.bucket.deleteQuietly(added);
      return false;
    }
    if (!holdsContent(txn)) await this.bucket.deleteQuietly(this.markersOf(txn));
    return true;
  }

  async delete(id: string): Promise<void> {
    const stored = await this.read(id);
    if (stored === undefined) return;
    await this.bucket.deleteKeys([transactionKey(id)]);
    await this.bucket.deleteQuietly(this.markersOf(stored.txn));
  }

  async list(): Promise<Transaction[]> {
    const ids: string[] = [];
    for await (const page of this.bucket.pages(Prefix.transactions)) ids.push(...page.objects.map((object) => object.key.slice(Prefix.transactions.length)));
    const read = await mapLimit(ids.sort(), READS_IN_FLIGHT, async (id) => this.get(id));
    return read.filter((txn): txn is Transaction => txn !== undefined);
  }

  async countOpen(userName: string): Promise<number> {
    return (await this.list()).filter((txn) => txn.createdBy === userName && holdsContent(txn)).length;
  }

  async referencesBlob(sha256: string): Promise<boolean> {
    const directory = transactionRefDirectory(sha256);
    for await (const page of this.bucket.pages(directory)) {
      for (const object of page.objects) {
        const txn = await this.get(object.key.slice(directory.length));
        if (txn !== undefined && holdsContent(txn) && stagedBlobs(txn).includes(sha256)) return true;
      }
    }
    return false;
  }

  async clear(): Promise<void> {
    await this.bucket.deletePrefix(Prefix.transactions);
    await this.bucket.deletePrefix(Prefix.transactionRefs);
  }

  private async read(id: string): Promise<Stored | undefined> {
    const stored = await this.bucket.getText(transactionKey(id));
    if (stored === undefined || stored === 'unchanged') return undefined;
    return { txn: JSON.parse(stored.text) as Transaction, etag: stored.etag };
  }

  /** Writes markers for the blobs `txn` stages beyond `known`; returns their keys. */
  private async markBlobs(txn: Transaction, known: readonly string[] = []): Promise<string[]> {
    if (!holdsContent(txn)) return [];
    const keys = stagedBlobs(txn).filter((sha) => !known.includes(sha)).map((sha) => transactionRefKey(sha, txn.id));
    await mapLimit(keys, READS_IN_FLIGHT, async (key) => this.bucket.putText(key, ''));
    return keys;
  }

  private markersOf(txn: Transaction): string[] {
    return stagedBlobs(txn).map((sha) => transactionRefKey(sha, txn.id));
  }
}
