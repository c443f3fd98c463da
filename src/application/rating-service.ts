import type { ArtifactRecord, Assessment } from '../domain/artifact';
import { DomainError, ErrorCode } from '../domain/errors';
import { parentsOf } from '../domain/lineage';
import { ChangeMarkedCache } from './change-marked-cache';
import { gateDecision, rateModel, type GateDecision, type MonotonicClock, type RatedModel } from '../domain/rating';
import { contentSignal } from '../domain/content-scan';
import { verdictOf, type ContentStanding, type TrustVerdict } from '../domain/trust-verdict';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import type { EvidenceCollector, EvidenceInput } from './evidence-collector';
import type { LineageService } from './lineage-service';

/** Performance's clock: monotonic, so latencies never go negative when the wall clock is adjusted. */
export const monotonicClock: MonotonicClock = { now: () => performance.now() };

/** A model's stored evidence and rating, and the trust bar's verdict on it. */
export interface Assessed {
  readonly assessment: Assessment;
  readonly trust: TrustVerdict;
}

export interface RatingView extends RatedModel {
  readonly problems: readonly string[];
}

/**
 * Rating is a pure function of stored evidence plus the current ratings of the model's parents. It is
 * computed at registration (so the gate can judge it and it is stored with the artifact) and again,
 * cheaply, at read time, so a parent registered later changes the child's tree score.
 */
export const RATING_CACHE_SIZE = 2_000;

export class RatingService {
  private readonly inFlight = new Map<string, Promise<RatingView>>();
  /**
   * Ratings by everything they depend on: the model's revision and its parents' revisions and scores.
   * A new or re-rated parent changes the key, so the cache never serves a stale tree score.
   */
  private readonly computed = new Map<string, RatingView>();
  /** Ratings by model revision while nothing in the registry changed: served without resolving the parents again. */
  private readonly settled = new ChangeMarkedCache<RatingView>(RATING_CACHE_SIZE);

  constructor(
    private readonly collector: EvidenceCollector,
    private readonly lineage: LineageService,
    private readonly repository: ArtifactRepository,
    private readonly minScore: number,
    private readonly clock: MonotonicClock = monotonicClock,
  ) {}

  /**
   * Collects evidence and rates a model that is about to be stored, with the trust bar's verdict on
   * the rating; `gate` refuses the model (RATING.BELOW_THRESHOLD) when it misses the bar. Evidence
   * that could not be collected does not fail this: the metrics that needed it have no value and the
   * gate skips them, saying so.
   */
  async assess(record: ArtifactRecord, input: EvidenceInput, options: { gate: boolean }): Promise<Assessed> {
    const collected = await this.collector.collect(input);
    const rated = await this.rate(record, collected);
    const decision = gateDecision(rated.rating, rated.explanation, this.minScore);
    const content = contentSignal(record.contentScan);
    if (options.gate) this.enforceGate(record, decision, content);
    return { assessment: { ...collected, rating: rated.rating }, trust: verdictOf(decision, content) };
  }

  /** A stored model's assessment with the evidence from other sources (datasets, linked code) collected again. */
  async reassess(record: ArtifactRecord): Promise<Assessed> {
    if (record.assessment === undefined) {
      throw new DomainError(ErrorCode.RatingUnavailable, `model ${record.id} has no stored evidence to refresh; re-upload or re-ingest it`);
    }
    const collected = await this.collector.recollect(record.assessment.evidence);
    const seconds = { ...record.assessment.collectionSeconds, ...collected.collectionSeconds };
    const rated = await this.rate(record, { ...collected, collectionSeconds: seconds });
    const decision = gateDecision(rated.rating, rated.explanation, this.minScore);
    return { assessment: { ...collected, collectionSeconds: seconds, rating: rated.rating }, trust: verdictOf(decision, contentSignal(record.contentScan)) };
  }

  /**
   * The current rating; concurrent requests for the same model revision share one computation.
   * `record` may lack its assessment: the whole record is loaded (`loadWhole`) only on a cache miss.
   */
  async current(record: ArtifactRecord, loadWhole: () => Promise<ArtifactRecord> = async () => record): Promise<RatingView> {
    const key = `${record.id}@${record.revision}`;
    // Read before the parents are resolved: a change during the computation leaves the entry stale-marked.
    const mark = await this.repository.changeMark();
    const settled = this.settled.get(key, mark);
    if (settled !== undefined) return settled;
    // A computation started before a change must not be kept under the mark after it.
    const flight = `${key}|${mark ?? ''}`;
    let shared = this.inFlight.get(flight);
    if (shared === undefined) {
      shared = this.rateStored(record, loadWhole).finally(() => this.inFlight.delete(flight));
      this.inFlight.set(flight, shared);
    }
    const view = await shared;
    this.settled.set(key, mark, view);
    return view;
  }

  private async rateStored(light: ArtifactRecord, loadWhole: () => Promise<ArtifactRecord>): Promise<RatingView> {
    const started = this.clock.now();
    // Parents are models, and model declarations come from config, card and files, never from the
    // evidence: the light record resolves them the same.
    const parents = await this.parentsOf(light);
    const key = `${light.id}@${light.revision}|${parents.map((p) => `${p.id}@${p.revision}:${p.netScore ?? '-'}`).join(',')}`;
    const cached = this.computed.get(key);
    if (cached !== undefined) return cached;
    const record = light.assessment === undefined ? await loadWhole() : light;
    if (record.assessment === undefined || record.revision !== light.revision) {
      if (record.assessment !== undefined) return this.rateStored(record, loadWhole);
      throw new DomainError(ErrorCode.RatingUnavailable, `model ${record.id} has no stored evidence to rate; re-upload or re-ingest it`);
    }
    const view = { ...this.compute(record, record.assessment, parents, (this.clock.now() - started) / 1000), problems: record.assessment.problems };
    if (this.computed.size >= RATING_CACHE_SIZE) this.computed.delete(this.computed.keys().next().value ?? '');
    this.computed.set(key, view);
    return view;
  }

  private async rate(record: ArtifactRecord, assessment: Omit<Assessment, 'rating'>): Promise<RatedModel> {
    const started = this.clock.now();
    const parents = await this.parentsOf(record);
    return this.compute(record, assessment, parents, (this.clock.now() - started) / 1000);
  }

  private async parentsOf(record: ArtifactRecord): Promise<{ id: string; name: string; revision: number; netScore?: number }[]> {
    const graph = await this.lineage.graphFor(record);
    const parentNodes = parentsOf(graph.graph, record.id, 'model').filter((node) => node.metadata?.['registered'] === true);
    return Promise.all(parentNodes.map(async (node) => {
      const parent = await this.repository.get(node.artifact_id);
      const netScore = parent?.assessment?.rating.net_score;
      return { id: node.artifact_id, name: node.name, revision: parent?.revision ?? 0, ...(netScore === undefined ? {} : { netScore }) };
    }));
  }

  private compute(
    record: ArtifactRecord,
    assessment: Omit<Assessment, 'rating'>,
    parents: readonly { id: string; name: string; netScore?: number }[],
    lineageSeconds: number,
  ): RatedModel {
    try {
      return rateModel(assessment.evidence, {
        name: record.name,
        parents,
        collectionSeconds: { ...assessment.collectionSeconds, tree_score: (assessment.collectionSeconds.tree_score ?? 0) + lineageSeconds },
      }, this.clock);
    } catch (error) {
      throw new DomainError(ErrorCode.RatingFailed, `rating model ${record.id} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private enforceGate(record: ArtifactRecord, decision: GateDecision, content: ContentStanding | undefined): void {
    if (decision.accepted && (content?.passing ?? true)) return;
    const failing = [
      ...decision.failing.map(({ metric, value }) => `${metric} ${value}`),
      ...(content === undefined || content.passing ? [] : [`content scan: ${content.summary}`]),
    ].join(', ');
    const unjudged = decision.unavailable.length === 0 ? '' : `; not judged for lack of evidence: ${decision.unavailable.map((item) => item.metric).join(', ')}`;
    throw new DomainError(
      ErrorCode.RatingBelowThreshold,
      `${record.name} was not registered: every applicable metric must be at least ${decision.threshold}, but ${failing}${unjudged}`,
      { threshold: decision.threshold, failing: decision.failing, unavailable: decision.unavailable, ...(content === undefined || content.passing ? {} : { content: content.summary }) },
    );
  }
}
