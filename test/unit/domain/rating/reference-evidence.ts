import { parse as parseYaml } from 'yaml';
import {
  cardEvidence, chooseCodeRepository, EVIDENCE_SCHEMA_VERSION, githubCodeEvidence, type CodeEvidence, type Evidence,
} from '../../../../src/domain/rating';
import { referenceGithubRepos, referenceModels, type ReferenceGithubRepo, type ReferenceModel } from '../../../support/reference-data';

/** The reference snapshot was taken in mid-December 2025 (latest GitHub update in it: 2025-12-12). */
export const COLLECTED_AT = '2025-12-15T00:00:00Z';

/** The GitHub metadata in the shape these tests read. */
export type ReferenceRepo = ReferenceGithubRepo;
export { referenceModels };
export const referenceRepos = referenceGithubRepos;

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
