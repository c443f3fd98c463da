import type { ArtifactMetadata } from './artifact';
import type { User } from './user';

export const AUDIT_ACTIONS = ['CREATE', 'UPDATE', 'DOWNLOAD', 'RATE', 'AUDIT'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

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
