import { assertArtifactId } from '../domain/artifact';
import type { AuditEntry } from '../domain/audit';
import { DomainError, ErrorCode } from '../domain/errors';
import type { User } from '../domain/user';
import type { AuditLog } from '../ports/audit-log.port';
import { MAX_AUDIT_ENTRIES } from './get-audit-trail.use-case';

/**
 * An administrator's view of the audit log by artifact id, whether or not the artifact still exists:
 * the per-artifact trail of the contract ends with the artifact, this one shows who deleted it.
 */
export class ReadRegistryAudit {
  constructor(private readonly audit: AuditLog) {}

  async execute(input: { actor: User; artifactId: string }): Promise<AuditEntry[]> {
    if (!input.actor.isAdmin) {
      throw new DomainError(ErrorCode.Forbidden, `user "${input.actor.name}" is not an admin and may not read the registry's audit log`);
    }
    const id = assertArtifactId(input.artifactId);
    const entries = await this.audit.forArtifact(id, MAX_AUDIT_ENTRIES);
    if (entries.length === 0) throw new DomainError(ErrorCode.ArtifactNotFound, `the audit log has no entry for artifact id "${id}"`);
    return entries;
  }
}
