import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Public reference data kept in the repository so every clone can run every test: real Hugging Face
 * model metadata (cards, file lists, licenses), real GitHub repository metadata, and the course's API
 * contract that our OpenAPI document must stay compatible with.
 */
const DIR = resolve(__dirname, '../fixtures/reference');

export const HF_MODELS_PATH = resolve(DIR, 'hf-public-model-metadata.json');
export const GITHUB_REPOS_PATH = resolve(DIR, 'github-public-repo-metadata.json');
export const CONTRACT_PATH = resolve(DIR, 'ece461-fall2025-openapi-3.4.7.yaml');

/** One record of hf-public-model-metadata.json: public metadata of a real Hugging Face model. */
export interface ReferenceModel {
  readonly repo_id: string;
  readonly license: string | null;
  readonly downloads: number;
  readonly likes: number;
  readonly last_modified: string;
  readonly tags: readonly string[];
  readonly pipeline_tag: string | null;
  readonly card_yaml: string;
  readonly readme_text: string;
  readonly files: readonly { readonly path: string; readonly size: number }[];
  readonly size: number;
  readonly datasets: readonly string[];
  readonly github_links: readonly string[];
}

/** One record of github-public-repo-metadata.json: public metadata of a real GitHub repository. */
export interface ReferenceGithubRepo {
  readonly repo_id: string;
  readonly name: string;
  readonly full_name: string;
  readonly description: string | null;
  readonly homepage: string | null;
  readonly default_branch: string;
  readonly topics: readonly string[];
  readonly language: string | null;
  readonly archived: boolean;
  readonly disabled: boolean;
  readonly fork: boolean;
  readonly created_at: string;
  readonly updated_at: string;
  readonly pushed_at: string;
  readonly stars: number;
  readonly forks: number;
  readonly open_issues: number;
  readonly watchers: number;
  readonly license_spdx: string | null;
  readonly readme_text: string | null;
  readonly doc_texts: Readonly<Record<string, string>>;
  readonly files_index: readonly { readonly path: string; readonly type: 'blob' | 'tree'; readonly size: number | null }[];
  /** login → commit count; logins starting with `anon:` are commits not linked to a GitHub account. */
  readonly contributors: Readonly<Record<string, number>>;
}

const cache = new Map<string, unknown>();
function load<T>(path: string): T {
  if (!cache.has(path)) cache.set(path, JSON.parse(readFileSync(path, 'utf8')));
  return cache.get(path) as T;
}

export const referenceModels = (): Readonly<Record<string, ReferenceModel>> => load(HF_MODELS_PATH);
export const referenceGithubRepos = (): Readonly<Record<string, ReferenceGithubRepo>> => load(GITHUB_REPOS_PATH);
