import { jsonResponse, type FakeRequest, type FakeResponse } from './http-kit';
import { hubError, revisionNotFound, type HubContext } from './hub-context';
import { DATASET_EXPANDABLE, MODEL_EXPANDABLE, datasetInfo, directoryEntry, expandInfo, fileEntry, modelInfo } from './hub-payloads';
import { resolveRevision, type HubRepo } from './hub-repo';

const truthy = (value: string | null): boolean => value === 'true' || value === '1' || value === 'True';

/** `GET /api/{models|datasets}/{repo}[/revision/{rev}]`, honouring `expand` (and `blobs=true` for sibling sizes). */
export function repoInfo(request: FakeRequest, repo: HubRepo, revision: string): FakeResponse {
  const commit = resolveRevision(repo, revision);
  if (!commit) return revisionNotFound(revision);
  const expand = request.url.searchParams.getAll('expand');
  const allowed = repo.kind === 'model' ? MODEL_EXPANDABLE : DATASET_EXPANDABLE;
  const unknown = expand.findIndex((key) => !allowed.includes(key));
  if (unknown >= 0) {
    return jsonResponse(400, { error: `"expand[${unknown}]" must be one of [${allowed.map((key) => `"${key}"`).join(', ')}]` });
  }
  const withBlobs = truthy(request.url.searchParams.get('blobs'));
  const full = repo.kind === 'model' ? modelInfo(repo, commit, withBlobs) : datasetInfo(repo, commit, withBlobs);
  return jsonResponse(200, expandInfo(full, expand));
}

function directoriesOf(repo: HubRepo): Set<string> {
  const directories = new Set<string>();
  for (const file of repo.files) {
    const parts = file.path.split('/');
    for (let depth = 1; depth < parts.length; depth += 1) directories.add(parts.slice(0, depth).join('/'));
  }
  return directories;
}

/** Entries under `dir`, sorted by path, or undefined when `dir` is not a directory of the repo. */
function treeEntries(repo: HubRepo, dir: string, recursive: boolean, expand: boolean): Record<string, unknown>[] | undefined {
  const directories = directoriesOf(repo);
  if (dir !== '' && !directories.has(dir)) return undefined;
  const prefix = dir === '' ? '' : `${dir}/`;
  const wanted = (path: string): boolean => path.startsWith(prefix) && (recursive || !path.slice(prefix.length).includes('/'));
  const entries = [
    ...[...directories].filter(wanted).map((path) => ({ path, entry: directoryEntry(repo, path, expand) })),
    ...repo.files.filter((file) => wanted(file.path)).map((file) => ({ path: file.path, entry: fileEntry(file, expand) })),
  ];
  return entries.sort((a, b) => (a.path < b.path ? -1 : 1)).map(({ entry }) => entry);
}

/** `GET /api/{type}s/{repo}/tree/{rev}[/{path}]`: pages of `treePageSize`, the next one linked absolutely in `Link`. */
export function listTree(context: HubContext, request: FakeRequest, repo: HubRepo, tail: readonly string[]): FakeResponse {
  const revision = decodeURIComponent(tail[0] ?? 'main');
  if (!resolveRevision(repo, revision)) return revisionNotFound(revision);
  const dir = tail.slice(1).map(decodeURIComponent).join('/').replace(/\/$/, '');
  const params = request.url.searchParams;
  const entries = treeEntries(repo, dir, truthy(params.get('recursive')), truthy(params.get('expand')));
  if (!entries) return hubError(404, 'EntryNotFound', `Entry not found: ${dir}`);
  const offset = Number(Buffer.from(params.get('cursor') ?? '', 'base64url').toString() || '0');
  const end = offset + context.options.treePageSize;
  if (end >= entries.length) return jsonResponse(200, entries.slice(offset));
  const next = new URL(request.url.pathname + request.url.search, context.hfUrl);
  next.searchParams.set('cursor', Buffer.from(String(end)).toString('base64url'));
  return jsonResponse(200, entries.slice(offset, end), { link: `<${next.href}>; rel="next"` });
}

export function repoRefs(repo: HubRepo): FakeResponse {
  return jsonResponse(200, { branches: repo.branches, converts: repo.converts, tags: repo.tags });
}

/** `POST /api/{type}s/{repo}/paths-info/{rev}` with `{paths, expand}`: entries for the paths that exist. */
export function pathsInfo(_context: HubContext, request: FakeRequest, repo: HubRepo, tail: readonly string[]): FakeResponse {
  const revision = decodeURIComponent(tail[0] ?? 'main');
  if (!resolveRevision(repo, revision)) return revisionNotFound(revision);
  let body: { paths?: unknown; expand?: unknown };
  try {
    body = JSON.parse(request.body.toString('utf8') || '{}') as typeof body;
  } catch {
    return hubError(400, 'BadRequest', 'Invalid JSON body');
  }
  const paths = Array.isArray(body.paths) ? body.paths.map(String) : [];
  const expand = body.expand === true;
  const directories = directoriesOf(repo);
  const entries = paths.flatMap((path) => {
    const file = repo.files.find((candidate) => candidate.path === path);
    if (file) return [fileEntry(file, expand)];
    return directories.has(path) ? [directoryEntry(repo, path, expand)] : [];
  });
  return jsonResponse(200, entries);
}
