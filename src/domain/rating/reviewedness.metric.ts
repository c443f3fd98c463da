import { classifyPackageFile } from './domain-imports';
import type { CodeEvidence, CommitEvidence, Evidence, LineAdditions, PullRequestEvidence } from './evidence';
import { fmt, plural, thousands, unavailableResult, type MetricResult } from './metric';

// Notebooks count their JSON and embedded outputs as lines, and lock files are generated: neither is
// code a reviewer reads line by line.
const NOT_REVIEWABLE = /\.ipynb$|(^|\/)(package-lock\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|Pipfile\.lock|Cargo\.lock|uv\.lock)$/i;

/** Lines of code and prose (not weights, data, notebooks or lock files) a change added. */
export const isReviewablePath = (path: string): boolean => !NOT_REVIEWABLE.test(path) && ['code', 'docs'].includes(classifyPackageFile(path));

const reviewableLines = (files: readonly LineAdditions[] | undefined, fallback: number): number =>
  files === undefined ? Math.max(0, fallback) : files.filter((file) => isReviewablePath(file.path)).reduce((sum, file) => sum + Math.max(0, file.additions), 0);

const prLines = (pull: PullRequestEvidence): number => reviewableLines(pull.files, pull.additions);
const commitLines = (commit: CommitEvidence): number => reviewableLines(commit.files, commit.additions ?? 0);
const measured = (commit: CommitEvidence): boolean => commit.additions !== undefined || commit.files !== undefined;
const sum = <T>(items: readonly T[], of: (item: T) => number): number => items.reduce((total, item) => total + of(item), 0);

interface Tally {
  readonly merged: readonly PullRequestEvidence[];
  readonly reviewedPulls: number;
  /** Merged pull requests the window's commits came through (≥ merged.length when sampled). */
  readonly pullCount: number;
  readonly direct: number;
  readonly directMeasured: number;
  readonly reviewed: number;
  readonly viaPulls: number;
  readonly pushed: number;
}

/** Lines of the window, with sampled groups scaled up to their full size (each group by its own mean). */
function tally(code: CodeEvidence & { readonly pullRequests: readonly PullRequestEvidence[]; readonly commits: readonly CommitEvidence[] }): Tally {
  const merged = code.pullRequests.filter((pull) => pull.mergedAt !== null);
  const pullCount = Math.max(merged.length, code.window?.pullRequestCount ?? merged.length);
  const pullScale = merged.length === 0 ? 1 : pullCount / merged.length;
  const direct = code.commits.filter((commit) => commit.viaPullRequest === undefined);
  const directMeasured = direct.filter(measured);
  const directScale = directMeasured.length === 0 ? 1 : direct.length / directMeasured.length;
  return {
    merged,
    reviewedPulls: merged.filter((pull) => pull.reviewed).length,
    pullCount,
    direct: direct.length,
    directMeasured: directMeasured.length,
    reviewed: sum(merged.filter((pull) => pull.reviewed), prLines) * pullScale,
    viaPulls: sum(merged, prLines) * pullScale,
    pushed: sum(directMeasured, commitLines) * directScale,
  };
}

function windowText(code: CodeEvidence): string {
  const window = code.window;
  return window ? `${window.basis ?? `${window.since ?? '…'} to ${window.until ?? '…'}`}${window.truncated ? ', truncated' : ''}` : 'collected history';
}

function sampleNote(code: CodeEvidence, counts: Tally): string[] {
  const parts = [
    ...(counts.directMeasured < counts.direct ? [`${counts.directMeasured} of ${counts.direct} direct commits`] : []),
    ...(counts.merged.length < counts.pullCount ? [`${counts.merged.length} of ${counts.pullCount} merged pull requests`] : []),
  ];
  if (parts.length === 0) return [];
  const how = code.window?.method ?? 'the request budget';
  return [`estimated from a sample: line counts of ${parts.join(' and ')} were fetched within ${how}; each group's lines were scaled up by its measured mean`];
}

/**
 * The share of the linked repository's recent code lines that entered through a merged pull request
 * with at least one review by someone other than its author. Lines = additions in code and prose
 * files; weights, data, notebooks and lock files are excluded. Direct pushes (commits on the default
 * branch that came through no pull request) count as unreviewed, with their real line counts. When
 * the host's request budget allowed only a sample, each group is scaled up by its measured mean and
 * the explanation says so. -1 (not applicable) when no repository is linked, and -1 with the reason
 * when the history could not be collected.
 */
export function reviewedness(evidence: Evidence): MetricResult {
  const code = evidence.code;
  if (!code) {
    return { value: -1, applicable: false, inputs: { repo: null }, explanation: ['no code repository is linked, so there is no review history to measure (-1)'] };
  }
  if (code.unavailable !== undefined) return unavailableResult(`the linked repository ${code.repo} could not be read (${code.unavailable})`, { repo: code.repo });
  const { pullRequests, commits } = code;
  if (pullRequests === undefined || commits === undefined) return unavailableResult(`no review history was collected for ${code.repo}`, { repo: code.repo });
  const counts = tally({ ...code, pullRequests, commits });
  if (counts.direct > 0 && counts.directMeasured === 0) {
    return unavailableResult(`the line counts of ${plural(counts.direct, 'direct commit')} to ${code.repo} were not collected`, { repo: code.repo, directCommits: counts.direct });
  }
  const total = counts.viaPulls + counts.pushed;
  const value = total === 0 ? 0 : counts.reviewed / total;
  const span = windowText(code);
  return {
    value,
    applicable: true,
    inputs: {
      repo: code.repo, mergedPulls: counts.pullCount, measuredPulls: counts.merged.length, reviewedPulls: counts.reviewedPulls,
      reviewedLines: Math.round(counts.reviewed), pullRequestLines: Math.round(counts.viaPulls), directCommits: counts.direct,
      measuredDirectCommits: counts.directMeasured, directLines: Math.round(counts.pushed), totalLines: Math.round(total), window: code.window ?? null,
    },
    explanation: [
      total === 0
        ? `no code lines were added in the window (${span}), so none can be shown to be reviewed (0)`
        : `${thousands(counts.reviewed)} of ${thousands(total)} code lines added in ${code.repo} (${span}) came through reviewed pull requests: ${fmt(value)}`,
      `${plural(counts.reviewedPulls, 'reviewed merged pull request')} of ${counts.merged.length}; ${plural(counts.direct, 'direct commit')} adding ${thousands(counts.pushed)} lines`,
      ...sampleNote(code, counts),
    ],
  };
}
