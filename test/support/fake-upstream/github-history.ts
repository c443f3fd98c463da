import { fakeSha, stableInt } from './bytes';
import type { GithubRepoSpec } from './github-repo';

export interface GithubPerson {
  /** GitHub account, absent for commits whose e-mail is linked to no account. */
  readonly login?: string;
  readonly name: string;
  readonly email: string;
  readonly date: string;
}

export interface ChangedFile {
  readonly filename: string;
  readonly additions: number;
  readonly deletions: number;
}

export interface GithubCommit {
  readonly sha: string;
  readonly message: string;
  readonly author: GithubPerson;
  readonly committer: GithubPerson;
  /** First parent first; a merge commit's second parent is the head of the merged branch. */
  readonly parents: readonly string[];
  readonly tree: string;
  /** What the commit changed against its first parent (a merge commit: everything the branch brought). */
  readonly files: readonly ChangedFile[];
}

/**
 * One change on the default branch, newest first, for a history a test spells out line by line:
 * a direct push, or a pull request merged by squash (one commit) or by a merge commit (the branch's
 * own commits, off the first-parent line, plus the merge commit).
 */
export type ChangeSpec =
  | { readonly kind: 'direct'; readonly author: string; readonly files: readonly { readonly path: string; readonly additions: number }[] }
  | {
    readonly kind: 'pull';
    readonly author: string;
    /** Reviewers other than the author; an empty list is an unreviewed pull request. */
    readonly reviewers: readonly string[];
    readonly merge: 'squash' | 'merge';
    readonly files: readonly { readonly path: string; readonly additions: number }[];
  };

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
  readonly files: readonly ChangedFile[];
  /** Commits of the pull request's branch (the squash commit itself for squash merges). */
  readonly commits: readonly string[];
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

/** One or two files a generated commit touched, with stable line counts. */
function commitFiles(spec: GithubRepoSpec, paths: readonly string[], index: number): ChangedFile[] {
  const count = Math.min(stableInt(`${spec.fullName}:commit-files:${index}`, 1, 2), paths.length);
  return Array.from({ length: count }, (_, i) => ({
    filename: paths[stableInt(`${spec.fullName}:commit-file:${index}:${i}`, 0, paths.length - 1)] ?? 'README.md',
    additions: stableInt(`${spec.fullName}:commit-add:${index}:${i}`, 1, 60),
    deletions: stableInt(`${spec.fullName}:commit-del:${index}:${i}`, 0, 20),
  })).filter((file, i, all) => all.findIndex((other) => other.filename === file.filename) === i);
}

function buildCommits(spec: GithubRepoSpec, rootTree: string, paths: readonly string[]): GithubCommit[] {
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
      files: commitFiles(spec, paths, index),
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
    const files = pullFiles(spec, paths, i);
    if (state === 'merged') {
      const message = `${title} (#${number})`;
      const committer = { name: 'GitHub', email: 'noreply@github.com', login: 'web-flow', date: slot.commit.author.date };
      commits[slot.index] = { ...slot.commit, message, committer, files };
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
      files,
      commits: state === 'merged' ? [slot.commit.sha] : [fakeSha('github', spec.fullName, 'pull-head', number)],
    };
  });
}

export interface GithubHistory {
  readonly commits: readonly GithubCommit[];
  readonly pulls: readonly GithubPull[];
  readonly tags: readonly { readonly name: string; readonly sha: string }[];
}

const WEB_FLOW = (date: string): GithubPerson => ({ name: 'GitHub', email: 'noreply@github.com', login: 'web-flow', date });
const changed = (files: readonly { readonly path: string; readonly additions: number }[]): ChangedFile[] =>
  files.map((file) => ({ filename: file.path, additions: file.additions, deletions: 0 }));

/** The history a test spelled out in `spec.changes` (newest first), one change a day back from the last push. */
function historyFromChanges(spec: GithubRepoSpec, rootTree: string, changes: readonly ChangeSpec[]): { commits: GithubCommit[]; pulls: GithubPull[] } {
  const newest = Date.parse(spec.pushedAt);
  const line = changes.map((_, index) => fakeSha('github', spec.fullName, 'line', index));
  const commits: GithubCommit[] = [];
  const pulls: GithubPull[] = [];
  changes.forEach((change, index) => {
    const date = iso(newest - index * DAY);
    const parent = line[index + 1];
    const base = { sha: line[index] ?? '', tree: index === 0 ? rootTree : fakeSha('github', spec.fullName, 'tree', index), files: changed(change.files) };
    if (change.kind === 'direct') {
      commits.push({ ...base, message: MESSAGES[index % MESSAGES.length] ?? 'Update', author: person(change.author, date), committer: person(change.author, date), parents: parent ? [parent] : [] });
      return;
    }
    const number = changes.length - index;
    const title = MESSAGES[(index + 3) % MESSAGES.length] ?? 'Update';
    const branch = change.merge === 'merge' ? [fakeSha('github', spec.fullName, 'branch', number, 1), fakeSha('github', spec.fullName, 'branch', number, 0)] : [];
    if (change.merge === 'merge') {
      // The branch's own commits, each adding half of the change, hang off the merge commit's second parent.
      const halves = [change.files.map((file) => ({ ...file, additions: Math.ceil(file.additions / 2) })), change.files.map((file) => ({ ...file, additions: Math.floor(file.additions / 2) }))];
      branch.forEach((sha, at) => commits.push({
        sha, tree: fakeSha('github', spec.fullName, 'branch-tree', number, at), files: changed(halves[at] ?? []), message: title,
        author: person(change.author, iso(newest - index * DAY - (at + 1) * 3_600_000)), committer: person(change.author, iso(newest - index * DAY - (at + 1) * 3_600_000)),
        parents: at === 0 ? [branch[1] ?? ''] : parent ? [parent] : [],
      }));
    }
    const message = change.merge === 'squash' ? `${title} (#${number})` : `Merge pull request #${number} from ${change.author}/patch-${number}\n\n${title}`;
    commits.push({ ...base, message, author: change.merge === 'squash' ? person(change.author, date) : WEB_FLOW(date), committer: WEB_FLOW(date), parents: [...(parent ? [parent] : []), ...branch.slice(0, 1)] });
    const opened = Date.parse(date) - DAY / 2;
    pulls.push({
      number, title, user: change.author, state: 'closed', createdAt: iso(opened), closedAt: date, mergedAt: date, mergeCommitSha: base.sha,
      headSha: branch[0] ?? fakeSha('github', spec.fullName, 'pull-head', number),
      reviews: change.reviewers.map((user, at) => ({ id: stableInt(`${spec.fullName}:review:${number}:${at}`, 100_000_000, 2_000_000_000), user, state: 'APPROVED' as const, submittedAt: iso(opened + 3_600_000 * (at + 1)) })),
      files: changed(change.files),
      commits: branch.length > 0 ? branch : [base.sha],
    });
  });
  // git log order: newest first by date, the way the REST and GraphQL listings walk it.
  commits.sort((a, b) => Date.parse(b.committer.date) - Date.parse(a.committer.date));
  return { commits, pulls };
}

export function buildHistory(spec: GithubRepoSpec, rootTree: string, paths: readonly string[]): GithubHistory {
  if (spec.changes !== undefined) {
    const { commits, pulls } = historyFromChanges(spec, rootTree, spec.changes);
    return { commits, pulls, tags: spec.gitTags.map((name, index) => ({ name, sha: commits[Math.min(commits.length - 1, index)]?.sha ?? '' })) };
  }
  const commits = buildCommits(spec, rootTree, paths);
  const pulls = buildPulls(spec, commits, paths).reverse();
  const tags = spec.gitTags.map((name, index) => ({ name, sha: commits[Math.min(commits.length - 1, index * 3)]?.sha ?? '' }));
  return { commits, pulls, tags };
}
