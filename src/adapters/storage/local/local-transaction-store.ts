import type Database from 'better-sqlite3';
import { DomainError, ErrorCode } from '../../../domain/errors';
import { holdsContent, stagedBlobs, type Transaction } from '../../../domain/transaction';
import type { TransactionStore } from '../../../ports/transaction-store.port';

/**
 * Transactions in the local database, the whole transaction as JSON. The blobs staged by live
 * transactions are indexed in `transaction_blobs`, written in the same SQLite transaction as the
 * row, so `referencesBlob` can never miss content a staged record needs.
 */
export class LocalTransactionStore implements TransactionStore {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      get: db.prepare<[string], { body: string }>('SELECT body FROM transactions WHERE id = ?'),
      insert: db.prepare('INSERT INTO transactions (id, created_by, status, revision, body) VALUES (@id, @createdBy, @status, @revision, @body)'),
      update: db.prepare('UPDATE transactions SET status = @status, revision = @revision, body = @body WHERE id = @id AND revision = @expected'),
      delete: db.prepare('DELETE FROM transactions WHERE id = ?'),
      list: db.prepare<[], { body: string }>('SELECT body FROM transactions ORDER BY id'),
      countOpen: db.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM transactions WHERE created_by = ? AND status IN ('open', 'committing')"),
      deleteBlobs: db.prepare('DELETE FROM transaction_blobs WHERE transaction_id = ?'),
      insertBlob: db.prepare('INSERT OR IGNORE INTO transaction_blobs (sha256, transaction_id) VALUES (?, ?)'),
      referenced: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM transaction_blobs WHERE sha256 = ? LIMIT 1'),
    };
  }

  async create(txn: Transaction): Promise<void> {
    this.db.transaction(() => {
      if (this.statements.get.get(txn.id) !== undefined) throw new DomainError(ErrorCode.ArtifactConflict, `transaction ${txn.id} exists already`);
      this.statements.insert.run(this.columns(txn));
      this.writeBlobs(txn);
    })();
  }

  async get(id: string): Promise<Transaction | undefined> {
    const row = this.statements.get.get(id);
    return row === undefined ? undefined : (JSON.parse(row.body) as Transaction);
  }

  async update(txn: Transaction, expectedRevision: number): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.statements.update.run({ ...this.columns(txn), expected: expectedRevision }).changes === 0) return false;
      this.writeBlobs(txn);
      return true;
    })();
  }

  async delete(id: string): Promise<void> {
    this.db.transaction(() => {
      this.statements.deleteBlobs.run(id);
      this.statements.delete.run(id);
    })();
  }

  async list(): Promise<Transaction[]> {
    return this.statements.list.all().map((row) => JSON.parse(row.body) as Transaction);
  }

  async countOpen(userName: string): Promise<number> {
    return this.statements.countOpen.get(userName)?.n ?? 0;
  }

  async referencesBlob(sha256: string): Promise<boolean> {
    return this.statements.referenced.get(sha256) !== undefined;
  }

  async clear(): Promise<void> {
    this.db.exec('DELETE FROM transaction_blobs; DELETE FROM transactions;');
  }

  private columns(txn: Transaction): Record<string, string | number> {
    return { id: txn.id, createdBy: txn.createdBy, status: txn.status, revision: txn.revision, body: JSON.stringify(txn) };
  }

  /** Only live transactions hold content; a finished one's rows go, so its blobs may be released. */
  private writeBlobs(txn: Transaction): void {
    this.statements.deleteBlobs.run(txn.id);
    if (!holdsContent(txn)) return;
    for (const sha of stagedBlobs(txn)) this.statements.insertBlob.run(sha, txn.id);
  }
}
