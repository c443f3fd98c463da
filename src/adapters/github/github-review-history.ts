import type { Octokit } from '@octokit/rest';
import type { graphql as GraphQl } from '@octokit/graphql';
import { DomainError, ErrorCode } from '../../domain/errors';
import { isReviewed, type CodeHistory, type CommitEvidence, type PullRequestEvidence } from '../../domain/rating';

/** Commits of the default branch a review history covers (walked along the first-parent line). */
export const REVIEW_WINDOW = 100;
/**
 * Requests the token-less REST path may spend on one model's review history: the commit list, the
 * merged pull requests' listing, two per pull request (reviews, files) and one per direct commit
 * (its stats). GitHub allows 60 requests an hour without a token; over budget, a sample is measured.
 */
export const REST_REVIEW_BUDGET = 30;
const GRAPHQL_PAGE = 50;

type ReviewHistory = Required<Pick<CodeHistory, 'commits' | 'pullRequests' | 'window'>>;

interface Change {
  readonly sha: string;
  readonly date: string;
  readonly parents: readonly string[];
}

/**
 * The first-parent line from the branch head through the listed commits: what was pushed or merged
 * onto the branch itself. Commits that only exist on a merged branch are left to their pull request,
 * so no line is counted twice.
 */
export function firstParentLine<T extends Change>(commits: readonly T[]): T[] {
  const bySha = new Map(commits.map((commit) => [commit.sha, commit]));
  const line: T[] = [];
  for (let current = commits[0]; current !== undefined && line.length < commits.length; current = bySha.get(current.parents[0] ?? '')) line.push(current);
  return line;
}

function windowOf(line: readonly Change[], truncated: boolean, basis: string, pullRequestCount: number, method: string): ReviewHistory['window'] {
  const dates = line.map((commit) => commit.date).filter((date) => date !== '').sort();
  return {
    ...(dates[0] === undefined ? {} : { since: dates[0] }),
    ...(dates[dates.length - 1] === undefined ? {} : { until: dates[dates.length - 1] }),
    truncated, basis, pullRequestCount, method,
  };
}

const QUERY = `query ReviewHistory($owner: String!, $name: String!, $branch: String!, $first: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    ref(qualifiedName: $branch) {
      target {
        ... on Commit {
          history(first: $first, after: $after) {
            pageInfo { hasNextPage endCursor }
            nodes {
              oid
              committedDate
              additions
              author { name user { login } }
              parents(first: 2) { nodes { oid } }
              associatedPullRequests(first: 5) {
                nodes {
                  number
                  merged
                  mergedAt
                  baseRefName
                  author { login }
                  mergeCommit { oid }
                  additions
                  deletions
                  reviews(first: 50) { nodes { state author { login } } }
                  files(first: 100) { totalCount nodes { path additions } }
                }
              }
            }
          }
        }
      }
    }
  }
}`;

interface GqlPull {
  number: number;
  merged: boolean;
  mergedAt: string | null;
  baseRefName: string;
  author: { login: string } | null;
  mergeCommit: { oid: string } | null;
  additions: number;
  deletions: number;
  reviews: { nodes: { state: string; author: { login: string } | null }[] };
  files: { totalCount: number; nodes: { path: string; additions: number }[] };
}

interface GqlCommit {
  oid: string;
  committedDate: string;
  additions: number;
  author: { name: string | null; user: { login: string } | null } | null;
  parents: { nodes: { oid: string }[] };
  associatedPullRequests: { nodes: GqlPull[] };
}

interface GqlHistory {
  repository: { ref: { target: { history?: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: GqlCommit[] } } | null } | null } | null;
}

function pullEvidence(pull: GqlPull): PullRequestEvidence {
  const author = pull.author?.login;
  const reviews = pull.reviews.nodes.map((review) => ({ user: review.author?.login ?? null, state: review.state }));
  const complete = pull.files.totalCount <= pull.files.nodes.length;
  return {
    number: pull.number,
    ...(author === undefined ? {} : { author }),
    mergedAt: pull.mergedAt,
    reviewed: isReviewed(author, reviews),
    reviewers: [...new Set(reviews.map((review) => review.user).filter((login): login is string => login !== null && login !== author))],
    additions: pull.additions,
    deletions: pull.deletions,
    // A pull request with more files than one page lists is counted by its total additions.
    ...(complete ? { files: pull.files.nodes.map((file) => ({ path: file.path, additions: file.additions })) } : {}),
  };
}

/** With a token: the branch's history with additions, associated pull requests and their reviews, 50 commits a request. */
export async function graphqlReviewHistory(graphql: typeof GraphQl, owner: string, name: string, branch: string): Promise<ReviewHistory> {
  const nodes: GqlCommit[] = [];
  let after: string | null = null;
  let more = true;
  let requests = 0;
  while (more && nodes.length < REVIEW_WINDOW) {
    const page: GqlHistory = await graphql<GqlHistory>(QUERY, { owner, name, branch, first: GRAPHQL_PAGE, after }).catch(graphqlFailure);
    requests += 1;
    const history = page.repository?.ref?.target?.history;
    if (page.repository === null || history === undefined) throw new DomainError(ErrorCode.SourceNotFound, `${owner}/${name} has no branch ${branch}`);
    nodes.push(...history.nodes);
    more = history.pageInfo.hasNextPage;
    after = history.pageInfo.endCursor;
  }
  const changes = nodes.slice(0, REVIEW_WINDOW).map((node) => ({ ...node, sha: node.oid, date: node.committedDate, parents: node.parents.nodes.map((parent) => parent.oid) }));
  const line = firstParentLine(changes);
  const pulls = new Map<number, PullRequestEvidence>();
  const commits: CommitEvidence[] = line.map((commit) => {
    const candidates = commit.associatedPullRequests.nodes.filter((pull) => pull.merged && pull.baseRefName === branch);
    const pull = candidates.find((candidate) => candidate.mergeCommit?.oid === commit.oid) ?? candidates[0];
    if (pull !== undefined && !pulls.has(pull.number)) pulls.set(pull.number, pullEvidence(pull));
    const author = commit.author?.user?.login ?? (commit.author?.name ? `anon:${commit.author.name}` : undefined);
    return { sha: commit.oid, ...(author === undefined ? {} : { author }), date: commit.committedDate, ...(pull === undefined ? { additions: commit.additions } : { viaPullRequest: pull.number }) };
  });
  const basis = `last ${line.length} commits on the first-parent line of ${branch}`;
  return { commits, pullRequests: [...pulls.values()], window: windowOf(line, more || nodes.length > REVIEW_WINDOW, basis, pulls.size, `GitHub GraphQL (${requests} request${requests === 1 ? '' : 's'})`) };
}

/** GraphQL answers 200 with `errors`; the ones that matter become the errors every adapter speaks. */
function graphqlFailure(error: unknown): never {
  // The library is loaded lazily (github-code-host.ts); a GraphQL error means it already is.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { GraphqlResponseError } = require('@octokit/graphql') as typeof import('@octokit/graphql');
  if (!(error instanceof GraphqlResponseError)) throw error;
  const errors = (error.errors ?? []) as { type?: string; message: string }[];
  const message = errors.map((item) => item.message).join('; ');
  if (errors.some((item) => item.type === 'NOT_FOUND')) throw new DomainError(ErrorCode.SourceNotFound, message);
  if (errors.some((item) => item.type === 'RATE_LIMITED')) throw new DomainError(ErrorCode.UpstreamRateLimited, `GitHub's GraphQL rate limit is exhausted: ${message}`);
  throw new DomainError(ErrorCode.UpstreamUnavailable, `GitHub's GraphQL API refused the review-history query: ${message}`);
}

// GitHub's merge commits say "Merge pull request #12 …"; squash merges end with "(#12)".
export function viaPullRequest(message: string): number | undefined {
  const match = /\(#(\d+)\)\s*$/m.exec(message.split('\n')[0] ?? '') ?? /^Merge pull request #(\d+)/.exec(message);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** `count` items spread evenly over `items`, deterministically (the same history gives the same sample). */
export function spread<T>(items: readonly T[], count: number): T[] {
  if (count >= items.length) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor(((i + 0.5) * items.length) / count)] as T);
}

/**
 * How many pull requests (each costing `pullCost` requests) and direct commits (one each) fit the
 * budget, both groups cut in the same proportion.
 */
export function sampleSizes(pulls: number, direct: number, budget: number, pullCost = 2): { pulls: number; direct: number } {
  if (pullCost * pulls + direct <= budget) return { pulls, direct };
  const share = budget / (pullCost * pulls + direct);
  const measuredPulls = Math.min(pulls, Math.floor(budget / pullCost), Math.max(pulls > 0 ? 1 : 0, Math.floor(share * pulls)));
  return { pulls: measuredPulls, direct: Math.min(direct, Math.max(0, budget - pullCost * measuredPulls)) };
}

/**
 * Without a token: the last 100 commits, the pull requests their messages name (reviews and files
 * each), and each direct commit's stats, within REST_REVIEW_BUDGET requests; over budget, an even
 * sample of both groups is measured and the window says how.
 */
export async function restReviewHistory(octokit: Octokit, owner: string, repo: string, branch: string, budget = REST_REVIEW_BUDGET): Promise<ReviewHistory> {
  const [listed, closed] = await Promise.all([
    octokit.repos.listCommits({ owner, repo, sha: branch, per_page: REVIEW_WINDOW }),
    octokit.pulls.list({ owner, repo, state: 'closed', sort: 'updated', direction: 'desc', per_page: 100 }),
  ]);
  const changes = listed.data.map((commit) => ({
    sha: commit.sha,
    ...(commit.author?.login === undefined && commit.commit.author?.name === undefined ? {} : { author: commit.author?.login ?? `anon:${commit.commit.author?.name}` }),
    date: commit.commit.committer?.date ?? commit.commit.author?.date ?? '',
    parents: commit.parents.map((parent) => parent.sha),
    pull: viaPullRequest(commit.commit.message),
  }));
  const line = firstParentLine(changes);
  const numbers = [...new Set(line.map((commit) => commit.pull).filter((number): number is number => number !== undefined))];
  const direct = line.filter((commit) => commit.pull === undefined);
  const listedPulls = new Map(closed.data.map((pull) => [pull.number, pull]));
  const sizes = sampleSizes(numbers.length, direct.length, budget - 2, numbers.every((number) => listedPulls.has(number)) ? 2 : 3);
  const measured = new Set(spread(direct, sizes.direct).map((commit) => commit.sha));
  const [fetched, stats] = await Promise.all([
    inBatches(spread(numbers, sizes.pulls), async (number) => restPull(octokit, owner, repo, number, listedPulls.get(number))),
    inBatches([...measured], async (sha) => [sha, (await octokit.repos.getCommit({ owner, repo, ref: sha })).data] as const),
  ]);
  // "(#12)" may name an issue rather than a pull request; such a commit is a direct push, not measured.
  const notPulls = new Set(fetched.filter((item): item is { missing: number } => 'missing' in item).map((item) => item.missing));
  const pullRequests = fetched.filter((item): item is PullRequestEvidence => !('missing' in item));
  const statsBySha = new Map(stats);
  const commits: CommitEvidence[] = line.map(({ pull, parents: _parents, ...commit }) => {
    if (pull !== undefined && !notPulls.has(pull)) return { ...commit, viaPullRequest: pull };
    const detail = statsBySha.get(commit.sha);
    if (detail === undefined) return commit;
    return { ...commit, additions: detail.stats?.additions ?? 0, ...(detail.files === undefined ? {} : { files: detail.files.map((file) => ({ path: file.filename, additions: file.additions })) }) };
  });
  const basis = `last ${line.length} commits on the first-parent line of ${branch}`;
  const method = `GitHub REST's ${budget}-request budget per model (no GITHUB_TOKEN)`;
  return { commits, pullRequests, window: windowOf(line, listed.data.length === REVIEW_WINDOW, basis, numbers.length - notPulls.size, method) };
}

type ListedPull = Awaited<ReturnType<Octokit['pulls']['list']>>['data'][number];

const missingOn404 = (number: number) => (error: unknown): { missing: number } => {
  if (typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 404) return { missing: number };
  throw error;
};

async function restPull(octokit: Octokit, owner: string, repo: string, number: number, listed: ListedPull | undefined): Promise<PullRequestEvidence | { missing: number }> {
  // Older pull requests are not in the listing of recent ones: ask for them by number.
  const pull = listed ?? await octokit.pulls.get({ owner, repo, pull_number: number }).then((response) => response.data).catch(missingOn404(number));
  if ('missing' in pull) return pull;
  const [reviews, files] = await Promise.all([
    octokit.pulls.listReviews({ owner, repo, pull_number: number, per_page: 100 }),
    octokit.pulls.listFiles({ owner, repo, pull_number: number, per_page: 100 }),
  ]);
  const author = pull.user?.login;
  const reviewers = [...new Set(reviews.data.map((review) => review.user?.login).filter((login): login is string => login !== undefined && login !== author))];
  return {
    number,
    ...(author === undefined ? {} : { author }),
    mergedAt: pull.merged_at ?? null,
    reviewed: isReviewed(author, reviews.data.map((review) => ({ user: review.user?.login ?? null, state: review.state }))),
    reviewers,
    additions: files.data.reduce((sum, file) => sum + file.additions, 0),
    deletions: files.data.reduce((sum, file) => sum + file.deletions, 0),
    files: files.data.map((file) => ({ path: file.filename, additions: file.additions })),
  };
}

const CONCURRENCY = 4;

async function inBatches<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += CONCURRENCY) results.push(...(await Promise.all(items.slice(start, start + CONCURRENCY).map(work))));
  return results;
}
