import { apacheLicenseText, githubRepoSpecs } from './github-fixtures';
import { buildGithubRepo, type GithubRepo, type GithubRepoSpec } from './github-repo';
import { datasetSpecs } from './hub-dataset-fixtures';
import { referenceModelSpecs, tinyLoraSpec } from './hub-model-fixtures';
import { workloadDatasetSpecs, workloadGithubSpecs, workloadModelSpecs } from './workload-fixtures';
import { buildHubRepo, type HubRepo, type HubRepoSpec, type RepoKind } from './hub-repo';

export type { GithubRepo, GithubRepoSpec } from './github-repo';
export type { HubFile, HubRepo, HubRepoSpec } from './hub-repo';
export { CANONICAL_MODEL_IDS, GATED_MODELS, MODEL_GIT_TAGS } from './hub-model-fixtures';

/** Everything one fake upstream serves; each fake gets its own maps, so runtime additions do not leak. */
export interface FixtureSet {
  readonly models: Map<string, HubRepo>;
  readonly datasets: Map<string, HubRepo>;
  /** Legacy id → canonical id, per kind. */
  readonly aliases: Record<RepoKind, Map<string, string>>;
  /** Keyed by lower-case `owner/name`: GitHub names are case-insensitive. */
  readonly githubRepos: Map<string, GithubRepo>;
  /** Old lower-case `owner/name` → the repository it moved to. */
  readonly githubMoved: Map<string, GithubRepo>;
  /** LFS objects by sha256, as the CDN serves them. */
  readonly lfsObjects: Map<string, Buffer>;
}

let base: { models: HubRepo[]; datasets: HubRepo[]; github: GithubRepo[] } | undefined;

function baseFixtures(): NonNullable<typeof base> {
  base ??= {
    models: [...referenceModelSpecs(apacheLicenseText()), tinyLoraSpec(), ...workloadModelSpecs()].map((spec) => buildHubRepo('model', spec)),
    datasets: [...datasetSpecs(), ...workloadDatasetSpecs()].map((spec) => buildHubRepo('dataset', spec)),
    github: [...githubRepoSpecs(), ...workloadGithubSpecs(apacheLicenseText())].map(buildGithubRepo),
  };
  return base;
}

function registerHubRepo(fixtures: FixtureSet, repo: HubRepo): HubRepo {
  (repo.kind === 'model' ? fixtures.models : fixtures.datasets).set(repo.id, repo);
  for (const alias of repo.spec.aliases ?? []) fixtures.aliases[repo.kind].set(alias, repo.id);
  for (const file of repo.files) if (file.lfs) fixtures.lfsObjects.set(file.lfs.oid, file.content);
  return repo;
}

function registerGithubRepo(fixtures: FixtureSet, repo: GithubRepo): GithubRepo {
  fixtures.githubRepos.set(repo.spec.fullName.toLowerCase(), repo);
  for (const old of repo.spec.movedFrom) fixtures.githubMoved.set(old.toLowerCase(), repo);
  return repo;
}

export const addHubRepo = (fixtures: FixtureSet, kind: RepoKind, spec: HubRepoSpec): HubRepo => registerHubRepo(fixtures, buildHubRepo(kind, spec));
export const addGithubRepo = (fixtures: FixtureSet, spec: GithubRepoSpec): GithubRepo => registerGithubRepo(fixtures, buildGithubRepo(spec));

/**
 * A fresh fixture set: 18 reference models (+ aliases), a LoRA adapter, 4 datasets and 18 GitHub
 * repositories, plus the reference workload's other sources (5 models, 1 dataset, 4 repositories).
 */
export function buildFixtures(): FixtureSet {
  const fixtures: FixtureSet = {
    models: new Map(),
    datasets: new Map(),
    aliases: { model: new Map(), dataset: new Map() },
    githubRepos: new Map(),
    githubMoved: new Map(),
    lfsObjects: new Map(),
  };
  const { models, datasets, github } = baseFixtures();
  for (const repo of [...models, ...datasets]) registerHubRepo(fixtures, repo);
  for (const repo of github) registerGithubRepo(fixtures, repo);
  return fixtures;
}
