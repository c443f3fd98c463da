import { tarGzArchive, zipArchive } from './archives';
import type { FixtureSet } from './fixtures';
import type { GithubRepo } from './github-repo';
import { graphqlRoute } from './github-graphql';
import { commitDetailJson, commitJson, contentJson, licenseJson, pullFileJson, pullJson, repoJson, reviewJson, userJson } from './github-payloads';
import { jsonResponse, redirect, type FakeRequest, type FakeResponse } from './http-kit';

export interface GithubContext {
  readonly fixtures: FixtureSet;
  readonly githubUrl: string;
}

const DOCS = 'https://docs.github.com/rest';
export const githubError = (status: number, message: string, documentation = DOCS): FakeResponse =>
  jsonResponse(status, { message, documentation_url: documentation, status: String(status) });
const notFound = (): FakeResponse => githubError(404, 'Not Found', `${DOCS}/repos/repos#get-a-repository`);

/** `per_page` (default 30, at most 100) and `page`, with GitHub's absolute `Link` header. */
function paginate(request: FakeRequest, context: GithubContext, items: readonly unknown[]): FakeResponse {
  const perPage = Math.min(100, Math.max(1, Number(request.url.searchParams.get('per_page')) || 30));
  const page = Math.max(1, Number(request.url.searchParams.get('page')) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (target: number, rel: string): string => {
    const url = new URL(request.url.pathname + request.url.search, context.githubUrl);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(target));
    return `<${url.href}>; rel="${rel}"`;
  };
  const links = [...(page > 1 ? [link(page - 1, 'prev'), link(1, 'first')] : []), ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : [])];
  return jsonResponse(200, items.slice((page - 1) * perPage, page * perPage), links.length > 0 ? { link: links.join(', ') } : {});
}

function contributors(request: FakeRequest, context: GithubContext, repo: GithubRepo): FakeResponse {
  const anon = ['1', 'true'].includes(request.url.searchParams.get('anon') ?? '');
  const rows = Object.entries(repo.spec.contributors)
    .filter(([login]) => anon || !login.startsWith('anon:'))
    .sort((a, b) => b[1] - a[1])
    .map(([login, contributions]) =>
      login.startsWith('anon:')
        ? { email: `${login.slice(5).toLowerCase().replace(/\W+/g, '.')}@example.com`, name: login.slice(5), type: 'Anonymous', contributions }
        : { ...userJson(context.githubUrl, login), contributions },
    );
  return paginate(request, context, rows);
}

function commits(request: FakeRequest, context: GithubContext, repo: GithubRepo): FakeResponse {
  const params = request.url.searchParams;
  const since = Date.parse(params.get('since') ?? '');
  const until = Date.parse(params.get('until') ?? '');
  const start = params.get('sha') ? commitIndexFor(repo, params.get('sha') ?? '') : 0;
  if (start === undefined) return githubError(404, 'No commit found for SHA: ' + params.get('sha'));
  const selected = repo.commits.slice(start).filter((commit) => {
    const date = Date.parse(commit.committer.date);
    return (Number.isNaN(since) || date >= since) && (Number.isNaN(until) || date <= until);
  });
  return paginate(request, context, selected.map((commit) => commitJson(context.githubUrl, repo, commit)));
}

/** Index in the history of a branch name, tag, `HEAD` or commit sha. */
function commitIndexFor(repo: GithubRepo, ref: string): number | undefined {
  const name = ref.replace(/^refs\/(heads|tags)\//, '');
  if (name === '' || name === 'HEAD' || name === repo.spec.defaultBranch) return 0;
  const sha = repo.tags.find((tag) => tag.name === name)?.sha ?? name;
  const index = repo.commits.findIndex((commit) => commit.sha === sha);
  return index >= 0 ? index : undefined;
}

function gitTree(request: FakeRequest, context: GithubContext, repo: GithubRepo, sha: string): FakeResponse {
  const commitIndex = commitIndexFor(repo, sha);
  const dir = commitIndex !== undefined || sha === repo.rootTree ? '' : repo.tree.find((entry) => entry.type === 'tree' && entry.sha === sha)?.path;
  if (dir === undefined) return githubError(404, 'Not Found', `${DOCS}/git/trees#get-a-tree`);
  const treeSha = commitIndex !== undefined ? (repo.commits[commitIndex]?.tree ?? repo.rootTree) : sha;
  const recursive = (request.url.searchParams.get('recursive') ?? '') !== '';
  const prefix = dir === '' ? '' : `${dir}/`;
  const base = `${context.githubUrl}/repos/${repo.spec.fullName}/git`;
  const tree = repo.tree
    .filter((entry) => entry.path.startsWith(prefix) && (recursive || !entry.path.slice(prefix.length).includes('/')))
    .map((entry) => ({ path: entry.path.slice(prefix.length), mode: entry.mode, type: entry.type, sha: entry.sha, ...(entry.size !== undefined ? { size: entry.size } : {}), url: `${base}/${entry.type}s/${entry.sha}` }));
  return jsonResponse(200, { sha: treeSha, url: `${base}/trees/${treeSha}`, tree, truncated: false });
}

function pullRoute(request: FakeRequest, context: GithubContext, repo: GithubRepo, rest: readonly string[]): FakeResponse {
  const api = context.githubUrl;
  if (rest.length === 0) {
    const state = request.url.searchParams.get('state') ?? 'open';
    const pulls = repo.pulls.filter((pull) => state === 'all' || pull.state === state);
    const ordered = request.url.searchParams.get('direction') === 'asc' ? [...pulls].reverse() : pulls;
    return paginate(request, context, ordered.map((pull) => pullJson(api, repo, pull)));
  }
  const pull = repo.pulls.find((candidate) => String(candidate.number) === rest[0]);
  if (!pull) return githubError(404, 'Not Found', `${DOCS}/pulls/pulls#get-a-pull-request`);
  if (rest.length === 1) return jsonResponse(200, { ...pullJson(api, repo, pull), merged: pull.mergedAt !== null, commits: pull.commits.length, additions: pull.files.reduce((sum, file) => sum + file.additions, 0), deletions: pull.files.reduce((sum, file) => sum + file.deletions, 0), changed_files: pull.files.length });
  if (rest[1] === 'reviews' && rest.length === 2) return paginate(request, context, pull.reviews.map((review) => reviewJson(api, repo, pull, review)));
  if (rest[1] === 'files' && rest.length === 2) return paginate(request, context, pull.files.map((file) => pullFileJson(api, repo, pull, file)));
  return notFound();
}

function contents(context: GithubContext, repo: GithubRepo, path: string): FakeResponse {
  const blob = repo.blobs.get(path);
  if (blob) return jsonResponse(200, contentJson(context.githubUrl, repo, path, blob));
  const prefix = path === '' ? '' : `${path}/`;
  const children = repo.tree.filter((entry) => entry.path.startsWith(prefix) && entry.path !== path && !entry.path.slice(prefix.length).includes('/'));
  if (children.length === 0) return githubError(404, 'Not Found', `${DOCS}/repos/contents#get-repository-content`);
  return jsonResponse(200, children.map((entry) => ({ name: entry.path.slice(prefix.length), path: entry.path, sha: entry.sha, size: entry.size ?? 0, type: entry.type === 'blob' ? 'file' : 'dir' })));
}

function fileAt(repo: GithubRepo, pattern: RegExp): string | undefined {
  return [...repo.blobs.keys()].find((path) => !path.includes('/') && pattern.test(path));
}

function repoRoute(request: FakeRequest, context: GithubContext, repo: GithubRepo, rest: readonly string[]): FakeResponse {
  const api = context.githubUrl;
  const [first = '', ...more] = rest;
  switch (first) {
    case '':
      return jsonResponse(200, repoJson(api, repo));
    case 'license': {
      const path = fileAt(repo, /^(LICEN[CS]E|COPYING)(\.(md|txt))?$/i);
      if (repo.spec.licenseSpdx === null || !path) return githubError(404, 'Not Found', `${DOCS}/licenses/licenses#get-the-license-for-a-repository`);
      return jsonResponse(200, { ...contentJson(api, repo, path, repo.blobs.get(path) ?? Buffer.alloc(0)), license: licenseJson(api, repo.spec.licenseSpdx) });
    }
    case 'readme': {
      const path = fileAt(repo, /^README(\.(md|rst|txt))?$/i);
      if (!path) return githubError(404, 'Not Found', `${DOCS}/repos/contents#get-a-repository-readme`);
      return jsonResponse(200, contentJson(api, repo, path, repo.blobs.get(path) ?? Buffer.alloc(0)));
    }
    case 'tags':
      return paginate(request, context, repo.tags.map((tag) => ({ name: tag.name, zipball_url: `${api}/repos/${repo.spec.fullName}/zipball/refs/tags/${tag.name}`, tarball_url: `${api}/repos/${repo.spec.fullName}/tarball/refs/tags/${tag.name}`, commit: { sha: tag.sha, url: `${api}/repos/${repo.spec.fullName}/commits/${tag.sha}` }, node_id: Buffer.from(`03:Ref${repo.id}:${tag.name}`).toString('base64') })));
    case 'contributors':
      return contributors(request, context, repo);
    case 'commits': {
      if (more.length === 0) return commits(request, context, repo);
      const commit = repo.commits[commitIndexFor(repo, more.join('/')) ?? -1];
      return commit ? jsonResponse(200, commitDetailJson(api, repo, commit)) : githubError(422, `No commit found for SHA: ${more.join('/')}`);
    }
    case 'pulls':
      return pullRoute(request, context, repo, more);
    case 'git':
      return more[0] === 'trees' && more.length === 2 ? gitTree(request, context, repo, decodeURIComponent(more[1] ?? '')) : notFound();
    case 'contents':
      return contents(context, repo, more.map(decodeURIComponent).join('/'));
    case 'zipball':
    case 'tarball': {
      const ref = more.map(decodeURIComponent).join('/') || repo.spec.defaultBranch;
      return redirect(302, `${api}/codeload/${repo.spec.fullName}/${first === 'zipball' ? 'zip' : 'tar.gz'}/${ref}`);
    }
    default:
      return notFound();
  }
}

/** `codeload/{owner}/{repo}/{zip|tar.gz}/{ref}`: the archive a zipball/tarball redirect points at. */
async function codeload(context: GithubContext, segments: readonly string[]): Promise<FakeResponse> {
  const [owner = '', name = '', format = '', ...refParts] = segments;
  const repo = context.fixtures.githubRepos.get(`${owner}/${name}`.toLowerCase());
  const index = repo ? commitIndexFor(repo, refParts.map(decodeURIComponent).join('/')) : undefined;
  const commit = repo && index !== undefined ? repo.commits[index] : undefined;
  if (!repo || !commit || (format !== 'zip' && format !== 'tar.gz')) return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from('404: Not Found') };
  const root = `${repo.owner}-${repo.name}-${commit.sha.slice(0, 7)}`;
  const input = { root, commit: commit.sha, mtime: new Date(commit.committer.date), directories: repo.tree.filter((entry) => entry.type === 'tree').map((entry) => entry.path), files: repo.blobs };
  const body = format === 'zip' ? await zipArchive(input) : tarGzArchive(input);
  const type = format === 'zip' ? 'application/zip' : 'application/x-gzip';
  return { status: 200, headers: { 'content-type': type, 'content-disposition': `attachment; filename=${root}.${format}`, etag: `"${commit.sha}"` }, body };
}

/** Every GitHub route; `path` is what follows the `/github` prefix. */
export function routeGithub(context: GithubContext, request: FakeRequest, path: string): FakeResponse | Promise<FakeResponse> {
  const segments = path.split('/').slice(1);
  if (segments[0] === 'codeload') return codeload(context, segments.slice(1));
  if (path === '/graphql') return request.method === 'POST' ? graphqlRoute(context, request) : notFound();
  if (request.method !== 'GET' && request.method !== 'HEAD') return notFound();
  if (segments[0] === 'repositories') {
    const repo = [...context.fixtures.githubRepos.values()].find((candidate) => String(candidate.id) === segments[1]);
    return repo ? repoRoute(request, context, repo, segments.slice(2)) : notFound();
  }
  if (segments[0] !== 'repos' || segments.length < 3) return notFound();
  const fullName = `${segments[1]}/${segments[2]}`.toLowerCase();
  const moved = context.fixtures.githubMoved.get(fullName);
  if (moved) {
    const location = `${context.githubUrl}/repositories/${moved.id}${segments.length > 3 ? `/${segments.slice(3).join('/')}` : ''}${request.url.search}`;
    return { ...jsonResponse(301, { message: 'Moved Permanently', url: location, documentation_url: 'https://docs.github.com/v3/#http-redirects' }), headers: { 'content-type': 'application/json; charset=utf-8', location } };
  }
  const repo = context.fixtures.githubRepos.get(fullName);
  return repo ? repoRoute(request, context, repo, segments.slice(3)) : notFound();
}
