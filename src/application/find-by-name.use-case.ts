import { parseArtifactName, type ArtifactMetadata } from '../domain/artifact';
import { DomainError, ErrorCode } from '../domain/errors';
import { PAGE_SIZE, parseCursor, type Page } from '../domain/pagination';
import type { User } from '../domain/user';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import { requirePermission } from './access';

export class FindByName {
  constructor(private readonly repository: ArtifactRepository) {}

  async execute(input: { actor: User; name: string; offset?: string }): Promise<Page<ArtifactMetadata>> {
    requirePermission(input.actor, 'search');
    const name = parseArtifactName(input.name);
    const after = parseCursor(input.offset);
    const records = await this.repository.list({ name }, after, PAGE_SIZE + 1);
    if (records.length === 0 && after === undefined) {
      throw new DomainError(ErrorCode.NoMatch, `no artifact is named "${name}"`);
    }
    const page = records.slice(0, PAGE_SIZE);
    const next = records.length > PAGE_SIZE ? page[page.length - 1]?.id : undefined;
    return { items: page.map(({ name: n, id, type }) => ({ name: n, id, type })), ...(next === undefined ? {} : { next }) };
  }
}
