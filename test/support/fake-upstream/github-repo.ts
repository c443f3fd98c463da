import { deterministicBytes, gitBlobOid, gitTreeOid, stableInt, type GitTreeItem } from './bytes';
import { wellFormedWeights } from './weights';
import { buildHistory, type ChangeSpec, type GithubCommit, type GithubPull } from './github-history';

/** What a fixture says about a GitHub repository; contents, trees and history are derived from it. */
export interface GithubRepoSpec {
  readonly fullName: string;
  readonly description: string | null;
  readonly homepage: string | null;
  readonly defaultBranch: string;
  readonly topics: readonly string[];
  readonly language: string | null;
  readonly archived: boolean;
  readonly fork: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly pushedAt: string;
  readonly stars: number;
  readonly forks: number;
  readonly openIssues: number;
  readonly subscribers: number;
  /** SPDX id as GitHub reports it: `NOASSERTION` for an unrecognised licence, null when there is none. */
  readonly licenseSpdx: string | null;
  /** Exact contents for some paths (README.md, LICENSE, docs); other blobs get generated text or bytes. */
  readonly texts: Readonly<Record<string, string>>;
  readonly files: readonly { readonly path: string; readonly type: 'blob' | 'tree'; readonly size: number | null }[];
  /** login → number of commits; `anon:Name` marks commits not linked to an account. */
  readonly contributors: Readonly<Record<string, number>>;
  readonly pullRequests: number;
  /** False: pull requests are merged without any review. */
  readonly reviewed: boolean;
  readonly gitTags: readonly string[];
  /** Old `owner/name`s GitHub answers with 301 Moved Permanently. */
  readonly movedFrom: readonly string[];
  /**
   * The default branch's history spelled out, newest first; replaces the history generated from
   * `contributors` and `pullRequests` (commit authors then come from the changes).
   */
  readonly changes?: readonly ChangeSpec[];
}

export interface GitTreeEntry {
  readonly path: string;
  readonly mode: '100644' | '040000';
  readonly type: 'blob' | 'tree';
  readonly sha: string;
  readonly size?: number;
}

export interface GithubRepo {
  readonly spec: GithubRepoSpec;
  readonly id: number;
  readonly owner: string;
  readonly name: string;
  readonly blobs: ReadonlyMap<string, Buffer>;
  readonly tree: readonly GitTreeEntry[];
  readonly rootTree: string;
  readonly commits: readonly GithubCommit[];
  readonly pulls: readonly GithubPull[];
  readonly tags: readonly { readonly name: string; readonly sha: string }[];
}

const TEXT_FILE = /(\.(py|md|txt|toml|cfg|ya?ml|json|jsonl|sh|ipynb|rst|ini|in|csv|gin|cc|h|js|ts)|(^|\/)(LICENSE|Makefile|Dockerfile|\.gitignore|\.flake8|\.gitattributes))$/;
const MAX_GENERATED = 2048;

function blobContent(spec: GithubRepoSpec, path: string, size: number): Buffer {
  const exact = spec.texts[path];
  if (exact !== undefined) return Buffer.from(exact);
  const length = Math.min(size, MAX_GENERATED);
  if (!TEXT_FILE.test(path)) return wellFormedWeights(path, deterministicBytes(`${spec.fullName}/${path}`, length));
  const line = `# ${spec.fullName}: ${path}\n`;
  return Buffer.from(line.repeat(Math.ceil(length / line.length) + 1).slice(0, length));
}

/** Every directory's git tree, computed bottom-up so the ids are the ones git would give. */
function buildTree(spec: GithubRepoSpec, blobs: ReadonlyMap<string, Buffer>): { tree: GitTreeEntry[]; rootTree: string } {
  const directories = new Set<string>(['']);
  for (const file of spec.files) {
    const parts = file.path.split('/');
    for (let depth = 1; depth < parts.length + (file.type === 'tree' ? 1 : 0); depth += 1) directories.add(parts.slice(0, depth).join('/'));
  }
  const children = new Map<string, GitTreeItem[]>([...directories].map((dir) => [dir, []]));
  const parentOf = (path: string): string => path.split('/').slice(0, -1).join('/');
  const baseName = (path: string): string => path.split('/').pop() ?? path;
  const tree: GitTreeEntry[] = [];
  for (const [path, content] of blobs) {
    const sha = gitBlobOid(content);
    children.get(parentOf(path))?.push({ name: baseName(path), mode: '100644', sha });
    tree.push({ path, mode: '100644', type: 'blob', sha, size: content.length });
  }
  const byDepth = [...directories].filter((dir) => dir !== '').sort((a, b) => b.split('/').length - a.split('/').length);
  for (const dir of byDepth) {
    const sha = gitTreeOid(children.get(dir) ?? []);
    children.get(parentOf(dir))?.push({ name: baseName(dir), mode: '040000', sha });
    tree.push({ path: dir, mode: '040000', type: 'tree', sha });
  }
  tree.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { tree, rootTree: gitTreeOid(children.get('') ?? []) };
}

export function buildGithubRepo(spec: GithubRepoSpec): GithubRepo {
  const [owner = '', name = ''] = spec.fullName.split('/');
  const blobs = new Map<string, Buffer>();
  for (const file of spec.files) {
    if (file.type === 'blob') blobs.set(file.path, blobContent(spec, file.path, file.size ?? 0));
  }
  const { tree, rootTree } = buildTree(spec, blobs);
  const history = buildHistory(spec, rootTree, [...blobs.keys()]);
  return { spec, id: stableInt(`repo:${spec.fullName}`, 10_000_000, 999_999_999), owner, name, blobs, tree, rootTree, ...history };
}
