import { blobsOf, type ArtifactMetadata, type ArtifactRecord } from './artifact';
import { DomainError, ErrorCode } from './errors';

/** Most items one transaction may hold: a release is a handful of artifacts, not a bulk import. */
export const MAX_TRANSACTION_ITEMS = 50;
/** Most transactions one user may hold open at once. */
export const MAX_OPEN_TRANSACTIONS_PER_USER = 5;

/**
 * `committing` holds between claiming the transaction and recording the outcome of its group commit,
 * so an abort (or a second commit) cannot race it; after a crash there the sweeper treats it as open.
 */
export type TransactionStatus = 'open' | 'committing' | 'committed' | 'aborted';
export type StagedAction = 'create' | 'update' | 'delete';

/** One change waiting in a transaction. Creates and updates carry the whole record they will write. */
export interface StagedItem {
  readonly index: number;
  readonly action: StagedAction;
  readonly artifact: ArtifactMetadata;
  /** The record to write (create, update). */
  readonly record?: ArtifactRecord;
  /** The revision the update or deletion was staged against; a different one at commit is a conflict. */
  readonly expectedRevision?: number;
}

export interface Transaction {
  readonly id: string;
  readonly status: TransactionStatus;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly items: readonly StagedItem[];
  /** Bumped by every write; stores replace a transaction only over the revision it was read at. */
  readonly revision: number;
}

/** Whether the transaction's staged content must be kept: it may still become part of records. */
export const holdsContent = (txn: Pick<Transaction, 'status'>): boolean => txn.status === 'open' || txn.status === 'committing';

export const isExpired = (txn: Pick<Transaction, 'expiresAt'>, now: Date): boolean => now.getTime() >= Date.parse(txn.expiresAt);

/** Every blob the transaction's staged records refer to. */
export function stagedBlobs(txn: Pick<Transaction, 'items'>): string[] {
  return [...new Set(txn.items.flatMap((item) => (item.record === undefined ? [] : blobsOf(item.record))))];
}

/** Refuses an item that would exceed the bound or touch an artifact the transaction already changes. */
export function checkRoomFor(txn: Transaction, artifactId: string | undefined, sourceKey?: string): void {
  if (txn.items.length >= MAX_TRANSACTION_ITEMS) {
    throw new DomainError(ErrorCode.TransactionLimit, `transaction ${txn.id} holds ${MAX_TRANSACTION_ITEMS} items already, the most it may; commit it and open another`, {
      limit: MAX_TRANSACTION_ITEMS,
    });
  }
  const twin = txn.items.find((item) => (artifactId !== undefined && item.artifact.id === artifactId)
    || (sourceKey !== undefined && item.record?.sourceKey === sourceKey));
  if (twin !== undefined) {
    throw new DomainError(ErrorCode.ArtifactConflict, `item ${twin.index} of transaction ${txn.id} already ${twin.action}s ${twin.artifact.type} ${twin.artifact.id}; one change per artifact and source`, {
      index: twin.index, artifact_id: twin.artifact.id,
    });
  }
}

/** The transaction with one more item, numbered after the last. */
export function withItem(txn: Transaction, item: Omit<StagedItem, 'index'>): Transaction {
  const index = txn.items.length;
  return { ...txn, items: [...txn.items, { ...item, index }] };
}

/** Names the item in a failure, keeping the underlying code (so a conflict is still a 409). */
export function itemFailure(item: StagedItem, error: DomainError): DomainError {
  return new DomainError(error.code, `item ${item.index} (${item.action} ${item.artifact.type} ${item.artifact.id} "${item.artifact.name}"): ${error.message}; nothing was applied`, {
    ...error.details,
    item: { index: item.index, action: item.action, artifact_id: item.artifact.id },
  });
}
