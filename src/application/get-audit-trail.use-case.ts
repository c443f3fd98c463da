import { metadataOf, type ArtifactType } from '../domain/artifact';
import type { AuditEntry } from '../domain/audit';
import type { User } from '../domain/user';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import type { AuditLog } from '../ports/audit-log.port';
import type { Clock } from '../ports/system.port';
import { loadArtifact, requirePermission } from './access';

export const MAX_AUDIT_ENTRIES = 1_000;

/**
 * Reading the trail is itself recorded, so the answer includes this very read as its last entry —
 * unless the read is passive (a page showing the trail without being asked), so views do not flood it.
 */
export class GetAuditTrail {
  constructor(
    private readonly repository: ArtifactRepository,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute(input: { actor: User; type: ArtifactType; id: string; passive?: boolean }): Promise<AuditEntry[]> {
    requirePermission(input.actor, 'search');
    const record = await loadArtifact(this.repository, input.type, input.id);
    if (input.passive !== true) {
      await this.audit.append({ user: input.actor, date: this.clock.now().toISOString(), artifact: metadataOf(record), action: 'AUDIT' });
    }
    return this.audit.forArtifact(record.id, MAX_AUDIT_ENTRIES);
  }
}
