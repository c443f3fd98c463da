import type { SourceSnapshot } from '../domain/artifact';
import { DomainError, ErrorCode } from '../domain/errors';
import {
  chooseCodeRepository, githubCodeEvidence, hubDatasetEvidence, hubModelEvidence, packageEvidence,
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

export const MAX_DATASET_LOOKUPS = 5;
const SOURCE_METRICS: MetricName[] = ['ramp_up_time', 'performance_claims', 'license', 'size_score', 'reproducibility'];
const CODE_METRICS: MetricName[] = ['bus_factor', 'code_quality', 'dataset_and_code_score'];

/**
 * Gathers everything a model's rating reads, once, at registration: the package's own files and card,
 * the hub's facts, the datasets it names and the code repository it links. In strict mode a source
 * that fails fails the whole collection (the ingest gate must not judge half the evidence); otherwise
 * the gap is recorded as a problem and the rating says so.
 */
export class EvidenceCollector {
  constructor(
    private readonly hub: ModelHub,
    private readonly code: CodeHost,
    private readonly clock: Clock,
  ) {}

  async collect(input: EvidenceInput, strict: boolean): Promise<CollectedEvidence> {
    const collectedAt = this.clock.now().toISOString();
    const base = packageEvidence({
      name: input.name, collectedAt, files: input.files,
      ...(input.readme === undefined ? {} : { readme: input.readme }),
      ...(input.cardMetadata === undefined ? {} : { cardMetadata: input.cardMetadata }),
      ...(input.config === undefined ? {} : { config: input.config }),
      ...(input.adapterConfig === undefined ? {} : { adapterConfig: input.adapterConfig }),
    });
    const fromHub = input.origin?.hub === 'huggingface';
    const problems: string[] = [];
    const seconds: Partial<Record<MetricName, number>> = {};
    const spend = (metrics: readonly MetricName[], value: number): void => metrics.forEach((metric) => (seconds[metric] = (seconds[metric] ?? 0) + value));
    spend(SOURCE_METRICS, input.sourceSeconds ?? 0);
    const tolerate = async <T>(what: string, work: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await work();
      } catch (error) {
        if (strict || !(error instanceof DomainError)) throw error;
        problems.push(`${what}: ${error.message}`);
        return undefined;
      }
    };
    const [datasets, datasetSeconds] = await this.timed(() => tolerate('dataset lookups', () => this.datasets(base.datasets ?? [])));
    spend(['dataset_quality'], datasetSeconds);
    const link = chooseCodeRepository(base.model.repo, base.codeLinks ?? [], typeof input.config?.model_type === 'string' ? input.config.model_type : undefined);
    const [code, codeSeconds] = await this.timed(() => (link === undefined ? Promise.resolve(undefined) : tolerate(`code repository ${link.url}`, () => this.codeEvidence(link.repo, link.reason))));
    spend([...CODE_METRICS, 'reviewedness'], codeSeconds);
    const evidence: Evidence = {
      ...base,
      ...(fromHub && input.origin !== undefined ? { origin: 'huggingface' as const, model: hubModelEvidence(input.origin.repo, input.origin.info) } : {}),
      ...(datasets === undefined ? {} : { datasets }),
      ...(code === undefined ? {} : { code }),
    };
    return { evidence, collectionSeconds: seconds, problems };
  }

  private async datasets(named: readonly DatasetEvidence[]): Promise<DatasetEvidence[]> {
    return Promise.all(named.map(async (dataset, index) => {
      if (index >= MAX_DATASET_LOOKUPS) return dataset;
      const ref = { kind: 'dataset' as const, repo: dataset.name, revision: 'main' };
      try {
        const [info, files] = await Promise.all([this.hub.info(ref), this.hub.listFiles(ref)]);
        return hubDatasetEvidence(dataset.name, info.info, undefined, files.length);
      } catch (error) {
        if (error instanceof DomainError && error.code === ErrorCode.SourceNotFound) return { name: dataset.name, found: false };
        throw error;
      }
    }));
  }

  private async codeEvidence(repo: string, reason: string): Promise<CodeEvidence | undefined> {
    try {
      const repository = await this.code.repository(repo);
      const history = await this.code.history(repo, repository.defaultBranch);
      return githubCodeEvidence(repo, repository.info, { ...history, linkReason: reason });
    } catch (error) {
      // A card linking a repository that no longer exists has no code to judge; that is evidence too.
      if (error instanceof DomainError && error.code === ErrorCode.SourceNotFound) return undefined;
      throw error;
    }
  }

  private async timed<T>(work: () => Promise<T>): Promise<[T, number]> {
    const started = this.clock.now().getTime();
    const result = await work();
    return [result, (this.clock.now().getTime() - started) / 1000];
  }
}
