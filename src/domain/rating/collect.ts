import { githubLinks, stripFrontMatter } from './card-text';
import {
  boundText, EVIDENCE_SCHEMA_VERSION, type CardEvidence, type CodeEvidence, type DatasetEvidence,
  type Evidence, type EvidenceFile, type ModelEvidence,
} from './evidence';

/**
 * Pure mappers from what the sources answer to Evidence, so adapters only fetch and the shape of the
 * stored evidence is decided in one place.
 */
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const iso = (value: unknown): string | undefined => (value instanceof Date && Number.isFinite(value.getTime()) ? value.toISOString() : str(value));
const strings = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined);

function defined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

/** The README as card evidence: front matter removed (the caller parses it into `metadata`), text bounded. */
export function cardEvidence(readme: string, metadata: Readonly<Record<string, unknown>> = {}): CardEvidence {
  const bounded = boundText(stripFrontMatter(readme));
  return defined({ text: bounded.text, truncated: bounded.truncated || undefined, metadata });
}

/** Model facts from a Hugging Face model-info answer (`cardData`, `tags`, `gated`, `task`/`pipeline_tag`…). */
export function hubModelEvidence(repo: string, info: Readonly<Record<string, unknown>>): ModelEvidence {
  const cardData = isRecord(info['cardData']) ? info['cardData'] : {};
  const tags = strings(info['tags']);
  const licenseTag = tags?.find((tag) => tag.startsWith('license:'))?.slice('license:'.length);
  const cardLicense = str(cardData['license']) ?? strings(cardData['license'])?.[0];
  const safetensors = isRecord(info['safetensors']) ? info['safetensors'] : {};
  return defined({
    repo,
    author: str(info['author']) ?? (repo.includes('/') ? repo.slice(0, repo.indexOf('/')) : undefined),
    downloads: num(info['downloads']),
    likes: num(info['likes']),
    tags,
    pipelineTag: str(info['pipeline_tag']) ?? str(info['task']),
    libraryName: str(info['library_name']) ?? str(cardData['library_name']),
    license: cardLicense ?? licenseTag,
    licenseName: str(cardData['license_name']),
    licenseLink: str(cardData['license_link']),
    gated: info['gated'] === undefined ? undefined : info['gated'] !== false,
    lastModified: iso(info['lastModified']) ?? iso(info['updatedAt']),
    createdAt: iso(info['createdAt']),
    sha: str(info['sha']),
    parameters: num(safetensors['total']),
  });
}

/** Dataset facts from a Hugging Face dataset-info answer plus its card (read from the Hub unless said otherwise). */
export function hubDatasetEvidence(
  name: string, info: Readonly<Record<string, unknown>>, card?: CardEvidence, fileCount?: number, cardSource: DatasetEvidence['cardSource'] = 'huggingface',
): DatasetEvidence {
  const cardData = isRecord(info['cardData']) ? info['cardData'] : {};
  const licenseTag = strings(info['tags'])?.find((tag) => tag.startsWith('license:'))?.slice('license:'.length);
  return defined({
    name,
    found: true,
    card,
    cardSource: card === undefined ? undefined : cardSource,
    revision: str(info['sha']),
    downloads: num(info['downloads']),
    likes: num(info['likes']),
    license: str(cardData['license']) ?? strings(cardData['license'])?.[0] ?? licenseTag,
    fileCount,
    gated: info['gated'] === undefined ? undefined : info['gated'] !== false,
    lastModified: iso(info['lastModified']) ?? iso(info['updatedAt']),
  });
}

/**
 * Dataset facts of a GitHub repository that holds a dataset: its README is the card, its license the
 * repository's. GitHub reports no downloads, so popularity earns nothing here.
 */
export function githubDatasetEvidence(name: string, info: Readonly<Record<string, unknown>>, readme?: string, cardSource: DatasetEvidence['cardSource'] = 'github'): DatasetEvidence {
  const license = isRecord(info['license']) ? str(info['license']['spdx_id']) ?? str(info['license']['key']) : undefined;
  const card = readme === undefined ? undefined : cardEvidence(readme);
  return defined({
    name,
    found: true,
    card,
    cardSource: card === undefined ? undefined : cardSource,
    license: license === 'NOASSERTION' ? 'other' : license,
    lastModified: iso(info['pushed_at']),
  });
}

/** True when someone other than the author reviewed (approved, commented or requested changes). */
export function isReviewed(author: string | undefined, reviews: readonly { readonly user?: string | null; readonly state: string }[]): boolean {
  return reviews.some((review) => ['APPROVED', 'COMMENTED', 'CHANGES_REQUESTED'].includes(review.state) && !!review.user && review.user !== author);
}

/** What a code host reports of a repository's history: the history fields of CodeEvidence. */
export type CodeHistory = Pick<CodeEvidence, 'contributors' | 'files' | 'filesTruncated' | 'readme' | 'pullRequests' | 'commits' | 'window' | 'linkReason'>;

/** Repository facts from a GitHub REST repository answer (`license`, `pushed_at`, `archived`…) plus history. */
export function githubCodeEvidence(repo: string, info: Readonly<Record<string, unknown>>, history: CodeHistory = {}): CodeEvidence {
  const license = isRecord(info['license'])
    ? defined({ spdxId: typeof info['license']['spdx_id'] === 'string' ? info['license']['spdx_id'] : null, key: str(info['license']['key']), name: str(info['license']['name']) })
    : undefined;
  return defined({
    repo,
    url: str(info['html_url']) ?? `https://github.com/${repo}`,
    linkReason: history.linkReason,
    license,
    description: str(info['description']),
    stars: num(info['stargazers_count']),
    forks: num(info['forks_count']),
    openIssues: num(info['open_issues_count']),
    archived: typeof info['archived'] === 'boolean' ? info['archived'] : undefined,
    fork: typeof info['fork'] === 'boolean' ? info['fork'] : undefined,
    createdAt: iso(info['created_at']),
    pushedAt: iso(info['pushed_at']),
    defaultBranch: str(info['default_branch']),
    language: str(info['language']),
    contributors: history.contributors,
    files: history.files,
    filesTruncated: history.filesTruncated,
    readme: history.readme === undefined ? undefined : boundText(history.readme).text,
    pullRequests: history.pullRequests,
    commits: history.commits,
    window: history.window,
  });
}

export interface PackageEvidenceInput {
  /** The artifact's name; stands in for a repository id. */
  readonly name: string;
  readonly collectedAt: string;
  readonly files: readonly EvidenceFile[];
  /** README.md as found in the zip, front matter included. */
  readonly readme?: string;
  /** The README's front matter, parsed by the caller. */
  readonly cardMetadata?: Readonly<Record<string, unknown>>;
  readonly config?: Readonly<Record<string, unknown>>;
  readonly adapterConfig?: Readonly<Record<string, unknown>>;
  /** A repository the card links, when the caller collected it. */
  readonly code?: CodeEvidence;
}

/** Evidence of an uploaded package: the same sections, computed from its own files. */
export function packageEvidence(input: PackageEvidenceInput): Evidence {
  const metadata = input.cardMetadata ?? {};
  const card = input.readme === undefined ? undefined : cardEvidence(input.readme, metadata);
  const datasets = strings(metadata['datasets']) ?? (typeof metadata['datasets'] === 'string' ? [metadata['datasets']] : []);
  const license = str(metadata['license']) ?? strings(metadata['license'])?.[0];
  const model: ModelEvidence = defined({
    repo: input.name,
    tags: strings(metadata['tags']),
    pipelineTag: str(metadata['pipeline_tag']),
    libraryName: str(metadata['library_name']),
    license,
    licenseName: str(metadata['license_name']),
    licenseLink: str(metadata['license_link']),
  });
  return defined({
    schemaVersion: EVIDENCE_SCHEMA_VERSION,
    collectedAt: input.collectedAt,
    origin: 'upload' as const,
    model,
    card,
    files: input.files.map((file) => ({ path: file.path, size: file.size })),
    config: input.config,
    adapterConfig: input.adapterConfig,
    datasets: datasets.length > 0 ? datasets.map((name) => ({ name })) : undefined,
    code: input.code,
    codeLinks: card ? githubLinks(card.text) : undefined,
  });
}
