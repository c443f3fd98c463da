import type { ArtifactMetadata } from '../domain/artifact';
import { DomainError, ErrorCode, invalidInput } from '../domain/errors';
import { PAGE_SIZE, parseCursor, type Page } from '../domain/pagination';
import type { User } from '../domain/user';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import type { PatternCompiler } from '../ports/system.port';
import { requirePermission } from './access';

export const MAX_PATTERN_LENGTH = 1024;
/** Records examined per request; past it the page ends early with a cursor, so no call is unbounded. */
export const MAX_SCANNED_PER_REQUEST = 50_000;
const SCAN_BATCH = 1_000;

/** Searches names and model-card text with a linear-time regular-expression engine. */
export class SearchByRegex {
  constructor(
    private readonly repository: ArtifactRepository,
    private readonly patterns: PatternCompiler,
  ) {}

  async execute(input: { actor: User; regex: string; offset?: string }): Promise<Page<ArtifactMetadata>> {
    requirePermission(input.actor, 'search');
    if (input.regex.length === 0) throw invalidInput('regex must not be empty');
    if (input.regex.length > MAX_PATTERN_LENGTH) throw invalidInput(`regex must be at most ${MAX_PATTERN_LENGTH} characters`);
    const pattern = this.patterns.compile(input.regex);
    const items: ArtifactMetadata[] = [];
    let after = parseCursor(input.offset);
    const startedAfter = after;
    let scanned = 0;
    let exhausted = false;
    while (items.length < PAGE_SIZE && scanned < MAX_SCANNED_PER_REQUEST) {
      const batch = await this.repository.scanText(after, SCAN_BATCH);
      for (const text of batch) {
        after = text.id;
        scanned += 1;
        if (pattern.test(text.name) || pattern.test(text.cardText)) {
          items.push({ name: text.name, id: text.id, type: text.type });
          if (items.length === PAGE_SIZE) break;
        }
      }
      if (batch.length < SCAN_BATCH && items.length < PAGE_SIZE) {
        exhausted = true;
        break;
      }
    }
    if (items.length === 0 && exhausted && startedAfter === undefined) {
      throw new DomainError(ErrorCode.NoMatch, `no artifact name or model card matches /${input.regex}/`);
    }
    return exhausted || after === undefined ? { items } : { items, next: after };
  }
}
