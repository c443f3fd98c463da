import type { ArtifactRecord } from '../domain/artifact';
import { DomainError, ErrorCode } from '../domain/errors';
import {
  checkRoomFor, isExpired, withItem, type StagedItem, type Transaction, type TransactionStatus,
} from '../domain/transaction';
import type { User } from '../domain/user';
import type { TransactionStore } from '../ports/transaction-store.port';
import type { Clock } from '../ports/system.port';

const APPEND_ATTEMPTS = 8;

/**
 * Reads and changes transactions for the use cases: who may touch one, whether it still takes
 * changes, and conditional writes that never lose a concurrent change (stage requests for one
 * transaction may run at once, on different instances).
 */
export class TransactionLedger {
  constructor(
    readonly store: TransactionStore,
    private readonly clock: Clock,
  ) {}

  /** The transaction, when it exists and `actor` created it or is an admin. */
  async visibleTo(actor: User, id: string): Promise<Transaction> {
    const txn = await this.store.get(id);
    if (txn === undefined) throw new DomainError(ErrorCode.TransactionNotFound, `no transaction has id "${id}"`);
    if (!actor.isAdmin && txn.createdBy !== actor.name) {
      throw new DomainError(ErrorCode.Forbidden, `only an admin or "${txn.createdBy}" may use transaction ${id}`);
    }
    return txn;
  }

  /** The transaction, when it also still takes changes: open and not expired. */
  async openFor(actor: User, id: string): Promise<Transaction> {
    const txn = await this.visibleTo(actor, id);
    requireOpen(txn, this.clock.now());
    return txn;
  }

  /** Appends an item, retrying over concurrent appends; the bound and the open state are checked on every attempt. */
  async append(actor: User, id: string, item: Omit<StagedItem, 'index'>, sourceKey?: string): Promise<StagedItem> {
    for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt += 1) {
      const txn = await this.openFor(actor, id);
      checkRoomFor(txn, item.action === 'create' ? undefined : item.artifact.id, sourceKey);
      const next = { ...withItem(txn, item), revision: txn.revision + 1 };
      if (await this.store.update(next, txn.revision)) return next.items[next.items.length - 1] as StagedItem;
    }
    throw new DomainError(ErrorCode.ArtifactConflict, `transaction ${id} is being changed by many requests at once; retry`);
  }

  /** Moves the transaction to `status` if nobody changed it since it was read; the new version, or undefined. */
  async transition(txn: Transaction, status: TransactionStatus): Promise<Transaction | undefined> {
    const next: Transaction = { ...txn, status, revision: txn.revision + 1 };
    return (await this.store.update(next, txn.revision)) ? next : undefined;
  }

  /** The item a create or update stages for `record`. */
  static itemFor(record: ArtifactRecord, current: ArtifactRecord | undefined): Omit<StagedItem, 'index'> {
    const artifact = { name: record.name, id: record.id, type: record.type };
    return current === undefined
      ? { action: 'create', artifact, record }
      : { action: 'update', artifact, record, expectedRevision: current.revision };
  }
}

export function requireOpen(txn: Transaction, now: Date): void {
  if (txn.status !== 'open') {
    throw new DomainError(ErrorCode.TransactionClosed, `transaction ${txn.id} is ${txn.status}; it takes no more changes`, { status: txn.status });
  }
  if (isExpired(txn, now)) {
    throw new DomainError(ErrorCode.TransactionExpired, `transaction ${txn.id} expired at ${txn.expiresAt}; its staged changes are discarded, open a new one`, {
      expires_at: txn.expiresAt,
    });
  }
}
