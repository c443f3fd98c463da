import { Readable } from 'node:stream';
import type * as HubLibrary from '@huggingface/hub';
import type { SourceFile } from '../../domain/artifact';
import { DomainError, ErrorCode } from '../../domain/errors';
import type { HubRepoInfo, HubRepoRef, ModelHub, StagedPackage } from '../../ports/source-hubs.port';
import type { Logger } from '../../ports/system.port';
import { stageZip } from '../archive/zip-stager';
import { UpstreamClient } from '../upstream/upstream-client';

let hub: typeof HubLibrary | undefined;
/** Loaded at the first Hub call, not with the server: the library was a twentieth of its start-up. */
function hubLibrary(): typeof HubLibrary {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  hub ??= require('@huggingface/hub') as typeof HubLibrary;
  return hub;
}

export interface HuggingFaceOptions {
  readonly endpoint: string;
  readonly token?: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
  readonly retries?: number;
  /** Where sources are staged; the instance's scratch area. */
  readonly stagingDir?: string;
}

const NAME = 'Hugging Face';
// Where huggingface.co itself redirects large files; a mirror or test server serves them itself.
const HUB_CDN_HOSTS = ['cdn-lfs.huggingface.co', 'cdn-lfs-us-1.huggingface.co', 'cdn-lfs.hf.co', 'cas-bridge.xethub.hf.co'];
// Fields beyond those the library always asks for (id, downloads, likes, gated, private, updatedAt, task).
const MODEL_FIELDS = ['cardData', 'config', 'createdAt', 'library_name', 'safetensors', 'sha', 'tags'] as const;
const DATASET_FIELDS = ['cardData', 'citation', 'createdAt', 'description', 'sha', 'tags'] as const;
const ALWAYS = ['id', 'downloads', 'likes', 'gated', 'private', 'updatedAt', 'task'] as const;

/**
 * The Hugging Face Hub through @huggingface/hub (info, file listing) and its documented REST routes
 * (refs, resolve), all over one UpstreamClient so the same timeouts, retries and host pinning apply.
 */
export class HuggingFaceModelHub implements ModelHub {
  private readonly client: UpstreamClient;
  private readonly hubUrl: string;
  private readonly stagingDir: string | undefined;

  constructor(options: HuggingFaceOptions) {
    this.stagingDir = options.stagingDir;
    this.hubUrl = options.endpoint.replace(/\/+$/, '');
    const isDefault = new URL(this.hubUrl).hostname === 'huggingface.co';
    this.client = new UpstreamClient({
      name: NAME,
      baseUrl: this.hubUrl,
      ...(options.token === undefined ? {} : { token: options.token }),
      authorization: (token) => `Bearer ${token}`,
      redirectHosts: isDefault ? HUB_CDN_HOSTS : [],
      timeoutMs: options.timeoutMs,
      ...(options.retries === undefined ? {} : { retries: options.retries }),
      isMetadata: (url) => url.pathname.includes('/api/'),
      logger: options.logger,
    });
  }

  async info(ref: HubRepoRef): Promise<HubRepoInfo> {
    return this.guard(ref, async () => {
      const common = { name: ref.repo, revision: ref.revision, hubUrl: this.hubUrl, fetch: this.client.fetch };
      const raw = ref.kind === 'model'
        ? await hubLibrary().modelInfo({ ...common, additionalFields: [...MODEL_FIELDS] })
        : await hubLibrary().datasetInfo({ ...common, additionalFields: [...DATASET_FIELDS] });
      const info = pick(raw as unknown as Record<string, unknown>, [...ALWAYS, ...(ref.kind === 'model' ? MODEL_FIELDS : DATASET_FIELDS)]);
      const commit = typeof info.sha === 'string' ? info.sha : undefined;
      return { ...(commit === undefined ? {} : { commit }), gated: info.gated !== false && info.gated !== undefined, info };
    });
  }

  async listFiles(ref: HubRepoRef): Promise<SourceFile[]> {
    return this.guard(ref, async () => {
      const files: SourceFile[] = [];
      const repo = { type: ref.kind, name: ref.repo } as const;
      for await (const entry of hubLibrary().listFiles({ repo, revision: ref.revision, recursive: true, hubUrl: this.hubUrl, fetch: this.client.fetch })) {
        if (entry.type !== 'file') continue;
        files.push({ path: entry.path, size: entry.lfs?.size ?? entry.size, ...(entry.lfs === undefined ? {} : { sha256: entry.lfs.oid }) });
      }
      return files;
    });
  }

  async listTags(ref: HubRepoRef): Promise<string[]> {
    return this.guard(ref, async () => {
      const response = await this.client.fetch(this.client.url(`/api/${ref.kind}s/${ref.repo}/refs`));
      if (!response.ok) throw await hubError(response);
      const refs = (await response.json()) as { tags?: { name?: unknown }[] };
      return (refs.tags ?? []).map((tag) => tag.name).filter((name): name is string => typeof name === 'string');
    });
  }

  async readText(ref: HubRepoRef, path: string, maxBytes: number): Promise<string | undefined> {
    return this.guard(ref, async () => {
      const response = await this.client.fetch(this.client.url(this.resolvePath(ref, path)));
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      if (!response.ok || response.body === null) throw await hubError(response);
      return readBounded(response.body, maxBytes);
    });
  }

  async stage(ref: HubRepoRef, files: readonly SourceFile[]): Promise<StagedPackage> {
    return this.guard(ref, () => stageZip(
      files.map((file) => ({ ...file, open: () => this.download(ref, file.path) })),
      `${NAME} ${ref.kind} ${ref.repo}`,
      this.stagingDir,
    ));
  }

  private resolvePath(ref: HubRepoRef, path: string): string {
    const prefix = ref.kind === 'dataset' ? '/datasets' : '';
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    return `${prefix}/${ref.repo}/resolve/${encodeURIComponent(ref.revision)}/${encoded}`;
  }

  private async download(ref: HubRepoRef, path: string): Promise<Readable> {
    const response = await this.client.fetch(this.client.url(this.resolvePath(ref, path)));
    if (!response.ok || response.body === null) throw await hubError(response);
    return Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  }

  /** Turns the library's and the client's failures into errors that name the source. */
  private async guard<T>(ref: HubRepoRef, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw describe(error, ref, this.publicUrl(ref));
    }
  }

  private publicUrl(ref: HubRepoRef): string {
    return `https://huggingface.co/${ref.kind === 'dataset' ? 'datasets/' : ''}${ref.repo}`;
  }
}

class HubStatusError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

/** The first `maxBytes` of a body as UTF-8; the rest is not downloaded. */
async function readBounded(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<string> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

async function hubError(response: Response): Promise<HubStatusError> {
  const text = await response.text().catch(() => '');
  return new HubStatusError(response.status, text.slice(0, 300));
}

function describe(error: unknown, ref: HubRepoRef, url: string): DomainError {
  if (error instanceof DomainError) return error;
  const status = error instanceof hubLibrary().HubApiError || error instanceof HubStatusError ? error.statusCode : undefined;
  const what = `the Hugging Face ${ref.kind} ${url}`;
  if (status === 404) return new DomainError(ErrorCode.SourceNotFound, `${what} does not exist (or this revision or file is missing)`, { url });
  if (status === 401 || status === 403) {
    return new DomainError(ErrorCode.SourceAccessDenied, `Hugging Face refused access to ${what}: it is gated or private; set HF_TOKEN for an account that has access`, { url });
  }
  if (status === 429) return new DomainError(ErrorCode.UpstreamRateLimited, `Hugging Face is rate-limiting requests for ${what}; try again later`, { url });
  const detail = status === undefined ? (error instanceof Error ? error.message : String(error)) : `status ${status}`;
  return new DomainError(ErrorCode.UpstreamUnavailable, `Hugging Face failed while serving ${what} (${detail})`, { url });
}

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
