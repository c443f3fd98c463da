import type { FixtureSet } from './fixtures';
import { bearerToken, bytesResponse, redirect, type FakeRequest, type FakeResponse } from './http-kit';
import { listTree, pathsInfo, repoInfo, repoRefs } from './hub-api-routes';
import { hubError, revisionNotFound, type HubContext } from './hub-context';
import { resolveRevision, type HubFile, type HubRepo, type RepoKind } from './hub-repo';

export type Located = { readonly repo: HubRepo; readonly keyword: string; readonly tail: readonly string[] } | { readonly response: FakeResponse };

/**
 * Splits `{repo}/{keyword}/…` where the repo id has one segment (legacy `gpt2`) or two (`openai/whisper-tiny`),
 * answering 307 for a legacy alias and 404 for an unknown repo.
 */
export function locate(context: HubContext, request: FakeRequest, kind: RepoKind, segments: readonly string[], keywords: readonly string[]): Located {
  const splits = [2, 1].filter((at) => keywords.includes(segments[at] ?? '\u0000'));
  if (splits.length === 0 && segments.length <= 2 && keywords.includes('')) splits.push(segments.length);
  const repos = kind === 'model' ? context.fixtures.models : context.fixtures.datasets;
  const aliases = context.fixtures.aliases[kind];
  const idAt = (at: number): string => segments.slice(0, at).map(decodeURIComponent).join('/');
  const at = splits.find((candidate) => repos.has(idAt(candidate)) || aliases.has(idAt(candidate))) ?? splits[0];
  if (at === undefined) return { response: hubError(404, 'EntryNotFound', 'Not Found') };
  const id = idAt(at);
  const canonical = aliases.get(id);
  if (canonical !== undefined) {
    const prefix = request.url.pathname.slice(0, request.url.pathname.length - segments.join('/').length);
    return { response: redirect(307, `${prefix}${[canonical, ...segments.slice(at)].join('/')}${request.url.search}`) };
  }
  const repo = repos.get(id);
  if (!repo) return { response: hubError(context.options.repoNotFoundStatus, 'RepoNotFound', 'Repository not found') };
  return { repo, keyword: segments[at] ?? '', tail: segments.slice(at + 1) };
}

function apiRoute(context: HubContext, request: FakeRequest, kind: RepoKind, rest: string): FakeResponse {
  const located = locate(context, request, kind, rest.split('/'), ['revision', 'tree', 'refs', 'paths-info', '']);
  if ('response' in located) return located.response;
  const { repo, keyword, tail } = located;
  if (keyword === 'paths-info') return request.method === 'POST' ? pathsInfo(context, request, repo, tail) : hubError(405, 'MethodNotAllowed', 'Method not allowed');
  if (request.method !== 'GET' && request.method !== 'HEAD') return hubError(405, 'MethodNotAllowed', 'Method not allowed');
  if (keyword === 'tree') return listTree(context, request, repo, tail);
  if (keyword === 'refs') return repoRefs(repo);
  return repoInfo(request, repo, keyword === 'revision' ? decodeURIComponent(tail[0] ?? 'main') : 'main');
}

const OPEN_IN_GATED_REPOS = new Set(['README.md', '.gitattributes']);

function gateFor(context: HubContext, request: FakeRequest, repo: HubRepo, file: HubFile): FakeResponse | undefined {
  if (repo.gated === false || OPEN_IN_GATED_REPOS.has(file.path)) return undefined;
  const token = bearerToken(request);
  if (token === context.options.token) return undefined;
  const message = `Access to ${repo.kind} ${repo.id} is restricted. You must have access to it and be authenticated to access it. Please log in.`;
  return hubError(token === undefined ? 401 : 403, 'GatedRepo', message);
}

function lfsLocation(context: HubContext, file: HubFile, sha256: string): string | undefined {
  const base = { 'same-origin': context.hfUrl, foreign: context.foreignUrl, none: undefined }[context.options.lfsRedirect];
  const name = file.path.split('/').pop() ?? file.path;
  const disposition = encodeURIComponent(`inline; filename*=UTF-8''${encodeURIComponent(name)}; filename="${name}";`);
  return base === undefined ? undefined : `${base}/cdn/${sha256}?response-content-disposition=${disposition}`;
}

/** `/{repo}/resolve|raw/{rev}/{path}`: bytes for git files, a CDN redirect (or bytes) for LFS files, pointers on raw. */
function fileRoute(context: HubContext, request: FakeRequest, kind: RepoKind, rest: string): FakeResponse {
  if (request.method !== 'GET' && request.method !== 'HEAD') return hubError(405, 'MethodNotAllowed', 'Method not allowed');
  const located = locate(context, request, kind, rest.split('/'), ['resolve', 'raw']);
  if ('response' in located) return located.response;
  const { repo, keyword, tail } = located;
  const revision = decodeURIComponent(tail[0] ?? '');
  const commit = resolveRevision(repo, revision);
  if (!commit) return revisionNotFound(revision);
  const path = tail.slice(1).map(decodeURIComponent).join('/');
  const file = repo.files.find((candidate) => candidate.path === path);
  if (!file) return hubError(404, 'EntryNotFound', 'Entry not found');
  const denied = gateFor(context, request, repo, file);
  if (denied) return denied;
  const name = path.split('/').pop() ?? path;
  const headers = { 'x-repo-commit': commit, 'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(name)}; filename="${name}";` };
  if (!file.lfs || !file.pointer) return bytesResponse(request, file.content, { ...headers, etag: `"${file.oid}"`, 'content-type': 'text/plain; charset=utf-8' });
  if (keyword === 'raw') return bytesResponse(request, file.pointer, { ...headers, etag: `"${file.oid}"`, 'content-type': 'text/plain; charset=utf-8' });
  const linked = { ...headers, 'x-linked-size': String(file.lfs.size), 'x-linked-etag': `"${file.lfs.oid}"` };
  const location = lfsLocation(context, file, file.lfs.oid);
  if (location) return redirect(302, location, { ...linked, etag: `"${file.lfs.oid}"` });
  return bytesResponse(request, file.content, { ...linked, etag: `"${file.lfs.oid}"`, 'content-type': 'application/octet-stream' });
}

/** The CDN (same-origin `/hf/cdn/{sha256}` or the foreign server's `/cdn/{sha256}`): LFS objects by hash. */
export function cdnRoute(fixtures: FixtureSet, request: FakeRequest, sha256: string): FakeResponse {
  const content = fixtures.lfsObjects.get(sha256);
  if (!content) {
    return { status: 404, headers: { 'content-type': 'application/xml' }, body: Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>') };
  }
  const disposition = request.url.searchParams.get('response-content-disposition');
  const headers = { etag: `"${sha256}"`, 'content-type': 'binary/octet-stream', 'x-cache': 'Hit from cloudfront', ...(disposition ? { 'content-disposition': disposition } : {}) };
  return bytesResponse(request, content, headers);
}

/** Every Hub route; `path` is what follows the `/hf` prefix. */
export function routeHub(context: HubContext, request: FakeRequest, path: string): FakeResponse {
  if (path.startsWith('/api/models/')) return apiRoute(context, request, 'model', path.slice('/api/models/'.length));
  if (path.startsWith('/api/datasets/')) return apiRoute(context, request, 'dataset', path.slice('/api/datasets/'.length));
  if (path.startsWith('/cdn/')) return cdnRoute(context.fixtures, request, path.slice('/cdn/'.length));
  if (path.startsWith('/datasets/')) return fileRoute(context, request, 'dataset', path.slice('/datasets/'.length));
  return fileRoute(context, request, 'model', path.slice(1));
}
