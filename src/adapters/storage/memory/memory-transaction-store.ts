import { DomainError, ErrorCode } from '../../../domain/errors';
import { holdsContent, stagedBlobs, type Transaction } from '../../../domain/transaction';
import type { TransactionStore } from '../../../ports/transaction-store.port';

const clone = <T>(value: T): T => structuredClone(value);

export class MemoryTransactionStore implements TransactionStore {
  private readonly transactions = new Map<string, Transaction>();

  async create(txn: Transaction): Promise<void> {
    if (this.transactions.has(txn.id)) throw new DomainError(ErrorCode.ArtifactConflict, `transaction ${txn.id} exists already`);
    this.transactions.set(txn.id, clone(txn));
  }

  async get(id: string): Promise<Transaction | undefined> {
    const txn = this.transactions.get(id);
    return txn === undefined ? undefined : clone(txn);
  }

  async update(txn: Transaction, expectedRevision: number): Promise<boolean> {
    if (this.transactions.get(txn.id)?.revision !== expectedRevision) return false;
    this.transactions.set(txn.id, clone(txn));
    return true;
  }

  async delete(id: string): Promise<void> {
    this.transactions.delete(id);
  }

  async list(): Promise<Transaction[]> {
    return [...this.transactions.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map(clone);
  }

  async countOpen(userName: string): Promise<number> {
    return [...this.transactions.values()].filter((txn) => txn.createdBy === userName && holdsContent(txn)).length;
  }

  async referencesBlob(sha256: string): Promise<boolean> {
    return [...this.transactions.values()].some((txn) => holdsContent(txn) && stagedBlobs(txn).includes(sha256));
  }

  async clear(): Promise<void> {
    this.transactions.clear();
  }
}
