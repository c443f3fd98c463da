import type { ArtifactRecord } from '../domain/artifact';
import {
  buildLineageGraph, declaredParents, normalizeRepoName, type DeclarationKind, type DeclaredLineage, type LineageArtifact, type LineageResult,
} from '../domain/lineage';
import type { ArtifactRepository } from '../ports/artifact-repository.port';

const MAX_RESOLVE_ROUNDS = 12;
const CANDIDATES_PER_NAME = 50;

/** What an artifact's own metadata says about its parents. */
export function declarationsOf(record: ArtifactRecord): DeclaredLineage {
  return declaredParents({
    repo: record.origin?.repo ?? record.name,
    ...(record.config === undefined ? {} : { config: record.config }),
    ...(record.adapterConfig === undefined ? {} : { adapterConfig: record.adapterConfig }),
    // A card without front matter declares nothing; it must not count as metadata that was read.
    ...(record.card === undefined || Object.keys(record.card.metadata).length === 0 ? {} : { cardMetadata: record.card.metadata }),
    files: record.package?.files ?? [],
    ...(record.assessment?.evidence.code === undefined ? {} : { codeRepos: [record.assessment.evidence.code.repo] }),
  });
}

/**
 * Lineage is computed when asked, from every artifact's declarations and what the registry holds now,
 * so registering a parent after its child links them without touching the child. The pure graph
 * builder resolves names synchronously; this service loads the registry records it asks about, round
 * by round, until no new name comes up.
 */
export class LineageService {
  constructor(private readonly repository: ArtifactRepository) {}

  async graphFor(record: ArtifactRecord): Promise<LineageResult> {
    const known = new Map<string, ArtifactRecord | null>();
    let result: LineageResult | undefined;
    for (let round = 0; round < MAX_RESOLVE_ROUNDS; round += 1) {
      const missing = new Map<string, { name: string; kind: DeclarationKind }>();
      result = buildLineageGraph(this.lineageArtifact(record), (name, kind) => {
        const key = keyOf(name, kind);
        if (!known.has(key)) {
          missing.set(key, { name, kind });
          return undefined;
        }
        const found = known.get(key);
        return found === null || found === undefined || found.id === record.id ? undefined : this.lineageArtifact(found);
      });
      if (missing.size === 0) return result;
      await Promise.all([...missing].map(async ([key, { name, kind }]) => known.set(key, (await this.find(name, kind)) ?? null)));
    }
    return result ?? buildLineageGraph(this.lineageArtifact(record), () => undefined);
  }

  private lineageArtifact(record: ArtifactRecord): LineageArtifact {
    return {
      id: record.id,
      name: record.name,
      type: record.type,
      declarations: declarationsOf(record).declarations,
      metadata: { repository_url: record.source.kind === 'url' ? record.source.url : `urn:tmr:upload:sha256:${record.package?.full.sha256 ?? ''}`, type: record.type, registered: true },
    };
  }

  /**
   * The registered artifact a declared name refers to: one mirrored from exactly that repository
   * (legacy names normalised), else an upload carrying that name. The oldest wins, so the answer is stable.
   */
  private async find(name: string, kind: DeclarationKind): Promise<ArtifactRecord | undefined> {
    const lastSegment = name.slice(name.lastIndexOf('/') + 1);
    const candidates = [
      ...(await this.repository.list({ name: lastSegment, types: [kind] }, undefined, CANDIDATES_PER_NAME)),
      ...(lastSegment === name ? [] : await this.repository.list({ name, types: [kind] }, undefined, CANDIDATES_PER_NAME)),
    ].sort((a, b) => (a.id < b.id ? -1 : 1));
    const mirrored = candidates.find((candidate) => candidate.origin !== undefined && keyOf(candidate.origin.repo, kind) === keyOf(name, kind));
    const chosen = mirrored ?? candidates.find((candidate) => candidate.origin === undefined && (candidate.name === name || candidate.name === lastSegment));
    // Listings may leave out the assessment, whose evidence names the linked code: read the whole record.
    return chosen === undefined ? undefined : this.repository.get(chosen.id);
  }
}

function keyOf(name: string, kind: DeclarationKind): string {
  return `${kind}:${(normalizeRepoName(name, kind) ?? name).toLowerCase()}`;
}
