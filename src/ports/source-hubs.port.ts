import type { SourceFile } from '../domain/artifact';
import type { CodeHistory } from '../domain/rating/collect';

/** A zip put together on local disk from a source's files; `dispose` removes it. */
export interface StagedPackage {
  readonly path: string;
  readonly size: number;
  dispose(): Promise<void>;
}

export interface HubRepoRef {
  readonly kind: 'model' | 'dataset';
  readonly repo: string;
  readonly revision: string;
}

export interface HubRepoInfo {
  /** Commit the revision resolved to. */
  readonly commit?: string;
  readonly gated: boolean;
  /** The source's metadata as it reported it (downloads, likes, tags, license, card data…). */
  readonly info: Record<string, unknown>;
}

/**
 * A Hugging Face-like hub. Every call is bounded in time, retried on transient failures and fails
 * with a SOURCE.* or UPSTREAM.* DomainError that says what went wrong and where.
 */
export interface ModelHub {
  info(ref: HubRepoRef): Promise<HubRepoInfo>;
  listFiles(ref: HubRepoRef): Promise<SourceFile[]>;
  /** Tag names (`v1.0.0`, `main-2024`…); empty when the hub has none. */
  listTags(ref: HubRepoRef): Promise<string[]>;
  /**
   * A small text file (a card) at the ref's revision, cut at `maxBytes`; undefined when the
   * repository has no such file.
   */
  readText(ref: HubRepoRef, path: string, maxBytes: number): Promise<string | undefined>;
  /**
   * Mirrors the files into one zip on local disk, streaming; each file with a sha256 is verified,
   * and a mismatch fails with SOURCE.INTEGRITY.
   */
  stage(ref: HubRepoRef, files: readonly SourceFile[]): Promise<StagedPackage>;
}

export interface CodeRepoInfo {
  readonly defaultBranch: string;
  /** Commit the default branch pointed at. */
  readonly commit?: string;
  readonly info: Record<string, unknown>;
}

/** A GitHub-like code host, with the same failure contract as ModelHub. */
export interface CodeHost {
  repository(repo: string): Promise<CodeRepoInfo>;
  listTags(repo: string): Promise<string[]>;
  /** The README of the default branch as text; undefined when the repository has none. */
  readme(repo: string): Promise<string | undefined>;
  /** The repository at `ref` as a zip on local disk, with the archive's top-level folder removed. */
  stage(repo: string, ref: string, maxBytes: number): Promise<StagedPackage>;
  /** The commit a branch, tag or commit name resolves to; SOURCE.NOT_FOUND when it names nothing. */
  resolveRef(repo: string, ref: string): Promise<string>;
  /** Only the directory `path` of the repository at `ref`, its files at the zip's top level. */
  stageDirectory(repo: string, ref: string, path: string, maxBytes: number): Promise<StagedPackage>;
  /**
   * What ratings need of a repository's history, within a bounded window (recent commits and merged
   * pull requests with their reviews and changed lines), saying how the window was bounded.
   */
  history(repo: string, branch: string): Promise<CodeHistory>;
}

export interface HostedDatasetInfo {
  /** The dataset version the host currently serves, which pins the snapshot mirrored. */
  readonly version?: number;
  /** Size of the dataset's files as the host declares it, checked before downloading. */
  readonly totalBytes?: number;
  readonly info: Record<string, unknown>;
}

/** A Kaggle-like dataset host (`owner/slug` datasets), with the same failure contract as ModelHub. */
export interface DatasetHost {
  info(dataset: string): Promise<HostedDatasetInfo>;
  /** The dataset's files (at `version` when given) as a zip on local disk. */
  stage(dataset: string, version: number | undefined, maxBytes: number): Promise<StagedPackage>;
}
