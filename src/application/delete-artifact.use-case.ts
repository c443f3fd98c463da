import { blobsOf, metadataOf, type ArtifactType } from '../domain/artifact';
import { DomainError, ErrorCode } from '../domain/errors';
import type { User } from '../domain/user';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import type { AuditLog } from '../ports/audit-log.port';
import type { Clock } from '../ports/system.port';
import { loadArtifact, requireOwnerOrAdmin, requirePermission } from './access';
import { auditOrUndo } from './audited-change';
import type { PackageIntake } from './package-intake';

/**
 * Deletes the record first, so a failure while releasing content never leaves a record without bytes.
 * The audit trail outlives the record: its DELETE entry says who removed it and when.
 */
export class DeleteArtifact {
  constructor(
    private readonly repository: ArtifactRepository,
    private readonly intake: PackageIntake,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute(input: { actor: User; type: ArtifactType; id: string }): Promise<void> {
    requirePermission(input.actor, 'upload');
    const record = await loadArtifact(this.repository, input.type, input.id);
    requireOwnerOrAdmin(input.actor, record, 'delete');
    if (!(await this.repository.delete(record.id))) {
      throw new DomainError(ErrorCode.ArtifactNotFound, `no ${input.type} artifact has id "${input.id}"`);
    }
    // The content is released only after the entry is written, so the record can still be put back.
    await auditOrUndo(this.audit, { user: input.actor, date: this.clock.now().toISOString(), artifact: metadataOf(record), action: 'DELETE' }, () => this.repository.create(record));
    await this.intake.releaseUnused(blobsOf(record));
  }
}
