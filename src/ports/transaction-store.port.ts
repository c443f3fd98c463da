import type { Transaction } from '../domain/transaction';

/**
 * Transactions and what they have staged. The state lives here and nowhere else, because the
 * requests of one transaction may reach different instances (Lambda) or processes.
 */
export interface TransactionStore {
  /** Saves a new transaction; ARTIFACT.CONFLICT when the id exists. */
  create(txn: Transaction): Promise<void>;
  get(id: string): Promise<Transaction | undefined>;
  /**
   * Replaces the transaction only when the stored one still has `expectedRevision`; returns false
   * (and changes nothing) when someone else wrote it meanwhile or it is gone.
   */
  update(txn: Transaction, expectedRevision: number): Promise<boolean>;
  delete(id: string): Promise<void>;
  /** Every stored transaction, in any state, oldest first: for the sweeper. */
  list(): Promise<Transaction[]>;
  /** How many transactions this user holds open (or committing). */
  countOpen(userName: string): Promise<number>;
  /** Whether an open or committing transaction has staged a record that refers to this blob. */
  referencesBlob(sha256: string): Promise<boolean>;
  clear(): Promise<void>;
}
