import type { ArtifactRecord } from '../domain/artifact';
import { isDeeplyFrozen } from '../domain/immutable';
import {
  buildFamilyGraph, buildLineageGraph, declaredParents, mergeLineage, normalizeRepoName, type DeclarationKind, type DeclaredLineage, type LineageArtifact,
  type LineageResult,
} from '../domain/lineage';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import { ChangeMarkedCache } from './change-marked-cache';

const MAX_RESOLVE_ROUNDS = 12;
const CANDIDATES_PER_NAME = 50;
/** Models read to find a family's descendants; a larger registry answers with `truncated`. */
export const FAMILY_SCAN_LIMIT = 20_000;
const SCAN_PAGE = 100;
const FAMILY_CACHE_SIZE = 500;

/** What `GET …/lineage` holds: registered models only (the contract's reading), or also datasets, code and outside ancestors. */
export type LineageScope = 'models' | 'all';

// Storage that keeps records in memory hands out the same object, frozen whole, until the record
// changes, so a record's declarations are derived once per version rather than on every lineage read
// (for a model without relatives, 7 % of the read). Other storage returns fresh copies, which miss.
const declared = new WeakMap<ArtifactRecord, DeclaredLineage>();

/** What an artifact's own metadata says about its parents (shared: callers only read it). */
export function declarationsOf(record: ArtifactRecord): DeclaredLineage {
  let lineage = declared.get(record);
  if (lineage === undefined) {
    lineage = derive(record);
    if (isDeeplyFrozen(record)) declared.set(record, lineage);
  }
  return lineage;
}

function derive(record: ArtifactRecord): DeclaredLineage {
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
  /** Families by member revision and scope while nothing in the registry changed (a family scan reads every model). */
  private readonly families = new ChangeMarkedCache<LineageResult>(FAMILY_CACHE_SIZE);

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
      await Promise.all([...missing].map(async ([key, { name, kind }]) => known.set(key, (await this.findRegistered(name, kind)) ?? null)));
    }
    return result ?? buildLineageGraph(this.lineageArtifact(record), () => undefined);
  }

  /**
   * The connected family of registered models around a model — ancestors and descendants, the model
   * included — the same graph whichever member is asked about. With `all`, each member's datasets,
   * code and outside ancestors are added.
   */
  async familyOf(record: ArtifactRecord, scope: LineageScope): Promise<LineageResult> {
    // The declared code repository comes from the evidence: a record read without it is another key.
    const key = `${record.id}@${record.revision}|${scope}|${record.assessment === undefined ? 'light' : 'whole'}`;
    const mark = await this.repository.changeMark();
    const known = this.families.get(key, mark);
    if (known !== undefined) return known;
    const family = await this.resolveFamily(record, scope);
    this.families.set(key, mark, family);
    return family;
  }

  private async resolveFamily(record: ArtifactRecord, scope: LineageScope): Promise<LineageResult> {
    const { models, complete } = await this.registeredModels(record);
    const artifacts = new Map(models.map((model) => [model.id, this.lineageArtifact(model)]));
    const resolve = registryIndex(models);
    const family = buildFamilyGraph(record.id, [...artifacts.values()], (name, kind) => {
      const found = resolve(name, kind);
      return found === undefined ? undefined : artifacts.get(found.id);
    });
    const result = { ...family, truncated: family.truncated || !complete };
    if (scope === 'models') return result;
    const members = await Promise.all(family.graph.nodes.map(async (node) => (node.artifact_id === record.id ? record : this.repository.get(node.artifact_id))));
    const graphs = await Promise.all(members.filter((member): member is ArtifactRecord => member !== undefined).map((member) => this.graphFor(member)));
    const merged = mergeLineage([result, ...graphs]);
    return { ...merged, truncated: merged.truncated || result.truncated };
  }

  /** Every registered model, in id order (oldest first), up to FAMILY_SCAN_LIMIT; `record` is always among them. */
  private async registeredModels(record: ArtifactRecord): Promise<{ models: ArtifactRecord[]; complete: boolean }> {
    const models: ArtifactRecord[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.repository.list({ types: ['model'] }, after, SCAN_PAGE);
      models.push(...page.map((model) => (model.id === record.id ? record : model)));
      if (page.length < SCAN_PAGE) break;
      if (models.length >= FAMILY_SCAN_LIMIT) {
        if (!models.some((model) => model.id === record.id)) models.push(record);
        return { models, complete: false };
      }
      after = page[page.length - 1]?.id;
    }
    if (!models.some((model) => model.id === record.id)) models.push(record);
    return { models, complete: true };
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
  async findRegistered(name: string, kind: DeclarationKind): Promise<ArtifactRecord | undefined> {
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

/**
 * The registered artifact a declared name refers to, over records already loaded (in id order): one
 * mirrored from exactly that repository (legacy names normalised), else an upload carrying that name
 * or its last segment. The oldest wins, as in `findRegistered`.
 */
function registryIndex(records: readonly ArtifactRecord[]): (name: string, kind: DeclarationKind) => ArtifactRecord | undefined {
  const mirrored = new Map<string, ArtifactRecord>();
  const uploaded = new Map<string, ArtifactRecord>();
  for (const record of [...records].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const key = record.origin === undefined ? `${record.type}:${record.name}` : keyOf(record.origin.repo, record.type as DeclarationKind);
    const index = record.origin === undefined ? uploaded : mirrored;
    if (!index.has(key)) index.set(key, record);
  }
  return (name, kind) => mirrored.get(keyOf(name, kind)) ?? uploaded.get(`${kind}:${name}`) ?? uploaded.get(`${kind}:${name.slice(name.lastIndexOf('/') + 1)}`);
}

function keyOf(name: string, kind: DeclarationKind): string {
  return `${kind}:${(normalizeRepoName(name, kind) ?? name).toLowerCase()}`;
}
