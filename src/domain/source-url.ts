import { DomainError, ErrorCode } from './errors';
import type { ArtifactType } from './artifact';

/** A registration source the registry knows how to fetch, parsed from the public URL users write. */
export type SourceRef =
  | { readonly hub: 'huggingface'; readonly kind: 'model' | 'dataset'; readonly repo: string; readonly revision?: string }
  /** A repository, optionally at a branch, tag or commit (`ref`) and narrowed to one directory (`path`). */
  | { readonly hub: 'github'; readonly repo: string; readonly ref?: string; readonly path?: string }
  | { readonly hub: 'kaggle'; readonly dataset: string };

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;
// Git refs and directory names may start with a dot or a dash; "." and ".." are refused earlier.
const PATH_SEGMENT = /^[A-Za-z0-9._-]{1,255}$/;
const MAX_PATH_DEPTH = 32;
// First path segments the Hub uses for its own pages, which can never be an owner-less repository.
const HUB_RESERVED = new Set([
  'api', 'spaces', 'models', 'docs', 'blog', 'papers', 'collections', 'organizations', 'settings', 'login',
  'join', 'pricing', 'tasks', 'learn', 'search', 'new', 'new-dataset', 'new-space', 'enterprise', 'posts',
]);
const KAGGLE_HOSTS = new Set(['www.kaggle.com', 'kaggle.com']);
// The URL parser silently resolves "." and ".." segments (also percent-encoded), reads "\" as "/" and
// drops tabs and line breaks, so such a URL could name one repository and register another.
const NON_CANONICAL = /[\\\t\n\r]|\/(?:\.|%2e){1,2}(?=[/?#]|$)/i;

const unsupported = (url: string, why: string): DomainError =>
  new DomainError(ErrorCode.UnsupportedSource, `cannot register from "${url}": ${why}`);

/**
 * Only the public hubs' canonical https URLs are accepted, parsed with the WHATWG URL parser so that
 * credentials, ports, look-alike hosts, IP literals and other schemes are refused before any request.
 */
export function parseSourceUrl(raw: string, type: ArtifactType): SourceRef {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw unsupported(raw, 'it is not a valid URL');
  }
  if (url.protocol !== 'https:') throw unsupported(raw, 'only https URLs are accepted');
  if (url.username !== '' || url.password !== '') throw unsupported(raw, 'URLs with credentials are refused');
  if (url.port !== '') throw unsupported(raw, 'URLs with an explicit port are refused');
  if (NON_CANONICAL.test(raw.trim())) throw unsupported(raw, 'dot segments, backslashes and line breaks are refused');
  const segments = url.pathname.split('/').filter((segment) => segment.length > 0);
  if (url.hostname === 'huggingface.co') return huggingFaceRef(raw, segments, type);
  if (url.hostname === 'github.com') return gitHubRef(raw, segments, type);
  if (KAGGLE_HOSTS.has(url.hostname)) return kaggleRef(raw, segments, type);
  throw unsupported(raw, 'only https://huggingface.co, https://github.com and https://www.kaggle.com/datasets sources are accepted');
}

function huggingFaceRef(raw: string, segments: string[], type: ArtifactType): SourceRef {
  if (type === 'code') throw unsupported(raw, 'code artifacts come from GitHub repositories');
  const isDataset = segments[0] === 'datasets';
  if (isDataset !== (type === 'dataset')) {
    throw unsupported(raw, `a ${type} must come from a Hugging Face ${type} URL`);
  }
  const rest = isDataset ? segments.slice(1) : segments;
  const treeAt = rest.indexOf('tree');
  const repo = treeAt === -1 ? rest : rest.slice(0, treeAt);
  const revision = treeAt === -1 ? [] : rest.slice(treeAt + 1);
  // Legacy repositories such as https://huggingface.co/gpt2 and /datasets/squad have no owner segment.
  const repoIsValid = repo.length >= 1 && repo.length <= 2 && repo.every((s) => SEGMENT.test(s)) && !HUB_RESERVED.has(repo[0] ?? '');
  if (!repoIsValid) throw unsupported(raw, 'expected https://huggingface.co/[datasets/]{owner}/{name}');
  if (treeAt !== -1 && (revision.length !== 1 || !SEGMENT.test(revision[0] ?? ''))) {
    throw unsupported(raw, 'only /tree/{revision} may follow the repository name');
  }
  const kind = isDataset ? 'dataset' : 'model';
  return revision[0] === undefined
    ? { hub: 'huggingface', kind, repo: repo.join('/') }
    : { hub: 'huggingface', kind, repo: repo.join('/'), revision: revision[0] };
}

function gitHubRef(raw: string, segments: string[], type: ArtifactType): SourceRef {
  if (type === 'model') throw unsupported(raw, 'a model must come from Hugging Face; GitHub repositories register as code or datasets');
  const [owner, repoName, ...extra] = segments;
  const repo = repoName?.replace(/\.git$/, '');
  const expected = 'expected https://github.com/{owner}/{repo}, optionally followed by /tree/{ref} or /tree/{ref}/{path}';
  if (owner === undefined || repo === undefined || !SEGMENT.test(owner) || !SEGMENT.test(repo)) throw unsupported(raw, expected);
  if (extra.length === 0) return { hub: 'github', repo: `${owner}/${repo}` };
  // Only the bare repository name may carry ".git"; "/tree/…" follows the plain name, as GitHub writes it.
  const [tree, ref, ...path] = extra;
  if (repoName !== repo || tree !== 'tree' || ref === undefined || path.length > MAX_PATH_DEPTH) throw unsupported(raw, expected);
  if (![ref, ...path].every((segment) => PATH_SEGMENT.test(segment) && segment !== '.' && segment !== '..')) throw unsupported(raw, expected);
  return { hub: 'github', repo: `${owner}/${repo}`, ref, ...(path.length === 0 ? {} : { path: path.join('/') }) };
}

function kaggleRef(raw: string, segments: string[], type: ArtifactType): SourceRef {
  if (type !== 'dataset') throw unsupported(raw, `Kaggle URLs register datasets, not ${type}s`);
  const [section, owner, slug, ...extra] = segments;
  if (section !== 'datasets' || owner === undefined || slug === undefined || extra.length > 0 || !SEGMENT.test(owner) || !SEGMENT.test(slug)) {
    throw unsupported(raw, 'expected https://www.kaggle.com/datasets/{owner}/{slug}');
  }
  return { hub: 'kaggle', dataset: `${owner}/${slug}` };
}

/** The name an artifact takes from its source: the repository's (or directory's) last segment. */
export function nameFromSource(source: SourceRef): string {
  const last = (path: string): string => path.split('/').pop() ?? path;
  if (source.hub === 'kaggle') return last(source.dataset);
  if (source.hub === 'github' && source.path !== undefined) return last(source.path);
  return last(source.repo);
}

/**
 * The one URL every spelling of a source maps to: hosts and owners compared case-insensitively (as
 * GitHub, the Hub and Kaggle resolve them), no ".git", no trailing slash, the revision kept.
 */
export function canonicalSourceUrl(source: SourceRef): string {
  if (source.hub === 'kaggle') return `https://www.kaggle.com/datasets/${source.dataset.toLowerCase()}`;
  if (source.hub === 'github') {
    const tree = source.ref === undefined ? '' : `/tree/${source.ref}${source.path === undefined ? '' : `/${source.path}`}`;
    return `https://github.com/${source.repo.toLowerCase()}${tree}`;
  }
  const revision = source.revision === undefined ? '' : `/tree/${source.revision}`;
  return `https://huggingface.co/${source.kind === 'dataset' ? 'datasets/' : ''}${source.repo.toLowerCase()}${revision}`;
}

/** Identity of "the same source registered again": its type and canonical URL (revision included). */
export const sourceKeyOf = (type: ArtifactType, source: SourceRef): string => `${type} ${canonicalSourceUrl(source)}`;

/** The page a person opens to see the source, for artifacts the registry refers to but does not mirror. */
export function sourcePageOf(source: SourceRef): string {
  return source.hub === 'kaggle' ? `https://www.kaggle.com/datasets/${source.dataset}` : canonicalSourceUrl(source);
}
