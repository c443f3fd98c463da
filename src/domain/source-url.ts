import { DomainError, ErrorCode } from './errors';
import type { ArtifactType } from './artifact';

/** A registration source the registry knows how to fetch, parsed from the public URL users write. */
export type SourceRef =
  | { readonly hub: 'huggingface'; readonly kind: 'model' | 'dataset'; readonly repo: string; readonly revision?: string }
  | { readonly hub: 'github'; readonly repo: string };

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;
// First path segments the Hub uses for its own pages, which can never be an owner-less repository.
const HUB_RESERVED = new Set([
  'api', 'spaces', 'models', 'docs', 'blog', 'papers', 'collections', 'organizations', 'settings', 'login',
  'join', 'pricing', 'tasks', 'learn', 'search', 'new', 'new-dataset', 'new-space', 'enterprise', 'posts',
]);
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
  throw unsupported(raw, 'only https://huggingface.co and https://github.com repositories are accepted');
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
  if (type !== 'code') throw unsupported(raw, `a ${type} must come from Hugging Face; GitHub repositories register as code`);
  const [owner, repoName, ...extra] = segments;
  const repo = repoName?.replace(/\.git$/, '');
  if (owner === undefined || repo === undefined || !SEGMENT.test(owner) || !SEGMENT.test(repo) || extra.length > 0) {
    throw unsupported(raw, 'expected https://github.com/{owner}/{repo}');
  }
  return { hub: 'github', repo: `${owner}/${repo}` };
}

/** The name an artifact takes from its source: the URL's last repository segment. */
export const nameFromSource = (source: SourceRef): string => source.repo.split('/').pop() ?? source.repo;
