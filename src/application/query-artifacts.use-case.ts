import { hasVersionMatching, parseArtifactName, type ArtifactMetadata, type ArtifactRecord, type ArtifactType } from '../domain/artifact';
import { invalidInput } from '../domain/errors';
import { PAGE_SIZE, parseCursor, type Page } from '../domain/pagination';
import type { User } from '../domain/user';
import { parseVersionRange, type VersionRange } from '../domain/version';
import type { ArtifactFilter, ArtifactRepository } from '../ports/artifact-repository.port';
import { matchesTrust, parseTrustFilter, trustStandingOf, type TrustFilter } from '../domain/trust-verdict';
import { requirePermission } from './access';

export interface ArtifactQuery {
  readonly name: string;
  readonly types?: readonly ArtifactType[];
  readonly version?: string;
  /** Only artifacts standing so against the trust bar. */
  readonly trust?: string;
}

/** A listed artifact, with where it stands against the trust bar. */
export interface ListedArtifact extends ArtifactMetadata {
  readonly trust: TrustFilter;
}

export const MAX_QUERIES = 32;

interface CompiledQuery {
  readonly filter: ArtifactFilter;
  readonly version?: VersionRange;
  readonly trust?: TrustFilter;
}

/**
 * Answers a list of queries as one id-ordered, de-duplicated page. Each query reads at most one page
 * of candidates after the cursor; the next cursor stops at the smallest id any query might still
 * continue from, so no match is skipped or repeated across pages.
 */
export class QueryArtifacts {
  constructor(private readonly repository: ArtifactRepository) {}

  async execute(input: { actor: User; queries: readonly ArtifactQuery[]; offset?: string }): Promise<Page<ListedArtifact>> {
    requirePermission(input.actor, 'search');
    const after = parseCursor(input.offset);
    const queries = compile(input.queries);
    const batches = await Promise.all(queries.map((query) => this.repository.list(query.filter, after, PAGE_SIZE)));
    let horizon: string | undefined;
    const matches = new Map<string, ArtifactRecord>();
    batches.forEach((batch, index) => {
      const last = batch[batch.length - 1];
      if (batch.length === PAGE_SIZE && last !== undefined && (horizon === undefined || last.id < horizon)) horizon = last.id;
      const version = queries[index]?.version;
      const trust = queries[index]?.trust;
      for (const record of batch) {
        if ((version === undefined || hasVersionMatching(record, version.matches)) && (trust === undefined || matchesTrust(record.trust, trust))) {
          matches.set(record.id, record);
        }
      }
    });
    const ordered = [...matches.values()]
      .filter((record) => horizon === undefined || record.id <= horizon)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const page = ordered.slice(0, PAGE_SIZE);
    const next = ordered.length > PAGE_SIZE ? page[page.length - 1]?.id : horizon;
    return { items: page.map(({ name, id, type, trust }) => ({ name, id, type, trust: trustStandingOf(trust) })), ...(next === undefined ? {} : { next }) };
  }
}

function compile(queries: readonly ArtifactQuery[]): CompiledQuery[] {
  if (queries.length === 0) throw invalidInput('give at least one query, e.g. [{"name": "*"}] to list everything');
  if (queries.length > MAX_QUERIES) throw invalidInput(`at most ${MAX_QUERIES} queries fit in one request`);
  return queries.map((query) => {
    const types = query.types !== undefined && query.types.length > 0 ? { types: query.types } : {};
    const name = query.name === '*' ? {} : { name: parseArtifactName(query.name) };
    const version = query.version === undefined ? {} : { version: parseVersionRange(query.version) };
    const trust = query.trust === undefined ? {} : { trust: parseTrustFilter(query.trust) };
    return { filter: { ...name, ...types }, ...version, ...trust };
  });
}
