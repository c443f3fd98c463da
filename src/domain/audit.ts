import type { ArtifactMetadata } from './artifact';
import type { User } from './user';

/** The actions the course contract's audit trail names; its per-artifact route answers only these. */
export const CONTRACT_AUDIT_ACTIONS = ['CREATE', 'UPDATE', 'DOWNLOAD', 'RATE', 'AUDIT'] as const;
export const AUDIT_ACTIONS = [...CONTRACT_AUDIT_ACTIONS, 'DELETE'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type ContractAuditAction = (typeof CONTRACT_AUDIT_ACTIONS)[number];

export interface AuditEntry {
  readonly user: Pick<User, 'name' | 'isAdmin'>;
  readonly date: string;
  readonly artifact: ArtifactMetadata;
  readonly action: AuditAction;
  /** What was touched, when it helps a reader: the part downloaded, the package replaced. */
  readonly detail?: string;
  /** Downloads of a sensitive model: what its pre-download program decided, and what it printed. */
  readonly outcome?: 'allowed' | 'refused' | 'failed';
  readonly hookOutput?: string;
}

export const isContractAuditEntry = (entry: AuditEntry): entry is AuditEntry & { readonly action: ContractAuditAction } =>
  (CONTRACT_AUDIT_ACTIONS as readonly string[]).includes(entry.action);
