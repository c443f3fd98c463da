import { Readable } from 'node:stream';
import { DomainError, ErrorCode } from '../../domain/errors';
import type { DatasetHost, HostedDatasetInfo, StagedPackage } from '../../ports/source-hubs.port';
import type { Logger } from '../../ports/system.port';
import { stageStream } from '../archive/zip-stager';
import { UpstreamClient } from '../upstream/upstream-client';

export interface KaggleOptions {
  /** Kaggle's API root, `https://www.kaggle.com/api/v1` unless pointed elsewhere. */
  readonly apiUrl: string;
  readonly username: string;
  readonly key: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
  readonly retries?: number;
  /** Where downloads are staged: the instance's scratch area, swept after a crash. */
  readonly stagingDir?: string;
}

const NAME = 'Kaggle';
// kaggle.com answers a download with a redirect to a signed Google Cloud Storage URL.
const KAGGLE_DOWNLOAD_HOSTS = ['storage.googleapis.com'];
const DATASET_FIELDS = [
  'ref', 'title', 'subtitle', 'description', 'url', 'ownerName', 'ownerRef', 'creatorName', 'licenseName', 'totalBytes',
  'lastUpdated', 'downloadCount', 'voteCount', 'viewCount', 'kernelCount', 'usabilityRating', 'currentVersionNumber',
  'isPrivate', 'isFeatured', 'tags',
] as const;

/**
 * Kaggle datasets through Kaggle's public REST API, with the official client's conventions: HTTP
 * basic authentication with the account's user name and API key, metadata from
 * `GET /datasets/view/{owner}/{slug}` and the files as one zip from `GET /datasets/download/{owner}/{slug}`.
 */
export class KaggleDatasetHost implements DatasetHost {
  private readonly client: UpstreamClient;
  private readonly stagingDir: string | undefined;

  constructor(options: KaggleOptions) {
    this.stagingDir = options.stagingDir;
    const apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.client = new UpstreamClient({
      name: NAME,
      baseUrl: apiUrl,
      token: `${options.username}:${options.key}`,
      authorization: (credentials) => `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`,
      redirectHosts: new URL(apiUrl).hostname === 'www.kaggle.com' ? KAGGLE_DOWNLOAD_HOSTS : [],
      timeoutMs: options.timeoutMs,
      ...(options.retries === undefined ? {} : { retries: options.retries }),
      isMetadata: (url) => url.pathname.includes('/datasets/view/'),
      logger: options.logger,
    });
  }

  async info(dataset: string): Promise<HostedDatasetInfo> {
    return this.guard(dataset, async () => {
      const response = await this.client.fetch(this.client.url(`/datasets/view/${pathOf(dataset)}`), { headers: { accept: 'application/json' } });
      if (!response.ok) throw new StatusError(response.status);
      const raw = (await response.json()) as Record<string, unknown>;
      const info: Record<string, unknown> = {};
      for (const key of DATASET_FIELDS) if (raw[key] !== undefined && raw[key] !== null) info[key] = raw[key];
      const version = typeof raw.currentVersionNumber === 'number' ? raw.currentVersionNumber : undefined;
      const totalBytes = typeof raw.totalBytes === 'number' ? raw.totalBytes : undefined;
      return { ...(version === undefined ? {} : { version }), ...(totalBytes === undefined ? {} : { totalBytes }), info };
    });
  }

  async stage(dataset: string, version: number | undefined, maxBytes: number): Promise<StagedPackage> {
    return this.guard(dataset, async () => {
      const url = this.client.url(`/datasets/download/${pathOf(dataset)}`);
      if (version !== undefined) url.searchParams.set('datasetVersionNumber', String(version));
      const response = await this.client.fetch(url);
      if (!response.ok || response.body === null) throw new StatusError(response.status);
      const tooLarge = (): DomainError => new DomainError(
        ErrorCode.SourceTooLarge, `the Kaggle dataset ${publicUrl(dataset)} is larger than the ${maxBytes}-byte limit (TMR_MAX_INGEST_BYTES)`,
      );
      if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
        await response.body.cancel();
        throw tooLarge();
      }
      // Kaggle's zip holds the dataset's files as laid out by its owner; the registry's intake then
      // inspects it exactly like an uploaded zip (paths, links, bombs) before anything is stored.
      return stageStream(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), maxBytes, tooLarge, this.stagingDir);
    });
  }

  private async guard<T>(dataset: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw describe(error, publicUrl(dataset));
    }
  }
}

class StatusError extends Error {
  constructor(readonly status: number) {
    super(`status ${status}`);
  }
}

const pathOf = (dataset: string): string => dataset.split('/').map(encodeURIComponent).join('/');
const publicUrl = (dataset: string): string => `https://www.kaggle.com/datasets/${dataset}`;

function describe(error: unknown, url: string): DomainError {
  if (error instanceof DomainError) return error;
  const status = error instanceof StatusError ? error.status : undefined;
  if (status === 404) return new DomainError(ErrorCode.SourceNotFound, `the Kaggle dataset ${url} does not exist or is private`, { url });
  if (status === 401 || status === 403) {
    return new DomainError(ErrorCode.SourceAccessDenied, `Kaggle refused access to ${url}: check KAGGLE_USERNAME and KAGGLE_KEY, and accept the dataset's rules on kaggle.com if it has any`, { url });
  }
  if (status === 429) return new DomainError(ErrorCode.UpstreamRateLimited, `Kaggle is rate-limiting requests for ${url}; try again later`, { url });
  const detail = status === undefined ? (error instanceof Error ? error.message : String(error)) : `status ${status}`;
  return new DomainError(ErrorCode.UpstreamUnavailable, `Kaggle failed while serving ${url} (${detail})`, { url });
}
