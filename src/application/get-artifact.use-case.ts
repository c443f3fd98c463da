import type { ArtifactRecord, ArtifactType } from '../domain/artifact';
import type { User } from '../domain/user';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import { loadArtifact, requirePermission } from './access';

/** An artifact's record as its owner registered it; the rating evidence is left unread (GetRating serves it). */
export class GetArtifact {
  constructor(private readonly repository: ArtifactRepository) {}

  async execute(input: { actor: User; type: ArtifactType; id: string }): Promise<ArtifactRecord> {
    requirePermission(input.actor, 'search');
    return loadArtifact(this.repository, input.type, input.id, { assessment: false });
  }
}
