import { metadataOf, storedSize, type ArtifactRecord, type ArtifactType } from '../domain/artifact';
import { dependencyCost, standaloneCost, type ArtifactCostMap } from '../domain/cost';
import { DomainError, ErrorCode } from '../domain/errors';
import type { LineageResult } from '../domain/lineage';
import type { User } from '../domain/user';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import type { AuditLog } from '../ports/audit-log.port';
import type { Clock } from '../ports/system.port';
import { loadArtifact, requirePermission } from './access';
import { declarationsOf, type LineageScope, type LineageService } from './lineage-service';
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

/**
 * Collects a model's outside evidence again (its datasets and linked code) and stores the new rating:
 * for an administrator, once an upstream that was down or rate-limited at registration is back.
 * The package itself is not fetched again; `PUT` re-ingests that.
 */
export class RefreshEvidence {
  constructor(
    private readonly repository: ArtifactRepository,
    private readonly ratings: RatingService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute(input: { actor: User; id: string }): Promise<RatingView> {
    requirePermission(input.actor, 'admin');
    const record = await loadArtifact(this.repository, 'model', input.id);
    const { assessment, trust } = await this.ratings.reassess(record);
    const updated = { ...record, assessment, trust, updatedAt: this.clock.now().toISOString(), revision: record.revision + 1 };
    await this.repository.update(updated, record.revision);
    await this.audit.append({ user: input.actor, date: updated.updatedAt, artifact: metadataOf(record), action: 'UPDATE', detail: 'evidence re-collected' });
    return this.ratings.current(updated);
  }
}

/**
 * The lineage of a model: its connected family of registered models (ancestors and descendants, the
 * same graph from any member), resolved against the registry as it is now; with scope `all`, also
 * the datasets, code and outside ancestors each member declares.
 */
export class GetLineage {
  constructor(
    private readonly repository: ArtifactRepository,
    private readonly lineage: LineageService,
  ) {}

  async execute(input: { actor: User; id: string; scope?: LineageScope }): Promise<LineageResult> {
    requirePermission(input.actor, 'search');
    const record = await loadArtifact(this.repository, 'model', input.id);
    const result = await this.lineage.familyOf(record, input.scope ?? 'models');
    // A model that declares nothing is still part of a family when registered models name it as their parent.
    if (result.graph.nodes.length === 1) this.requireMetadata(record);
    return result;
  }

  private requireMetadata(record: ArtifactRecord): void {
    const declared = declarationsOf(record);
    if (declared.sources.length === 0) {
      throw new DomainError(ErrorCode.LineageUnavailable, `model ${record.id} has no config.json, adapter_config.json or model card metadata to derive lineage from`);
    }
    if (declared.declarations.length === 0 && declared.malformed.length > 0) {
      const problems = declared.malformed.map((item) => `${item.source} ${item.field}: ${item.problem}`).join('; ');
      throw new DomainError(ErrorCode.LineageUnavailable, `the lineage metadata of model ${record.id} is malformed: ${problems}`, { malformed: declared.malformed });
    }
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
    if (!input.dependency) return standaloneCost(record.id, storedSize(record));
    const { graph } = await this.lineage.graphFor(record);
    const registered = graph.nodes.filter((node) => node.metadata?.['registered'] === true).map((node) => node.artifact_id);
    const sizes: Record<string, number> = { [record.id]: storedSize(record) };
    await Promise.all(registered.filter((id) => id !== record.id).map(async (id) => {
      const dependency = await this.repository.get(id);
      if (dependency !== undefined) sizes[id] = storedSize(dependency);
    }));
    return dependencyCost(record.id, graph, sizes);
  }
}
