import type { ArtifactRecord, ArtifactType } from '../domain/artifact';
import { DomainError, ErrorCode, invalidInput } from '../domain/errors';
import { parseSourceUrl } from '../domain/source-url';
import type { User } from '../domain/user';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import { loadArtifact, requirePermission } from './access';

/**
 * Registration by URL. The source policy is enforced here already, so hostile URLs are refused before
 * anything else happens; fetching from the hubs arrives with the ModelHub and CodeHost adapters, and
 * until then an accepted URL is answered honestly as not yet fetchable, never with a fake record.
 */
export class RegisterFromUrl {
  constructor(private readonly repository: ArtifactRepository) {}

  /** With `replacing`, the artifact must exist under that id and name before its source may change. */
  async execute(input: {
    actor: User;
    type: ArtifactType;
    url: string;
    replacing?: { id: string; name: string };
  }): Promise<ArtifactRecord> {
    requirePermission(input.actor, 'upload');
    if (input.replacing !== undefined) {
      const current = await loadArtifact(this.repository, input.type, input.replacing.id);
      if (current.name !== input.replacing.name) {
        throw invalidInput(`name "${input.replacing.name}" does not match artifact ${current.id}, which is named "${current.name}"`);
      }
    }
    const source = parseSourceUrl(input.url, input.type);
    throw new DomainError(
      ErrorCode.IngestUnavailable,
      `this registry cannot fetch from ${source.hub === 'github' ? 'GitHub' : 'Hugging Face'} yet; upload the ${input.type} as a zip instead`,
      { source },
    );
  }
}
