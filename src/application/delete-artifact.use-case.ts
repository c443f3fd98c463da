import { blobsOf, type ArtifactType } from '../domain/artifact';
import { DomainError, ErrorCode } from '../domain/errors';
import type { User } from '../domain/user';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import { loadArtifact, requirePermission } from './access';
import type { PackageIntake } from './package-intake';

/** Deletes the record first, so a failure while releasing content never leaves a record without bytes. */
export class DeleteArtifact {
  constructor(
    private readonly repository: ArtifactRepository,
    private readonly intake: PackageIntake,
  ) {}

  async execute(input: { actor: User; type: ArtifactType; id: string }): Promise<void> {
    requirePermission(input.actor, 'upload');
    const record = await loadArtifact(this.repository, input.type, input.id);
    if (!input.actor.isAdmin && record.createdBy !== input.actor.name) {
      throw new DomainError(ErrorCode.Forbidden, `only an admin or "${record.createdBy}" may delete artifact ${record.id}`);
    }
    if (!(await this.repository.delete(record.id))) {
      throw new DomainError(ErrorCode.ArtifactNotFound, `no ${input.type} artifact has id "${input.id}"`);
    }
    await this.intake.releaseUnused(blobsOf(record));
  }
}
