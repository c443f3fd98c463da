import { classifyPackageFile } from './domain-imports';

/**
 * Everything the rating metrics read, collected once at registration and stored with the artifact so a
 * rating can be explained and recomputed without touching the network. Plain JSON: every field is a
 * string, number, boolean, array or object. Every section except `model` and `files` is optional,
 * because an uploaded zip or a model without a linked repository simply lacks it; metrics say so.
 */
export interface Evidence {
  readonly schemaVersion: typeof EVIDENCE_SCHEMA_VERSION;
  /** ISO-8601 instant the evidence was collected; recency is measured against it, never the wall clock. */
  readonly collectedAt: string;
  readonly origin: 'huggingface' | 'upload';
  readonly model: ModelEvidence;
  /** The README without its YAML front matter, plus the front matter parsed. Absent: no README. */
  readonly card?: CardEvidence;
  /** Every file of the model repository or package, with its size in bytes. */
  readonly files: readonly EvidenceFile[];
  /** config.json, parsed. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** adapter_config.json (PEFT), parsed. */
  readonly adapterConfig?: Readonly<Record<string, unknown>>;
  /** Datasets the model names (card `datasets`, `dataset:` tags), each with what could be learned of it. */
  readonly datasets?: readonly DatasetEvidence[];
  /** The one code repository linked as this model's code (see chooseCodeRepository). */
  readonly code?: CodeEvidence;
  /** Every GitHub link found in the card, whether or not one was chosen as `code`. */
  readonly codeLinks?: readonly string[];
}

export const EVIDENCE_SCHEMA_VERSION = 1;

/** Characters of a card or README kept as evidence; enough for every real card seen, bounded for storage. */
export const EVIDENCE_TEXT_LIMIT = 100_000;

export interface EvidenceFile {
  readonly path: string;
  readonly size: number;
}

export interface ModelEvidence {
  /** Hub repository id (`owner/name`, or a legacy id such as `gpt2`); for an upload, the package name. */
  readonly repo: string;
  readonly author?: string;
  /** Whether `author` is a Hub organisation or a single user; feeds the bus-factor proxy. */
  readonly authorKind?: 'organization' | 'user';
  readonly downloads?: number;
  readonly likes?: number;
  readonly tags?: readonly string[];
  readonly pipelineTag?: string;
  readonly libraryName?: string;
  /** The Hub's license id (card `license`, else the `license:` tag), e.g. `apache-2.0`, `other`. */
  readonly license?: string;
  /** Card `license_name` / `license_link`, which name a custom license when `license` is `other`. */
  readonly licenseName?: string;
  readonly licenseLink?: string;
  /** The Hub asks users to accept terms before downloading. */
  readonly gated?: boolean;
  readonly lastModified?: string;
  readonly createdAt?: string;
  /** The commit the evidence describes. */
  readonly sha?: string;
  /** Parameter count the Hub reports from safetensors headers. */
  readonly parameters?: number;
}

export interface CardEvidence {
  /** Card body without front matter, at most EVIDENCE_TEXT_LIMIT characters. */
  readonly text: string;
  readonly truncated?: boolean;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface DatasetEvidence {
  /** As the model names it: a Hub dataset id (`owner/name` or a legacy id such as `wikipedia`). */
  readonly name: string;
  /** false: the hub answered "not found"; undefined: it was not looked up. */
  readonly found?: boolean;
  /** Why the lookup failed (upstream down, rate limited): nothing is known of the dataset, which is not the same as "bad". */
  readonly unavailable?: string;
  /** Id of the dataset artifact when this registry holds it. */
  readonly registeredId?: string;
  /** Its README: from the Hub at the dataset's pinned revision, from its GitHub repository, or as stored in this registry. */
  readonly card?: CardEvidence;
  readonly cardSource?: 'huggingface' | 'github' | 'registry';
  /** The commit the dataset's facts and card were read at. */
  readonly revision?: string;
  readonly downloads?: number;
  readonly likes?: number;
  readonly license?: string;
  readonly fileCount?: number;
  readonly gated?: boolean;
  readonly lastModified?: string;
}

export interface CodeEvidence {
  /** `owner/name` on GitHub. */
  readonly repo: string;
  readonly url: string;
  /** Why this repository was taken as the model's code (see chooseCodeRepository). */
  readonly linkReason?: string;
  /**
   * Why the repository could not be read (upstream down, rate limited): only its identity is known, so
   * the metrics that read it say so instead of scoring a repository nobody saw.
   */
  readonly unavailable?: string;
  readonly license?: { readonly spdxId?: string | null; readonly key?: string; readonly name?: string };
  readonly description?: string;
  readonly stars?: number;
  readonly forks?: number;
  readonly openIssues?: number;
  readonly archived?: boolean;
  readonly fork?: boolean;
  readonly createdAt?: string;
  readonly pushedAt?: string;
  readonly defaultBranch?: string;
  readonly language?: string;
  /** Logins with their commit counts; `anon:<name>` for commits linked to no account. */
  readonly contributors?: readonly { readonly login: string; readonly contributions: number }[];
  /** The default branch's tree (blobs only). */
  readonly files?: readonly EvidenceFile[];
  /** The host cut the tree listing short, so absence of a file proves nothing. */
  readonly filesTruncated?: boolean;
  readonly readme?: string;
  /** Pull requests in the review window (merged or not); undefined when history was not collected. */
  readonly pullRequests?: readonly PullRequestEvidence[];
  /** Commits on the default branch in the window; undefined when not collected. */
  readonly commits?: readonly CommitEvidence[];
  readonly window?: ReviewWindow;
}

export interface ReviewWindow {
  readonly since?: string;
  readonly until?: string;
  /** More history existed than was collected. */
  readonly truncated: boolean;
  /** How the window was bounded, e.g. "last 100 commits of main". */
  readonly basis?: string;
  /**
   * Merged pull requests the window's commits came through. When larger than the pull requests
   * listed, the listed ones are a sample (the request budget was spent) and their lines are scaled up.
   */
  readonly pullRequestCount?: number;
  /** How the history was read, e.g. "GitHub GraphQL" or "GitHub REST, 30-request budget". */
  readonly method?: string;
}

export interface LineAdditions {
  readonly path: string;
  readonly additions: number;
}

export interface PullRequestEvidence {
  readonly number: number;
  readonly author?: string;
  readonly mergedAt: string | null;
  /** At least one review (APPROVED, COMMENTED or CHANGES_REQUESTED) by someone other than the author. */
  readonly reviewed: boolean;
  readonly reviewers?: readonly string[];
  readonly additions: number;
  readonly deletions: number;
  readonly files?: readonly LineAdditions[];
}

/**
 * A commit on the default branch's first-parent line (commits that only exist on a merged pull
 * request's branch are counted through that pull request, not again here).
 */
export interface CommitEvidence {
  readonly sha: string;
  readonly author?: string;
  readonly date: string;
  /** Lines added; undefined when the commit's stats were not fetched (a sample was measured instead). */
  readonly additions?: number;
  /** Number of the pull request that brought this commit in, when any. */
  readonly viaPullRequest?: number;
  readonly files?: readonly LineAdditions[];
}

/** Cuts text to the evidence bound, saying whether anything was lost. */
export function boundText(text: string, limit = EVIDENCE_TEXT_LIMIT): { readonly text: string; readonly truncated: boolean } {
  return text.length <= limit ? { text, truncated: false } : { text: text.slice(0, limit), truncated: true };
}

export const weightFiles = (files: readonly EvidenceFile[]): EvidenceFile[] =>
  files.filter((file) => classifyPackageFile(file.path) === 'weights');

const basenameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1).toLowerCase();

export const hasFile = (files: readonly EvidenceFile[], name: string): boolean =>
  files.some((file) => basenameOf(file.path) === name.toLowerCase());
