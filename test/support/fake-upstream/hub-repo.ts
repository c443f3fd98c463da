import { parse as parseYaml } from 'yaml';
import { fakeObjectId, fakeSha, gitBlobOid, lfsPointer, sha256Hex } from './bytes';

export type RepoKind = 'model' | 'dataset';
export type Gated = false | 'auto' | 'manual';

/** What a test (or the built-in fixture list) says about a Hub repository; everything else is derived. */
export interface HubRepoSpec {
  readonly id: string;
  readonly files: readonly { readonly path: string; readonly content: Buffer | string; readonly lfs?: boolean }[];
  /** Front matter of README.md; README.md is generated from it and `readme` unless `files` holds one. */
  readonly cardYaml?: string;
  readonly readme?: string;
  readonly downloads?: number;
  readonly likes?: number;
  readonly tags?: readonly string[];
  readonly pipelineTag?: string;
  readonly libraryName?: string;
  readonly gated?: Gated;
  readonly createdAt?: string;
  readonly lastModified?: string;
  /** Git tags (refs/tags/…), each pointing at its own commit. */
  readonly gitTags?: readonly string[];
  /** Legacy ids that the Hub redirects (307) to this repository, e.g. `gpt2` → `openai-community/gpt2`. */
  readonly aliases?: readonly string[];
  /** The `config` subset modelInfo returns; derived from config.json when absent. */
  readonly apiConfig?: Record<string, unknown>;
  readonly transformersInfo?: Record<string, unknown>;
  readonly citation?: string;
  readonly description?: string;
  readonly paperswithcodeId?: string;
  /** refs/convert/… branches (datasets converted to parquet). */
  readonly converts?: readonly string[];
}

export interface HubFile {
  readonly path: string;
  readonly content: Buffer;
  /** Git object id of what git stores: the content, or the LFS pointer for LFS files. */
  readonly oid: string;
  readonly size: number;
  readonly lfs?: { readonly oid: string; readonly size: number; readonly pointerSize: number };
  readonly pointer?: Buffer;
  readonly lastCommit: { readonly id: string; readonly title: string; readonly date: string };
}

export interface HubRef {
  readonly name: string;
  readonly ref: string;
  readonly targetCommit: string;
}

export interface HubRepo {
  readonly kind: RepoKind;
  readonly id: string;
  readonly mongoId: string;
  readonly author?: string;
  readonly sha: string;
  readonly spec: HubRepoSpec;
  readonly gated: Gated;
  readonly createdAt: string;
  readonly lastModified: string;
  readonly cardData: Record<string, unknown>;
  readonly files: readonly HubFile[];
  readonly branches: readonly HubRef[];
  readonly tags: readonly HubRef[];
  readonly converts: readonly HubRef[];
  readonly usedStorage: number;
}

const LFS_PATTERN = /\.(bin|safetensors|h5|onnx|msgpack|ot|tflite|model|mlmodel|parquet|gz|zip|arrow|pt|pth|ckpt|npy|pkl)$/;

/** The Hub's default .gitattributes sends these to LFS; the brief adds "anything over 10 KiB" in the reference. */
export const isLfsPath = (path: string): boolean => LFS_PATTERN.test(path);

const isoDate = (value: string | undefined, fallback: string): string => new Date(value ?? fallback).toISOString();

/** The parsed YAML front matter of a model card; a card whose YAML does not parse has no cardData on the Hub. */
export function cardOf(markdown: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(markdown);
  try {
    const parsed: unknown = match?.[1] ? parseYaml(match[1]) : undefined;
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function buildFile(spec: HubRepoSpec['files'][number], commit: HubFile['lastCommit']): HubFile {
  const content = typeof spec.content === 'string' ? Buffer.from(spec.content) : spec.content;
  if (!(spec.lfs ?? isLfsPath(spec.path))) {
    return { path: spec.path, content, oid: gitBlobOid(content), size: content.length, lastCommit: commit };
  }
  const sha256 = sha256Hex(content);
  const pointer = lfsPointer(sha256, content.length);
  const lfs = { oid: sha256, size: content.length, pointerSize: pointer.length };
  return { path: spec.path, content, oid: gitBlobOid(pointer), size: content.length, lfs, pointer, lastCommit: commit };
}

const ref = (kind: 'heads' | 'tags' | 'convert', name: string, targetCommit: string): HubRef => ({
  name,
  ref: `refs/${kind}/${name}`,
  targetCommit,
});

export function buildHubRepo(kind: RepoKind, spec: HubRepoSpec): HubRepo {
  const lastModified = isoDate(spec.lastModified, '2024-01-15T10:00:00Z');
  const createdAt = isoDate(spec.createdAt, lastModified);
  const sha = fakeSha(kind, spec.id, 'head');
  const readme = spec.cardYaml === undefined && spec.readme === undefined ? [] : [{ path: 'README.md', content: `---\n${spec.cardYaml ?? ''}\n---\n${spec.readme ?? ''}` }];
  const fileSpecs = spec.files.some((file) => file.path === 'README.md') ? spec.files : [...readme, ...spec.files];
  const headCommit = { id: sha, title: 'Update README.md', date: lastModified };
  const firstCommit = { id: fakeSha(kind, spec.id, 'initial'), title: 'initial commit', date: createdAt };
  const files = fileSpecs
    .map((file) => buildFile(file, file.path === 'README.md' ? headCommit : firstCommit))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  const readmeFile = files.find((file) => file.path === 'README.md');
  return {
    kind,
    id: spec.id,
    mongoId: fakeObjectId(`${kind}:${spec.id}`),
    ...(spec.id.includes('/') ? { author: spec.id.split('/')[0] } : {}),
    sha,
    spec,
    gated: spec.gated ?? false,
    createdAt,
    lastModified,
    cardData: readmeFile ? cardOf(readmeFile.content.toString('utf8')) : {},
    files,
    branches: [ref('heads', 'main', sha)],
    tags: (spec.gitTags ?? []).map((name) => ref('tags', name, fakeSha(kind, spec.id, 'tag', name))),
    converts: (spec.converts ?? []).map((name) => ref('convert', name, fakeSha(kind, spec.id, 'convert', name))),
    usedStorage: files.reduce((total, file) => total + file.size, 0),
  };
}

/** The commit a revision names (branch, tag, convert ref, `HEAD` or a full sha), or undefined. */
export function resolveRevision(repo: HubRepo, revision: string): string | undefined {
  if (revision === 'HEAD' || revision === repo.sha) return repo.sha;
  const refs = [...repo.branches, ...repo.tags, ...repo.converts];
  return refs.find((candidate) => candidate.name === revision || candidate.ref === revision || candidate.targetCommit === revision)?.targetCommit;
}
