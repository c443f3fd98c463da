import type { ArtifactRecord, ArtifactType } from '../domain/artifact';
import { DomainError, ErrorCode } from '../domain/errors';
import { parseSourceUrl } from '../domain/source-url';
import type { User } from '../domain/user';
import { requirePermission } from './access';

/**
 * Registration by URL. The source policy is enforced here already, so hostile URLs are refused before
 * anything else happens; fetching from the hubs arrives with the ModelHub and CodeHost adapters, and
 * until then an accepted URL is answered honestly as not yet fetchable, never with a fake record.
 */
export class RegisterFromUrl {
  async execute(input: { actor: User; type: ArtifactType; url: string }): Promise<ArtifactRecord> {
    requirePermission(input.actor, 'upload');
    const source = parseSourceUrl(input.url, input.type);
    throw new DomainError(
      ErrorCode.IngestUnavailable,
      `this registry cannot fetch from ${source.hub === 'github' ? 'GitHub' : 'Hugging Face'} yet; upload the ${input.type} as a zip instead`,
      { source },
    );
  }
}
