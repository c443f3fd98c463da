import type { ArtifactMetadata } from '../domain/artifact';
import { DomainError, ErrorCode, invalidInput } from '../domain/errors';
import { PAGE_SIZE, parseCursor, type Page } from '../domain/pagination';
import { requiredLiterals } from '../domain/search/required-literals';
import type { User } from '../domain/user';
import type { ArtifactRepository, SearchableText, TextIndex } from '../ports/artifact-repository.port';
import type { PatternCompiler, SafePattern } from '../ports/system.port';
import { requirePermission } from './access';

export const MAX_PATTERN_LENGTH = 1024;
/** Records examined per request; past it the page ends early with a cursor, so no call is unbounded. */
export const MAX_SCANNED_PER_REQUEST = 50_000;
const SCAN_BATCH = 1_000;

interface Walk {
  readonly items: ArtifactMetadata[];
  readonly after: string | undefined;
  readonly exhausted: boolean;
}

/**
 * Searches names and model-card text with a linear-time regular-expression engine. Where the store
 * has a text index and the pattern has required literals, only the records containing them are
 * read; otherwise every record is, in bounded batches. Both walks page the same way: by id, with the
 * last id examined as the cursor.
 */
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
    const startedAfter = parseCursor(input.offset);
    const literals = requiredLiterals(input.regex);
    const index = this.repository.textIndex;
    const walk = literals !== undefined && index !== undefined
      ? await this.walkCandidates(index, await index.candidates(literals, startedAfter, MAX_SCANNED_PER_REQUEST + 1), pattern, startedAfter)
      : await this.walkAll(pattern, startedAfter);
    if (walk.items.length === 0 && walk.exhausted && startedAfter === undefined) {
      throw new DomainError(ErrorCode.NoMatch, `no artifact name or model card matches /${input.regex}/`);
    }
    return walk.exhausted || walk.after === undefined ? { items: walk.items } : { items: walk.items, next: walk.after };
  }

  private async walkCandidates(index: TextIndex, ids: string[], pattern: SafePattern, startedAfter: string | undefined): Promise<Walk> {
    const capped = ids.slice(0, MAX_SCANNED_PER_REQUEST);
    const items: ArtifactMetadata[] = [];
    let after = startedAfter;
    for (let start = 0; start < capped.length && items.length < PAGE_SIZE; start += SCAN_BATCH) {
      const batch = capped.slice(start, start + SCAN_BATCH);
      after = this.confirm(await index.texts(batch), pattern, items) ?? batch[batch.length - 1];
    }
    const examinedAll = items.length < PAGE_SIZE || after === capped[capped.length - 1];
    return { items, after, exhausted: examinedAll && ids.length <= MAX_SCANNED_PER_REQUEST };
  }

  private async walkAll(pattern: SafePattern, startedAfter: string | undefined): Promise<Walk> {
    const items: ArtifactMetadata[] = [];
    let after = startedAfter;
    let scanned = 0;
    while (items.length < PAGE_SIZE && scanned < MAX_SCANNED_PER_REQUEST) {
      const batch = await this.repository.scanText(after, SCAN_BATCH);
      const stoppedAt = this.confirm(batch, pattern, items);
      scanned += batch.length;
      after = stoppedAt ?? batch[batch.length - 1]?.id ?? after;
      if (batch.length < SCAN_BATCH && items.length < PAGE_SIZE) return { items, after, exhausted: true };
    }
    return { items, after, exhausted: false };
  }

  /** Adds the matches among `texts` until the page is full; answers the id it stopped at, if it filled. */
  private confirm(texts: readonly SearchableText[], pattern: SafePattern, items: ArtifactMetadata[]): string | undefined {
    for (const text of texts) {
      if (pattern.test(text.name) || pattern.test(text.cardText)) {
        items.push({ name: text.name, id: text.id, type: text.type });
        if (items.length === PAGE_SIZE) return text.id;
      }
    }
    return undefined;
  }
}
