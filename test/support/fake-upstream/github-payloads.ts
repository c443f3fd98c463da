import { gitBlobOid, githubBase64, stableInt } from './bytes';
import type { GithubCommit, GithubPerson, GithubPull } from './github-history';
import type { GithubRepo } from './github-repo';

type Json = Record<string, unknown>;

const ORGANIZATIONS = new Set(['google-research', 'google-research-datasets', 'google-deepmind', 'google', 'openai', 'huggingface', 'pytorch', 'microsoft', 'jax-ml']);

export function userJson(api: string, login: string): Json {
  const id = stableInt(`user:${login}`, 1_000, 200_000_000);
  const type = login.endsWith('[bot]') ? 'Bot' : ORGANIZATIONS.has(login) ? 'Organization' : 'User';
  return {
    login,
    id,
    node_id: Buffer.from(`04:${type}${id}`).toString('base64'),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: `${api}/users/${login}`,
    html_url: `https://github.com/${login}`,
    type,
    user_view_type: 'public',
    site_admin: false,
  };
}

const LICENSES: Readonly<Record<string, { key: string; name: string; node_id: string }>> = {
  'Apache-2.0': { key: 'apache-2.0', name: 'Apache License 2.0', node_id: 'MDc6TGljZW5zZTI=' },
  MIT: { key: 'mit', name: 'MIT License', node_id: 'MDc6TGljZW5zZTEz' },
  'GPL-3.0': { key: 'gpl-3.0', name: 'GNU General Public License v3.0', node_id: 'MDc6TGljZW5zZTk=' },
  'BSD-3-Clause': { key: 'bsd-3-clause', name: 'BSD 3-Clause "New" or "Revised" License', node_id: 'MDc6TGljZW5zZTU=' },
};

/** GitHub's licence summary; an unrecognised licence file is `other` / `NOASSERTION` with no URL. */
export function licenseJson(api: string, spdx: string | null): Json | null {
  if (spdx === null) return null;
  const known = LICENSES[spdx];
  if (!known) return { key: 'other', name: 'Other', spdx_id: 'NOASSERTION', url: null, node_id: 'MDc6TGljZW5zZTA=' };
  return { key: known.key, name: known.name, spdx_id: spdx, url: `${api}/licenses/${known.key}`, node_id: known.node_id };
}

export const repoApi = (api: string, repo: GithubRepo): string => `${api}/repos/${repo.spec.fullName}`;

export function repoJson(api: string, repo: GithubRepo): Json {
  const { spec } = repo;
  const self = repoApi(api, repo);
  const html = `https://github.com/${spec.fullName}`;
  return {
    id: repo.id,
    node_id: Buffer.from(`010:Repository${repo.id}`).toString('base64'),
    name: repo.name,
    full_name: spec.fullName,
    private: false,
    owner: userJson(api, repo.owner),
    html_url: html,
    description: spec.description,
    fork: spec.fork,
    url: self,
    ...Object.fromEntries(['tags', 'contributors', 'commits', 'pulls', 'languages', 'releases'].map((kind) => [`${kind}_url`, `${self}/${kind}${kind === 'commits' ? '{/sha}' : kind === 'pulls' || kind === 'releases' ? '{/number}' : ''}`])),
    archive_url: `${self}/{archive_format}{/ref}`,
    trees_url: `${self}/git/trees{/sha}`,
    contents_url: `${self}/contents/{+path}`,
    git_url: `git://github.com/${spec.fullName}.git`,
    ssh_url: `git@github.com:${spec.fullName}.git`,
    clone_url: `${html}.git`,
    homepage: spec.homepage,
    size: Math.ceil([...repo.blobs.values()].reduce((total, blob) => total + blob.length, 0) / 1024),
    stargazers_count: spec.stars,
    watchers_count: spec.stars,
    language: spec.language,
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: spec.forks,
    archived: spec.archived,
    disabled: false,
    open_issues_count: spec.openIssues,
    license: licenseJson(api, spec.licenseSpdx),
    allow_forking: true,
    is_template: false,
    topics: spec.topics,
    visibility: 'public',
    forks: spec.forks,
    open_issues: spec.openIssues,
    watchers: spec.stars,
    default_branch: spec.defaultBranch,
    created_at: spec.createdAt,
    updated_at: spec.updatedAt,
    pushed_at: spec.pushedAt,
    network_count: spec.forks,
    subscribers_count: spec.subscribers,
  };
}

/** A file as the contents API returns it (readme, license, contents/{path}). */
export function contentJson(api: string, repo: GithubRepo, path: string, content: Buffer): Json {
  const sha = gitBlobOid(content);
  const self = `${repoApi(api, repo)}/contents/${path}?ref=${repo.spec.defaultBranch}`;
  const html = `https://github.com/${repo.spec.fullName}/blob/${repo.spec.defaultBranch}/${path}`;
  const git = `${repoApi(api, repo)}/git/blobs/${sha}`;
  return {
    name: path.split('/').pop() ?? path,
    path,
    sha,
    size: content.length,
    url: self,
    html_url: html,
    git_url: git,
    download_url: `https://raw.githubusercontent.com/${repo.spec.fullName}/${repo.spec.defaultBranch}/${path}`,
    type: 'file',
    content: githubBase64(content),
    encoding: 'base64',
    _links: { self, git, html },
  };
}

const personJson = (person: GithubPerson): Json => ({ name: person.name, email: person.email, date: person.date });

export function commitJson(api: string, repo: GithubRepo, commit: GithubCommit): Json {
  const self = `${repoApi(api, repo)}/commits/${commit.sha}`;
  return {
    sha: commit.sha,
    node_id: Buffer.from(`06:Commit${repo.id}:${commit.sha}`).toString('base64'),
    commit: {
      author: personJson(commit.author),
      committer: personJson(commit.committer),
      message: commit.message,
      tree: { sha: commit.tree, url: `${repoApi(api, repo)}/git/trees/${commit.tree}` },
      url: `${repoApi(api, repo)}/git/commits/${commit.sha}`,
      comment_count: 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    url: self,
    html_url: `https://github.com/${repo.spec.fullName}/commit/${commit.sha}`,
    comments_url: `${self}/comments`,
    author: commit.author.login ? userJson(api, commit.author.login) : null,
    committer: commit.committer.login ? userJson(api, commit.committer.login) : null,
    parents: commit.parents.map((sha) => ({ sha, url: `${repoApi(api, repo)}/commits/${sha}`, html_url: `https://github.com/${repo.spec.fullName}/commit/${sha}` })),
  };
}

/** `GET /repos/{o}/{r}/commits/{ref}`: the commit with its line stats and changed files (listings carry neither). */
export function commitDetailJson(api: string, repo: GithubRepo, commit: GithubCommit): Json {
  const additions = commit.files.reduce((sum, file) => sum + file.additions, 0);
  const deletions = commit.files.reduce((sum, file) => sum + file.deletions, 0);
  return {
    ...commitJson(api, repo, commit),
    stats: { total: additions + deletions, additions, deletions },
    files: commit.files.map((file) => {
      const blob = repo.blobs.get(file.filename);
      return {
        sha: blob ? gitBlobOid(blob) : commit.tree,
        filename: file.filename,
        status: 'modified',
        additions: file.additions,
        deletions: file.deletions,
        changes: file.additions + file.deletions,
        blob_url: `https://github.com/${repo.spec.fullName}/blob/${commit.sha}/${file.filename}`,
        raw_url: `https://github.com/${repo.spec.fullName}/raw/${commit.sha}/${file.filename}`,
        contents_url: `${repoApi(api, repo)}/contents/${file.filename}?ref=${commit.sha}`,
        patch: `@@ -1,${file.deletions + 1} +1,${file.additions + 1} @@\n${'-old\n'.repeat(file.deletions)}${'+new\n'.repeat(file.additions)} unchanged`,
      };
    }),
  };
}

export function pullJson(api: string, repo: GithubRepo, pull: GithubPull): Json {
  const self = `${repoApi(api, repo)}/pulls/${pull.number}`;
  const html = `https://github.com/${repo.spec.fullName}/pull/${pull.number}`;
  const miniRepo = { id: repo.id, name: repo.name, full_name: repo.spec.fullName, private: false, url: repoApi(api, repo), html_url: `https://github.com/${repo.spec.fullName}` };
  return {
    url: self,
    id: stableInt(`${repo.spec.fullName}:pull:${pull.number}`, 100_000_000, 2_000_000_000),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${repoApi(api, repo)}/issues/${pull.number}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: userJson(api, pull.user),
    body: `${pull.title}.`,
    created_at: pull.createdAt,
    updated_at: pull.closedAt ?? pull.createdAt,
    closed_at: pull.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    labels: [],
    draft: false,
    head: { label: `${pull.user}:patch-${pull.number}`, ref: `patch-${pull.number}`, sha: pull.headSha, user: userJson(api, pull.user), repo: miniRepo },
    base: { label: `${repo.owner}:${repo.spec.defaultBranch}`, ref: repo.spec.defaultBranch, sha: repo.commits[0]?.sha ?? '', user: userJson(api, repo.owner), repo: miniRepo },
    author_association: Object.keys(repo.spec.contributors).indexOf(pull.user) === 0 ? 'MEMBER' : 'CONTRIBUTOR',
    auto_merge: null,
    active_lock_reason: null,
  };
}

export function reviewJson(api: string, repo: GithubRepo, pull: GithubPull, review: GithubPull['reviews'][number]): Json {
  const html = `https://github.com/${repo.spec.fullName}/pull/${pull.number}#pullrequestreview-${review.id}`;
  return {
    id: review.id,
    node_id: Buffer.from(`017:PullRequestReview${review.id}`).toString('base64'),
    user: userJson(api, review.user),
    body: review.state === 'APPROVED' ? 'LGTM' : review.state === 'CHANGES_REQUESTED' ? 'Please add a test.' : 'A few questions inline.',
    state: review.state,
    html_url: html,
    pull_request_url: `${repoApi(api, repo)}/pulls/${pull.number}`,
    author_association: 'MEMBER',
    _links: { html: { href: html }, pull_request: { href: `${repoApi(api, repo)}/pulls/${pull.number}` } },
    submitted_at: review.submittedAt,
    commit_id: pull.headSha,
  };
}

export function pullFileJson(api: string, repo: GithubRepo, pull: GithubPull, file: GithubPull['files'][number]): Json {
  const blob = repo.blobs.get(file.filename);
  const sha = blob ? gitBlobOid(blob) : '';
  return {
    sha,
    filename: file.filename,
    status: 'modified',
    additions: file.additions,
    deletions: file.deletions,
    changes: file.additions + file.deletions,
    blob_url: `https://github.com/${repo.spec.fullName}/blob/${pull.headSha}/${file.filename}`,
    raw_url: `https://github.com/${repo.spec.fullName}/raw/${pull.headSha}/${file.filename}`,
    contents_url: `${repoApi(api, repo)}/contents/${file.filename}?ref=${pull.headSha}`,
    patch: `@@ -1,${file.deletions + 1} +1,${file.additions + 1} @@\n${'-old\n'.repeat(file.deletions)}${'+new\n'.repeat(file.additions)} unchanged`,
  };
}
