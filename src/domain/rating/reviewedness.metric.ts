import { classifyPackageFile } from './domain-imports';
import type { CommitEvidence, Evidence, LineAdditions, PullRequestEvidence } from './evidence';
import { fmt, plural, thousands, type MetricResult } from './metric';

// Notebooks count their JSON and embedded outputs as lines, and lock files are generated: neither is
// code a reviewer reads line by line.
const NOT_REVIEWABLE = /\.ipynb$|(^|\/)(package-lock\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|Pipfile\.lock|Cargo\.lock|uv\.lock)$/i;

/** Lines of code and prose (not weights, data, notebooks or lock files) a change added. */
export const isReviewablePath = (path: string): boolean => !NOT_REVIEWABLE.test(path) && ['code', 'docs'].includes(classifyPackageFile(path));

const reviewableLines = (files: readonly LineAdditions[] | undefined, fallback: number): number =>
  files === undefined ? Math.max(0, fallback) : files.filter((file) => isReviewablePath(file.path)).reduce((sum, file) => sum + Math.max(0, file.additions), 0);

const prLines = (pull: PullRequestEvidence): number => reviewableLines(pull.files, pull.additions);
const commitLines = (commit: CommitEvidence): number => reviewableLines(commit.files, commit.additions ?? 0);

/**
 * The share of the linked repository's recent code lines that entered through a merged pull request
 * with at least one review by someone other than its author. Lines = additions in code and prose
 * files; weights, data, notebooks and lock files are excluded. Direct pushes (commits that came through
 * no pull request) count as unreviewed. -1 when no repository is linked.
 */
export function reviewedness(evidence: Evidence): MetricResult {
  const code = evidence.code;
  if (!code) {
    return { value: -1, applicable: false, inputs: { repo: null }, explanation: ['no code repository is linked, so there is no review history to measure (-1)'] };
  }
  if (code.pullRequests === undefined) {
    return { value: 0, applicable: true, inputs: { repo: code.repo, pullRequests: null }, explanation: [`no pull-request history was collected for ${code.repo}, so no line can be shown to be reviewed (0)`] };
  }
  const merged = code.pullRequests.filter((pull) => pull.mergedAt !== null);
  const reviewedPulls = merged.filter((pull) => pull.reviewed);
  const reviewed = reviewedPulls.reduce((sum, pull) => sum + prLines(pull), 0);
  const viaPulls = merged.reduce((sum, pull) => sum + prLines(pull), 0);
  const direct = (code.commits ?? []).filter((commit) => commit.viaPullRequest === undefined);
  const pushed = direct.reduce((sum, commit) => sum + commitLines(commit), 0);
  const total = viaPulls + pushed;
  const value = total === 0 ? 0 : reviewed / total;
  const window = code.window;
  const span = window ? `${window.basis ?? `${window.since ?? '…'} to ${window.until ?? '…'}`}${window.truncated ? ', truncated' : ''}` : 'collected history';
  return {
    value,
    applicable: true,
    inputs: { repo: code.repo, mergedPulls: merged.length, reviewedPulls: reviewedPulls.length, reviewedLines: reviewed, pullRequestLines: viaPulls, directCommits: direct.length, directLines: pushed, totalLines: total, window: window ?? null, commitsCollected: code.commits !== undefined },
    explanation: [
      total === 0
        ? `no code lines were added in the window (${span}), so none can be shown to be reviewed (0)`
        : `${thousands(reviewed)} of ${thousands(total)} code lines added in ${code.repo} (${span}) came through reviewed pull requests: ${fmt(value)}`,
      `${plural(reviewedPulls.length, 'reviewed merged pull request')} of ${merged.length}; ${plural(direct.length, 'direct commit')} adding ${thousands(pushed)} lines${code.commits === undefined ? ' (commit history not collected: direct pushes unknown)' : ''}`,
    ],
  };
}
