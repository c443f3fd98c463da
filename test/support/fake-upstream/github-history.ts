import { fakeSha, stableInt } from './bytes';
import type { GithubRepoSpec } from './github-repo';

export interface GithubPerson {
  /** GitHub account, absent for commits whose e-mail is linked to no account. */
  readonly login?: string;
  readonly name: string;
  readonly email: string;
  readonly date: string;
}

export interface GithubCommit {
  readonly sha: string;
  readonly message: string;
  readonly author: GithubPerson;
  readonly committer: GithubPerson;
  readonly parents: readonly string[];
  readonly tree: string;
}

export type ReviewState = 'APPROVED' | 'COMMENTED' | 'CHANGES_REQUESTED';

export interface GithubPull {
  readonly number: number;
  readonly title: string;
  readonly user: string;
  readonly state: 'open' | 'closed';
  readonly createdAt: string;
  readonly closedAt: string | null;
  readonly mergedAt: string | null;
  readonly mergeCommitSha: string | null;
  readonly headSha: string;
  readonly reviews: readonly { readonly id: number; readonly user: string; readonly state: ReviewState; readonly submittedAt: string }[];
  readonly files: readonly { readonly filename: string; readonly additions: number; readonly deletions: number }[];
}

const MESSAGES = ['Fix typo in README', 'Update requirements.txt', 'Add type hints to the data pipeline', 'Fix tokenizer edge case with empty input', 'Improve error message when a checkpoint is missing', 'Refactor evaluation loop', 'Document configuration options', 'Bump version', 'Fix CI on Python 3.11', 'Add unit tests for the model config'];
const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function person(login: string, date: string): GithubPerson {
  if (login.startsWith('anon:')) {
    const name = login.slice('anon:'.length);
    return { name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`, date };
  }
  return { login, name: login, email: `${stableInt(login, 1000, 9_999_999)}+${login}@users.noreply.github.com`, date };
}

/** Commit authors in a stable shuffled order so each contributor has exactly their contribution count. */
function authorSlots(spec: GithubRepoSpec): string[] {
  const slots = Object.entries(spec.contributors).flatMap(([login, count]) => Array.from({ length: count }, (_, i) => `${login}\u0000${i}`));
  return slots.sort((a, b) => stableInt(`${spec.fullName}:${a}`, 0, 1e9) - stableInt(`${spec.fullName}:${b}`, 0, 1e9)).map((slot) => slot.split('\u0000')[0] ?? '');
}

function buildCommits(spec: GithubRepoSpec, rootTree: string): GithubCommit[] {
  const slots = authorSlots(spec);
  const newest = Date.parse(spec.pushedAt);
  const step = Math.max(1, (newest - Date.parse(spec.createdAt)) / Math.max(1, slots.length));
  return slots.map((login, index) => {
    const date = iso(newest - index * step);
    const author = person(login, date);
    return {
      sha: fakeSha('github', spec.fullName, 'commit', index),
      message: MESSAGES[index % MESSAGES.length] ?? 'Update',
      author,
      committer: author,
      parents: index + 1 < slots.length ? [fakeSha('github', spec.fullName, 'commit', index + 1)] : [],
      tree: index === 0 ? rootTree : fakeSha('github', spec.fullName, 'tree', index),
    };
  });
}

const REVIEW_PATTERNS: readonly (readonly ReviewState[])[] = [[], ['APPROVED'], ['COMMENTED', 'APPROVED'], ['CHANGES_REQUESTED', 'APPROVED']];

function reviewsFor(spec: GithubRepoSpec, index: number, author: string, opened: number, closed: number): GithubPull['reviews'] {
  if (!spec.reviewed) return [];
  const logins = Object.keys(spec.contributors).filter((login) => !login.startsWith('anon:'));
  const reviewer = logins.find((login) => login !== author) ?? author;
  const pattern = REVIEW_PATTERNS[index % REVIEW_PATTERNS.length] ?? [];
  return pattern.map((state, step) => ({
    id: stableInt(`${spec.fullName}:review:${index}:${step}`, 100_000_000, 2_000_000_000),
    user: reviewer,
    state,
    submittedAt: iso(opened + ((closed - opened) * (step + 1)) / (pattern.length + 1)),
  }));
}

function pullFiles(spec: GithubRepoSpec, paths: readonly string[], index: number): GithubPull['files'] {
  const count = stableInt(`${spec.fullName}:files:${index}`, 1, 3);
  return Array.from({ length: Math.min(count, paths.length) }, (_, i) => ({
    filename: paths[stableInt(`${spec.fullName}:file:${index}:${i}`, 0, paths.length - 1)] ?? 'README.md',
    additions: stableInt(`${spec.fullName}:add:${index}:${i}`, 1, 120),
    deletions: stableInt(`${spec.fullName}:del:${index}:${i}`, 0, 40),
  })).filter((file, i, all) => all.findIndex((other) => other.filename === file.filename) === i);
}

/**
 * Pull requests in creation order: the two newest stay open, every fifth is closed unmerged, the rest were
 * merged as a squash commit of the history (whose message then ends with "(#n)").
 */
function buildPulls(spec: GithubRepoSpec, commits: GithubCommit[], paths: readonly string[]): GithubPull[] {
  const linked = commits.map((commit, index) => ({ commit, index })).filter(({ commit }) => commit.author.login).reverse();
  const count = Math.min(spec.pullRequests, linked.length);
  return Array.from({ length: count }, (_, i) => {
    const slot = linked[Math.floor(((i + 0.5) * linked.length) / count)] ?? linked[0];
    if (!slot) throw new Error(`no commit for pull request ${i} of ${spec.fullName}`);
    const user = slot.commit.author.login ?? '';
    const closed = Date.parse(slot.commit.author.date);
    const opened = closed - (1 + (i % 3)) * DAY;
    const state = i >= count - 2 ? 'open' : i % 5 === 3 ? 'closed' : 'merged';
    const number = 2 * i + 1;
    const title = MESSAGES[stableInt(`${spec.fullName}:title:${i}`, 0, MESSAGES.length - 1)] ?? 'Update';
    if (state === 'merged') {
      const message = `${title} (#${number})`;
      const committer = { name: 'GitHub', email: 'noreply@github.com', login: 'web-flow', date: slot.commit.author.date };
      commits[slot.index] = { ...slot.commit, message, committer };
    }
    return {
      number,
      title,
      user,
      state: state === 'open' ? 'open' : 'closed',
      createdAt: iso(opened),
      closedAt: state === 'open' ? null : iso(closed),
      mergedAt: state === 'merged' ? iso(closed) : null,
      mergeCommitSha: state === 'merged' ? slot.commit.sha : null,
      headSha: fakeSha('github', spec.fullName, 'pull-head', number),
      reviews: reviewsFor(spec, i, user, opened, closed),
      files: pullFiles(spec, paths, i),
    };
  });
}

export interface GithubHistory {
  readonly commits: readonly GithubCommit[];
  readonly pulls: readonly GithubPull[];
  readonly tags: readonly { readonly name: string; readonly sha: string }[];
}

export function buildHistory(spec: GithubRepoSpec, rootTree: string, paths: readonly string[]): GithubHistory {
  const commits = buildCommits(spec, rootTree);
  const pulls = buildPulls(spec, commits, paths).reverse();
  const tags = spec.gitTags.map((name, index) => ({ name, sha: commits[Math.min(commits.length - 1, index * 3)]?.sha ?? '' }));
  return { commits, pulls, tags };
}
