import type { ArtifactRecord, SourceSnapshot } from '../domain/artifact';
import { DomainError, ErrorCode } from '../domain/errors';
import { normalizeRepoName } from '../domain/lineage';
import {
  cardEvidence, chooseCodeRepository, githubCodeEvidence, githubDatasetEvidence, hubDatasetEvidence, hubModelEvidence, packageEvidence,
  type CodeEvidence, type DatasetEvidence, type Evidence, type MetricName,
} from '../domain/rating';
import type { CodeHost, ModelHub } from '../ports/source-hubs.port';
import type { Clock } from '../ports/system.port';

export interface EvidenceInput {
  readonly name: string;
  readonly origin?: SourceSnapshot;
  readonly files: readonly { readonly path: string; readonly size: number }[];
  readonly readme?: string;
  readonly cardMetadata?: Readonly<Record<string, unknown>>;
  readonly config?: Readonly<Record<string, unknown>>;
  readonly adapterConfig?: Readonly<Record<string, unknown>>;
  /** Seconds the source's own metadata took to fetch, when it came from a hub. */
  readonly sourceSeconds?: number;
}

export interface CollectedEvidence {
  readonly evidence: Evidence;
  readonly collectionSeconds: Partial<Record<MetricName, number>>;
  readonly problems: string[];
}

/** Datasets this registry already holds, found by the name a model card gives them. */
export interface RegisteredDatasets {
  findRegistered(name: string, kind: 'dataset'): Promise<ArtifactRecord | undefined>;
}

export const MAX_DATASET_LOOKUPS = 5;
/** Bytes of a dataset README read from its source; the evidence keeps at most EVIDENCE_TEXT_LIMIT characters of it. */
export const MAX_CARD_BYTES = 512 * 1024;
const SOURCE_METRICS: MetricName[] = ['ramp_up_time', 'performance_claims', 'license', 'size_score', 'reproducibility'];
const CODE_METRICS: MetricName[] = ['bus_factor', 'code_quality', 'dataset_and_code_score', 'reviewedness'];
/** Failures of this registry's own storage, as opposed to a source's: never recorded as evidence. */
const OWN_STORAGE_FAILURES: ReadonlySet<string> = new Set([ErrorCode.StorageUnavailable, ErrorCode.StorageFull]);
const GITHUB_URL = /^https?:\/\/(?:www\.)?github\.com\/([A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*?)(?:\.git)?(?:[/?#].*)?$/i;

/**
 * Gathers everything a model's rating reads, once, at registration: the package's own files and card,
 * the hub's facts, the datasets it names (with their cards) and the code repository it links. A
 * source that fails (down, rate limited, access refused) does not fail the registration and is not
 * scored as 0: the gap is recorded in the evidence (`unavailable`, with the reason) and as a problem,
 * the metrics that needed it say so, and `recollect` fills it in once the source is back.
 */
export class EvidenceCollector {
  constructor(
    private readonly hub: ModelHub,
    private readonly code: CodeHost,
    private readonly clock: Clock,
    private readonly registry: RegisteredDatasets,
  ) {}

  async collect(input: EvidenceInput): Promise<CollectedEvidence> {
    const base = packageEvidence({
      name: input.name, collectedAt: this.clock.now().toISOString(), files: input.files,
      ...(input.readme === undefined ? {} : { readme: input.readme }),
      ...(input.cardMetadata === undefined ? {} : { cardMetadata: input.cardMetadata }),
      ...(input.config === undefined ? {} : { config: input.config }),
      ...(input.adapterConfig === undefined ? {} : { adapterConfig: input.adapterConfig }),
    });
    const fromHub = input.origin?.hub === 'huggingface' ? { origin: 'huggingface' as const, model: hubModelEvidence(input.origin.repo, input.origin.info) } : {};
    return this.external({ ...base, ...fromHub }, input.sourceSeconds ?? 0);
  }

  /**
   * Collects again what other sources say of a stored model (its datasets and linked code), keeping
   * what came with the package; for evidence that could not be collected before, or has aged.
   */
  async recollect(stored: Evidence): Promise<CollectedEvidence> {
    const { code: _previous, datasets, ...rest } = stored;
    const names = (datasets ?? []).map((dataset) => ({ name: dataset.name }));
    return this.external({ ...rest, collectedAt: this.clock.now().toISOString(), ...(names.length > 0 ? { datasets: names } : {}) });
  }

  /** `sourceSeconds`: the time the model's own source took, when it was just fetched (not on a re-collection). */
  private async external(base: Evidence, sourceSeconds?: number): Promise<CollectedEvidence> {
    const problems: string[] = [];
    const seconds: Partial<Record<MetricName, number>> = {};
    const spend = (metrics: readonly MetricName[], value: number): void => metrics.forEach((metric) => (seconds[metric] = (seconds[metric] ?? 0) + value));
    if (sourceSeconds !== undefined) spend(SOURCE_METRICS, sourceSeconds);
    const [datasets, datasetSeconds] = await this.timed(() => this.datasets(base.datasets ?? []));
    spend(['dataset_quality'], datasetSeconds);
    const modelType = typeof base.config?.['model_type'] === 'string' ? base.config['model_type'] : undefined;
    const link = chooseCodeRepository(base.model.repo, base.codeLinks ?? [], modelType);
    const [code, codeSeconds] = await this.timed(() => (link === undefined ? Promise.resolve(undefined) : this.codeEvidence(link.repo, link.reason)));
    spend(CODE_METRICS, codeSeconds);
    for (const dataset of datasets) if (dataset.unavailable !== undefined) problems.push(`dataset ${dataset.name}: ${dataset.unavailable}`);
    if (code?.unavailable !== undefined) problems.push(`code repository ${code.url}: ${code.unavailable}`);
    const evidence: Evidence = { ...base, ...(datasets.length > 0 ? { datasets } : {}), ...(code === undefined ? {} : { code }) };
    return { evidence, collectionSeconds: seconds, problems };
  }

  private async datasets(named: readonly DatasetEvidence[]): Promise<DatasetEvidence[]> {
    return Promise.all(named.map(async (dataset, index) => {
      if (index >= MAX_DATASET_LOOKUPS) return dataset;
      try {
        return await this.dataset(dataset.name);
      } catch (error) {
        // This registry's own store failing says nothing about the dataset: the request fails and can be retried.
        if (!(error instanceof DomainError) || OWN_STORAGE_FAILURES.has(error.code)) throw error;
        if (error.code === ErrorCode.SourceNotFound) return { name: dataset.name, found: false };
        return { name: dataset.name, unavailable: error.message };
      }
    }));
  }

  /** What is known of one named dataset: this registry's copy first, else its GitHub repository or Hub page. */
  private async dataset(name: string): Promise<DatasetEvidence> {
    const github = GITHUB_URL.exec(name.trim())?.[1];
    const registered = await this.registry.findRegistered(github ?? name, 'dataset');
    if (registered !== undefined) return registeredDataset(name, registered);
    if (github !== undefined) {
      const [repository, readme] = await Promise.all([this.code.repository(github), this.code.readme(github)]);
      return githubDatasetEvidence(name, repository.info, readme);
    }
    const repo = normalizeRepoName(name, 'dataset') ?? name;
    const info = await this.hub.info({ kind: 'dataset', repo, revision: 'main' });
    // The card and file list are read at the commit the facts describe, not at a moving branch.
    const pinned = { kind: 'dataset' as const, repo, revision: info.commit ?? 'main' };
    const [files, readme] = await Promise.all([this.hub.listFiles(pinned), this.hub.readText(pinned, 'README.md', MAX_CARD_BYTES)]);
    const metadata = info.info['cardData'];
    const card = readme === undefined ? undefined : cardEvidence(readme, isRecord(metadata) ? metadata : {});
    return hubDatasetEvidence(name, info.info, card, files.length);
  }

  private async codeEvidence(repo: string, reason: string): Promise<CodeEvidence | undefined> {
    try {
      const repository = await this.code.repository(repo);
      const history = await this.code.history(repo, repository.defaultBranch);
      return githubCodeEvidence(repo, repository.info, { ...history, linkReason: reason });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // A card linking a repository that no longer exists has no code to judge; that is evidence too.
      if (error.code === ErrorCode.SourceNotFound) return undefined;
      return { repo, url: `https://github.com/${repo}`, linkReason: reason, unavailable: error.message };
    }
  }

  private async timed<T>(work: () => Promise<T>): Promise<[T, number]> {
    const started = this.clock.now().getTime();
    const result = await work();
    return [result, (this.clock.now().getTime() - started) / 1000];
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A dataset this registry holds: its stored card and the facts its source reported when it was mirrored. */
function registeredDataset(name: string, record: ArtifactRecord): DatasetEvidence {
  const card = record.card === undefined ? undefined : cardEvidence(record.card.text, record.card.metadata);
  const info = record.origin?.info ?? {};
  const base = record.origin?.hub === 'github'
    ? githubDatasetEvidence(name, info)
    : record.origin?.hub === 'huggingface'
      ? hubDatasetEvidence(name, info, undefined, record.origin.files.length)
      : { name, found: true, ...licenseOf(record.card?.metadata) };
  return { ...base, registeredId: record.id, ...(card === undefined ? {} : { card, cardSource: 'registry' as const }) };
}

function licenseOf(metadata: Readonly<Record<string, unknown>> | undefined): { license?: string } {
  const license = metadata?.['license'];
  const first = Array.isArray(license) ? license.find((item): item is string => typeof item === 'string') : license;
  return typeof first === 'string' && first.trim() !== '' ? { license: first } : {};
}
