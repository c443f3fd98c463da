import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import {
  cardEvidence, chooseCodeRepository, EVIDENCE_SCHEMA_VERSION, githubCodeEvidence, type CodeEvidence, type Evidence,
} from '../../../../src/domain/rating';
import { GITHUB_REPOS_PATH, HF_MODELS_PATH } from '../../../support/reference-data';

/** One record of hf-public-model-metadata.json. */
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

/** One record of github-public-repo-metadata.json. */
export interface ReferenceRepo {
  readonly repo_id: string;
  readonly description: string | null;
  readonly default_branch: string;
  readonly language: string | null;
  readonly archived: boolean;
  readonly fork: boolean;
  readonly created_at: string;
  readonly pushed_at: string;
  readonly stars: number;
  readonly forks: number;
  readonly open_issues: number;
  readonly license_spdx: string | null;
  readonly readme_text: string | null;
  readonly files_index: readonly { readonly path: string; readonly type: 'blob' | 'tree'; readonly size: number | null }[];
  readonly contributors: Readonly<Record<string, number>>;
}

/** The reference snapshot was taken in mid-December 2025 (latest GitHub update in it: 2025-12-12). */
export const COLLECTED_AT = '2025-12-15T00:00:00Z';

let models: Readonly<Record<string, ReferenceModel>> | undefined;
let repos: Readonly<Record<string, ReferenceRepo>> | undefined;

export const referenceModels = (): Readonly<Record<string, ReferenceModel>> =>
  (models ??= JSON.parse(readFileSync(HF_MODELS_PATH, 'utf8')) as Record<string, ReferenceModel>);
export const referenceRepos = (): Readonly<Record<string, ReferenceRepo>> =>
  (repos ??= JSON.parse(readFileSync(GITHUB_REPOS_PATH, 'utf8')) as Record<string, ReferenceRepo>);

export function referenceModel(repoId: string): ReferenceModel {
  const model = referenceModels()[repoId];
  if (!model) throw new Error(`no reference model ${repoId}`);
  return model;
}

/** Code evidence as the GitHub adapters would collect it (the reference has no pull-request history). */
export function codeFromReference(repo: ReferenceRepo, history: Partial<CodeEvidence> = {}): CodeEvidence {
  const info = {
    html_url: `https://github.com/${repo.repo_id}`, description: repo.description, default_branch: repo.default_branch,
    language: repo.language, archived: repo.archived, fork: repo.fork, created_at: repo.created_at, pushed_at: repo.pushed_at,
    stargazers_count: repo.stars, forks_count: repo.forks, open_issues_count: repo.open_issues,
    license: repo.license_spdx === null ? null : { spdx_id: repo.license_spdx, key: repo.license_spdx.toLowerCase(), name: repo.license_spdx },
  };
  return {
    ...githubCodeEvidence(repo.repo_id, info, {
      contributors: Object.entries(repo.contributors).map(([login, contributions]) => ({ login, contributions })),
      files: repo.files_index.filter((file) => file.type === 'blob').map((file) => ({ path: file.path, size: file.size ?? 0 })),
      ...(repo.readme_text === null ? {} : { readme: repo.readme_text }),
    }),
    ...history,
  };
}

/** Evidence as registration would collect it for a reference model, linking its code when the reference holds the repository. */
export function evidenceFromReference(model: ReferenceModel, overrides: Partial<Evidence> = {}): Evidence {
  const metadata = (parseYaml(model.card_yaml) ?? {}) as Record<string, unknown>;
  const link = chooseCodeRepository(model.repo_id, model.github_links);
  const repo = link ? referenceRepos()[link.repo] : undefined;
  const code = repo && link ? { ...codeFromReference(repo), linkReason: link.reason } : undefined;
  return {
    schemaVersion: EVIDENCE_SCHEMA_VERSION,
    collectedAt: COLLECTED_AT,
    origin: 'huggingface',
    model: {
      repo: model.repo_id,
      downloads: model.downloads,
      likes: model.likes,
      tags: model.tags,
      ...(model.pipeline_tag === null ? {} : { pipelineTag: model.pipeline_tag }),
      ...(model.license === null ? {} : { license: model.license }),
      gated: Object.keys(metadata).some((key) => key.startsWith('extra_gated')),
      lastModified: model.last_modified,
    },
    card: cardEvidence(model.readme_text, metadata),
    files: model.files,
    datasets: model.datasets.map((name) => ({ name })),
    ...(code ? { code } : {}),
    codeLinks: model.github_links,
    ...overrides,
  };
}
