import { metadataOf, type ArtifactType } from '../domain/artifact';
import { dependencyCost, standaloneCost, type ArtifactCostMap } from '../domain/cost';
import { DomainError, ErrorCode } from '../domain/errors';
import type { LineageResult } from '../domain/lineage';
import type { User } from '../domain/user';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import type { AuditLog } from '../ports/audit-log.port';
import type { Clock } from '../ports/system.port';
import { loadArtifact, requirePermission } from './access';
import { declarationsOf, type LineageService } from './lineage-service';
import type { RatingService, RatingView } from './rating-service';

/**
 * A model's rating, recomputed from stored evidence with its parents' current scores; audited as RATE
 * unless the read is passive (a page showing it without being asked), which changes nothing worth recording.
 */
export class GetRating {
  constructor(
    private readonly repository: ArtifactRepository,
    private readonly ratings: RatingService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute(input: { actor: User; id: string; passive?: boolean }): Promise<RatingView> {
    requirePermission(input.actor, 'search');
    const record = await loadArtifact(this.repository, 'model', input.id);
    const view = await this.ratings.current(record);
    if (input.passive !== true) {
      await this.audit.append({ user: input.actor, date: this.clock.now().toISOString(), artifact: metadataOf(record), action: 'RATE' });
    }
    return view;
  }
}

/** The lineage graph of a model, from structured metadata, resolved against the registry as it is now. */
export class GetLineage {
  constructor(
    private readonly repository: ArtifactRepository,
    private readonly lineage: LineageService,
  ) {}

  async execute(input: { actor: User; id: string }): Promise<LineageResult> {
    requirePermission(input.actor, 'search');
    const record = await loadArtifact(this.repository, 'model', input.id);
    const declared = declarationsOf(record);
    if (declared.sources.length === 0) {
      throw new DomainError(ErrorCode.LineageUnavailable, `model ${record.id} has no config.json, adapter_config.json or model card metadata to derive lineage from`);
    }
    if (declared.declarations.length === 0 && declared.malformed.length > 0) {
      const problems = declared.malformed.map((item) => `${item.source} ${item.field}: ${item.problem}`).join('; ');
      throw new DomainError(ErrorCode.LineageUnavailable, `the lineage metadata of model ${record.id} is malformed: ${problems}`, { malformed: declared.malformed });
    }
    return this.lineage.graphFor(record);
  }
}

/** Download size in MB, alone or with every registered dependency counted once. */
export class GetCost {
  constructor(
    private readonly repository: ArtifactRepository,
    private readonly lineage: LineageService,
  ) {}

  async execute(input: { actor: User; type: ArtifactType; id: string; dependency: boolean }): Promise<ArtifactCostMap> {
    requirePermission(input.actor, 'search');
    const record = await loadArtifact(this.repository, input.type, input.id);
    if (!input.dependency) return standaloneCost(record.id, record.package.full.size);
    const { graph } = await this.lineage.graphFor(record);
    const registered = graph.nodes.filter((node) => node.metadata?.['registered'] === true).map((node) => node.artifact_id);
    const sizes: Record<string, number> = { [record.id]: record.package.full.size };
    await Promise.all(registered.filter((id) => id !== record.id).map(async (id) => {
      const dependency = await this.repository.get(id);
      if (dependency !== undefined) sizes[id] = dependency.package.full.size;
    }));
    return dependencyCost(record.id, graph, sizes);
  }
}
