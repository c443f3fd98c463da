import { Readable } from 'node:stream';
import type { graphql } from '@octokit/graphql';
import type { Octokit } from '@octokit/rest';
import { DomainError, ErrorCode } from '../../domain/errors';
import type { CodeHistory } from '../../domain/rating/collect';
import type { CodeHost, CodeRepoInfo, StagedPackage } from '../../ports/source-hubs.port';
import type { Logger } from '../../ports/system.port';
import { restageWithoutTopFolder, stageStream } from '../archive/zip-stager';
import { UpstreamClient } from '../upstream/upstream-client';
import { graphqlReviewHistory, restReviewHistory } from './github-review-history';

export interface GitHubOptions {
  readonly apiUrl: string;
  readonly token?: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
  readonly retries?: number;
  /** Where archives are staged; the instance's scratch area. */
  readonly stagingDir?: string;
}

const NAME = 'GitHub';
// api.github.com answers archive requests with a redirect to codeload.github.com.
const GITHUB_ARCHIVE_HOSTS = ['codeload.github.com'];
const REPO_FIELDS = [
  'full_name', 'description', 'html_url', 'default_branch', 'stargazers_count', 'forks_count', 'watchers_count',
  'open_issues_count', 'license', 'topics', 'archived', 'disabled', 'fork', 'created_at', 'updated_at', 'pushed_at',
  'size', 'language', 'visibility', 'homepage',
] as const;

/** GitHub through @octokit/rest, over one UpstreamClient for timeouts, retries, caching and host pinning. */
export class GitHubCodeHost implements CodeHost {
  private readonly client: UpstreamClient;
  private readonly apiUrl: string;
  private readonly logger: Logger;
  private readonly hasToken: boolean;
  private rest: Octokit | undefined;
  private gql: typeof graphql | undefined;

  private readonly stagingDir: string | undefined;

  constructor(options: GitHubOptions) {
    this.stagingDir = options.stagingDir;
    const apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.client = new UpstreamClient({
      name: NAME,
      baseUrl: apiUrl,
      ...(options.token === undefined ? {} : { token: options.token }),
      authorization: (token) => `Bearer ${token}`,
      redirectHosts: new URL(apiUrl).hostname === 'api.github.com' ? GITHUB_ARCHIVE_HOSTS : [],
      timeoutMs: options.timeoutMs,
      ...(options.retries === undefined ? {} : { retries: options.retries }),
      isMetadata: (url) => !/\/(zipball|tarball)(\/|$)/.test(url.pathname),
      logger: options.logger,
    });
    this.apiUrl = apiUrl;
    this.logger = options.logger;
    this.hasToken = options.token !== undefined;
  }

  /** Octokit is made at the first GitHub call: loading it was a twentieth of the server's start-up. */
  private get octokit(): Octokit {
    const log = this.logger;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.rest ??= new (require('@octokit/rest') as typeof import('@octokit/rest')).Octokit({
      baseUrl: this.apiUrl,
      userAgent: 'trustworthy-model-registry',
      request: { fetch: this.client.fetch },
      // Octokit logs failed requests to the console by default; ours go through the registry's logger.
      log: { debug: () => undefined, info: () => undefined, warn: (message: string) => log.debug(message), error: (message: string) => log.debug(message) },
    });
    return this.rest;
  }

  /** GitHub's GraphQL API needs a token; without one, review history comes from REST within a budget. */
  private get graphql(): typeof graphql | undefined {
    if (!this.hasToken) return undefined;
    // The client adds the token itself, to this host only; GraphQL lives at {apiUrl}/graphql.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.gql ??= (require('@octokit/graphql') as typeof import('@octokit/graphql')).graphql.defaults({ baseUrl: this.apiUrl, request: { fetch: this.client.fetch } });
    return this.gql;
  }

  async repository(repo: string): Promise<CodeRepoInfo> {
    const [owner, name] = split(repo);
    return this.guard(repo, async () => {
      const { data } = await this.octokit.repos.get({ owner, repo: name });
      const info: Record<string, unknown> = {};
      for (const key of REPO_FIELDS) if (data[key] !== undefined) info[key] = data[key];
      // The newest commit of the default branch pins the snapshot that gets mirrored.
      const commits = await this.octokit.repos.listCommits({ owner, repo: name, sha: data.default_branch, per_page: 1 });
      const commit = commits.data[0]?.sha;
      return { defaultBranch: data.default_branch, ...(commit === undefined ? {} : { commit }), info };
    });
  }

  async listTags(repo: string): Promise<string[]> {
    const [owner, name] = split(repo);
    return this.guard(repo, async () => {
      const { data } = await this.octokit.repos.listTags({ owner, repo: name, per_page: 100 });
      return data.map((tag) => tag.name);
    });
  }

  async readme(repo: string): Promise<string | undefined> {
    const [owner, name] = split(repo);
    return this.guard(repo, async () => {
      const readme = await this.octokit.repos.getReadme({ owner, repo: name }).catch(absentOn404);
      return readme === undefined ? undefined : Buffer.from(readme.data.content, 'base64').toString('utf8');
    });
  }

  async stage(repo: string, ref: string, maxBytes: number): Promise<StagedPackage> {
    return this.guard(repo, async () => {
      const response = await this.client.fetch(this.client.url(`/repos/${repo}/zipball/${encodeURIComponent(ref)}`));
      if (!response.ok || response.body === null) throw new StatusError(response.status, response.headers);
      const declared = Number(response.headers.get('content-length') ?? 0);
      const tooLarge = (): DomainError => new DomainError(
        ErrorCode.SourceTooLarge, `the archive of https://github.com/${repo} is larger than the ${maxBytes}-byte limit (TMR_MAX_INGEST_BYTES)`,
      );
      if (declared > maxBytes) {
        await response.body.cancel();
        throw tooLarge();
      }
      const download = await stageStream(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), maxBytes, tooLarge, this.stagingDir);
      try {
        return await restageWithoutTopFolder(download.path, `${NAME} repository ${repo}`, undefined, this.stagingDir);
      } finally {
        await download.dispose();
      }
    });
  }

  async resolveRef(repo: string, ref: string): Promise<string> {
    const [owner, name] = split(repo);
    return this.guard(repo, async () => {
      try {
        const { data } = await this.octokit.repos.getCommit({ owner, repo: name, ref, per_page: 1 });
        return data.sha;
      } catch (error) {
        // GitHub answers 422 ("No commit found for SHA") or 404 for a ref that names nothing.
        const status = statusOf(error).status;
        if (status === 422 || status === 404) throw new DomainError(ErrorCode.SourceNotFound, `https://github.com/${repo} has no branch, tag or commit "${ref}"`, { ref });
        throw error;
      }
    });
  }

  async stageDirectory(repo: string, ref: string, path: string, maxBytes: number): Promise<StagedPackage> {
    return this.guard(repo, async () => {
      const download = await this.downloadZipball(repo, ref, maxBytes);
      try {
        return await restageWithoutTopFolder(download.path, `${NAME} repository ${repo} at ${ref}`, path, this.stagingDir);
      } finally {
        await download.dispose();
      }
    });
  }

  private async downloadZipball(repo: string, ref: string, maxBytes: number): Promise<StagedPackage> {
    const response = await this.client.fetch(this.client.url(`/repos/${repo}/zipball/${encodeURIComponent(ref)}`));
    if (!response.ok || response.body === null) throw new StatusError(response.status, response.headers);
    const tooLarge = (): DomainError => new DomainError(
      ErrorCode.SourceTooLarge, `the archive of https://github.com/${repo} is larger than the ${maxBytes}-byte limit (TMR_MAX_INGEST_BYTES)`,
    );
    if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
      await response.body.cancel();
      throw tooLarge();
    }
    return stageStream(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), maxBytes, tooLarge, this.stagingDir);
  }

  async history(repo: string, branch: string): Promise<CodeHistory> {
    const [owner, name] = split(repo);
    return this.guard(repo, async () => {
      const [contributors, tree, readme, review] = await Promise.all([
        this.octokit.repos.listContributors({ owner, repo: name, per_page: 100, anon: 'true' }),
        this.octokit.git.getTree({ owner, repo: name, tree_sha: branch, recursive: 'true' }).catch(absentOn404),
        this.octokit.repos.getReadme({ owner, repo: name }).catch(absentOn404),
        this.graphql === undefined ? restReviewHistory(this.octokit, owner, name, branch) : graphqlReviewHistory(this.graphql, owner, name, branch),
      ]);
      return {
        contributors: (contributors.data as { login?: string; name?: string; contributions: number }[]).map((c) => ({
          login: c.login ?? `anon:${c.name ?? 'unknown'}`, contributions: c.contributions,
        })),
        ...(tree === undefined ? {} : {
          files: tree.data.tree.filter((item) => item.type === 'blob' && item.path !== undefined).map((item) => ({ path: item.path ?? '', size: item.size ?? 0 })),
          filesTruncated: tree.data.truncated,
        }),
        ...(readme === undefined ? {} : { readme: Buffer.from(readme.data.content, 'base64').toString('utf8') }),
        ...review,
      };
    });
  }

  private async guard<T>(repo: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw describe(error, `https://github.com/${repo}`);
    }
  }
}

class StatusError extends Error {
  constructor(readonly status: number, readonly headers: Headers) {
    super(`status ${status}`);
  }
}

/** A missing README or tree is a fact about the repository, not a failure. */
function absentOn404(error: unknown): undefined {
  if (statusOf(error).status === 404) return undefined;
  throw error;
}

function split(repo: string): [string, string] {
  const [owner = '', name = ''] = repo.split('/');
  return [owner, name];
}

function statusOf(error: unknown): { status?: number; rateLimited: boolean } {
  if (error instanceof StatusError) {
    return { status: error.status, rateLimited: error.status === 429 || error.headers.get('x-ratelimit-remaining') === '0' };
  }
  if (typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number') {
    const { status, response } = error as { status: number; response?: { headers?: Record<string, string | undefined> } };
    return { status, rateLimited: status === 429 || response?.headers?.['x-ratelimit-remaining'] === '0' };
  }
  return { rateLimited: false };
}

function describe(error: unknown, url: string): DomainError {
  if (error instanceof DomainError) return error;
  const { status, rateLimited } = statusOf(error);
  if (status === 404) return new DomainError(ErrorCode.SourceNotFound, `the GitHub repository ${url} does not exist or is private`, { url });
  if (rateLimited) return new DomainError(ErrorCode.UpstreamRateLimited, `GitHub's rate limit is exhausted for ${url}; set GITHUB_TOKEN or try again later`, { url });
  if (status === 401 || status === 403) return new DomainError(ErrorCode.SourceAccessDenied, `GitHub refused access to ${url}`, { url });
  const detail = status === undefined ? (error instanceof Error ? error.message : String(error)) : `status ${status}`;
  return new DomainError(ErrorCode.UpstreamUnavailable, `GitHub failed while serving ${url} (${detail})`, { url });
}
