import type { Request } from 'express';
import type { CommittedTransaction } from '../../application/transactions.use-cases';
import { isExpired, type StagedItem, type Transaction } from '../../domain/transaction';
import type { components } from './generated/openapi';
import { presentArtifact, presentTrust } from './presenters';

type Schemas = components['schemas'];

/** An open transaction past its expiry reads as `expired` even before the sweeper has aborted it. */
export function presentTransaction(txn: Transaction, now: Date): Schemas['Transaction'] {
  return {
    id: txn.id,
    status: txn.status === 'open' && isExpired(txn, now) ? 'expired' : txn.status,
    created_by: txn.createdBy,
    created_at: txn.createdAt,
    expires_at: txn.expiresAt,
    items: txn.items.map(presentStagedItem),
  };
}

export function presentStagedItem(item: StagedItem): Schemas['StagedItem'] {
  const trust = item.record?.trust;
  return {
    index: item.index,
    action: item.action,
    artifact: { metadata: { ...item.artifact } },
    ...(trust === undefined ? {} : { trust: presentTrust(trust) }),
  };
}

export function presentCommitted(req: Request, committed: CommittedTransaction): Schemas['CommittedTransaction'] {
  return {
    id: committed.txn.id,
    status: 'committed',
    artifacts: committed.written.map((record) => presentArtifact(req, record)),
    deleted: committed.deleted.map((metadata) => ({ ...metadata })),
  };
}
