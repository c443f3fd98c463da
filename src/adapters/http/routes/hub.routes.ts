import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { DependencyContainer } from 'tsyringe';
import { AuthorizeToken } from '../../../application/authorize-token.use-case';
import { FindHubRepository, OpenHubFile, type HubFile, type HubKind, type HubRepository } from '../../../application/hub-repository';
import type { PackageFile } from '../../../domain/artifact';
import { ErrorCode, isDomainError } from '../../../domain/errors';
import type { User } from '../../../domain/user';
import { ifRangeHolds, noneMatchHits, parseRange } from '../byte-range';

// The Hub's read API as its clients call it (huggingface_hub, transformers, @huggingface/hub with
// HF_ENDPOINT pointing here). Repository ids contain a slash and file paths any number of them, so
// these paths are matched here rather than in the OpenAPI document; README documents them.
const API = /^\/api\/(models|datasets)\/(.+?)(?:\/(revision|tree|paths-info)(?:\/([^/]+)(?:\/(.*))?)?)?$/;
const FILE = /^\/(?:(datasets)\/)?(.+?)\/(resolve|raw)\/([^/]+)\/(.+)$/;
/** Files the Hub keeps in LFS: its clients then read X-Linked-Etag / X-Linked-Size. */
const LFS_MIN_BYTES = 10 * 1024 * 1024;
const LFS_POINTER_SIZE = 134;
const MAX_TREE_ENTRIES = 10_000;

const kindOf = (segment: string | undefined): HubKind => (segment === 'datasets' ? 'dataset' : 'model');
const decode = (text: string): string => decodeURIComponent(text);

/** Hub-compatible read routes; everything else passes through to the registry's own API. */
export function hubRoutes(container: DependencyContainer): RequestHandler {
  return (req, res, next) => {
    const api = req.method === 'GET' || req.method === 'POST' ? API.exec(req.path) : null;
    const file = api === null && (req.method === 'GET' || req.method === 'HEAD') ? FILE.exec(req.path) : null;
    if (api === null && file === null) {
      next();
      return;
    }
    const handled = api !== null ? serveApi(container, req, res, api) : serveFile(container, req, res, file as RegExpExecArray);
    handled.catch((error: unknown) => sendHubError(res, next, error));
  };
}

async function serveApi(container: DependencyContainer, req: Request, res: Response, match: RegExpExecArray): Promise<void> {
  const [, kindSegment, rawRepo = '', action, rawRevision, rawPath] = match;
  const kind = kindOf(kindSegment);
  if ((action === 'paths-info') !== (req.method === 'POST')) throw new HubHttpError(405, 'method not allowed here');
  const actor = await authorize(container, req);
  const revision = rawRevision === undefined ? undefined : decode(rawRevision);
  const repo = await container.resolve(FindHubRepository).execute({ actor, kind, repoId: decode(rawRepo), ...(revision === undefined ? {} : { revision }) });
  res.setHeader('X-Repo-Commit', repo.commit);
  if (action === 'tree') {
    const recursive = req.query.recursive === 'true' || req.query.recursive === '1';
    res.json(treeOf(repo, rawPath === undefined ? '' : decode(rawPath).replace(/\/+$/, ''), recursive));
    return;
  }
  if (action === 'paths-info') {
    res.json(await pathsInfo(req, res, repo));
    return;
  }
  res.json(infoOf(repo, kind));
}

async function serveFile(container: DependencyContainer, req: Request, res: Response, match: RegExpExecArray): Promise<void> {
  const [, kindSegment, rawRepo = '', , rawRevision = 'main', rawPath = ''] = match;
  const actor = await authorize(container, req);
  const headOnly = req.method === 'HEAD';
  const query = { actor, kind: kindOf(kindSegment), repoId: decode(rawRepo), revision: decode(rawRevision), path: decode(rawPath) };
  const described = await container.resolve(OpenHubFile).execute(query);
  const size = described.file.size;
  const etag = `"${described.sha256}"`;
  fileHeaders(res, described, etag);
  if (noneMatchHits(req.headers['if-none-match'], etag)) {
    res.status(304).end();
    return;
  }
  const wanted = ifRangeHolds(req.get('if-range'), etag) ? parseRange(req.headers.range, size) : { kind: 'whole' as const };
  if (wanted.kind === 'unsatisfiable') {
    res.setHeader('Content-Range', `bytes */${size}`);
    res.status(416).json({ error: `the range ${req.headers.range ?? ''} is outside the file's ${size} bytes` });
    return;
  }
  const range = wanted.kind === 'partial' ? wanted.range : undefined;
  res.status(range === undefined ? 200 : 206);
  res.setHeader('Content-Length', String(range === undefined ? size : range.end - range.start + 1));
  if (range !== undefined) res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
  if (headOnly || size === 0) {
    res.end();
    return;
  }
  await pipeline(await described.open(range), res);
}

function fileHeaders(res: Response, read: HubFile, etag: string): void {
  res.setHeader('Content-Type', 'application/octet-stream');
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('ETag', etag);
  res.setHeader('X-Repo-Commit', read.commit);
  res.setHeader('X-Content-SHA256', read.sha256);
  res.setHeader('Content-Disposition', `inline; filename="${(read.file.path.split('/').pop() ?? 'file').replace(/[^A-Za-z0-9._-]+/g, '_')}"`);
  res.setHeader('Cache-Control', 'private, max-age=0, must-revalidate');
  if (isLfs(read.file)) {
    res.setHeader('X-Linked-Etag', etag);
    res.setHeader('X-Linked-Size', String(read.file.size));
  }
}

const isLfs = (file: PackageFile): boolean => file.part === 'weights' || file.size >= LFS_MIN_BYTES;

// @huggingface/hub refuses tokens that do not start with "hf_": the registry's 43-character secret
// may be given with that prefix, which is then dropped (a bare secret is 43 characters, so one that
// happens to begin with "hf_" is never mistaken for a prefixed one).
const HUB_STYLE_TOKEN = /^hf_([A-Za-z0-9_-]{43})$/;

async function authorize(container: DependencyContainer, req: Request): Promise<User> {
  const bearer = /^bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
  const secret = bearer === undefined ? undefined : HUB_STYLE_TOKEN.exec(bearer)?.[1] ?? bearer;
  const header = secret ?? (typeof req.headers['x-authorization'] === 'string' ? req.headers['x-authorization'] : undefined);
  return container.resolve(AuthorizeToken).execute(header);
}

function infoOf(repo: HubRepository, kind: HubKind): Record<string, unknown> {
  const { record } = repo;
  const info = record.origin?.info ?? {};
  const pick = <T>(key: string, fallback: T): unknown => info[key] ?? fallback;
  const [author] = repo.repoId.split('/');
  return {
    _id: record.id,
    id: repo.repoId,
    ...(kind === 'model' ? { modelId: repo.repoId } : {}),
    author: pick('author', author),
    sha: repo.commit,
    lastModified: record.updatedAt,
    createdAt: record.createdAt,
    private: false,
    gated: false,
    disabled: false,
    downloads: pick('downloads', 0),
    likes: pick('likes', 0),
    tags: pick('tags', []),
    ...(kind === 'model' ? { pipeline_tag: pick('pipeline_tag', undefined), library_name: pick('library_name', undefined), config: record.config } : {}),
    cardData: record.card?.metadata ?? {},
    siblings: record.package.files.map((file) => ({ rfilename: file.path, size: file.size })),
    usedStorage: record.package.files.reduce((total, file) => total + file.size, 0),
    registry: { artifact_id: record.id, name: record.name, version: record.version, type: record.type },
  };
}

interface TreeEntry {
  type: 'file' | 'directory';
  oid: string;
  size: number;
  path: string;
  lfs?: { oid: string; size: number; pointerSize: number };
}

function fileEntry(repo: HubRepository, file: PackageFile): TreeEntry {
  const oid = file.sha256 ?? repo.record.origin?.files.find((candidate) => candidate.path === file.path)?.sha256;
  // Without a recorded digest the id is still stable and unique per package and path.
  const id = oid ?? `${repo.record.package.full.sha256.slice(0, 24)}${Buffer.from(file.path).toString('hex').slice(0, 40)}`;
  return {
    type: 'file',
    oid: id.slice(0, 40),
    size: file.size,
    path: file.path,
    ...(isLfs(file) && oid !== undefined ? { lfs: { oid, size: file.size, pointerSize: LFS_POINTER_SIZE } } : {}),
  };
}

/** The files and directories under `path`: its direct children, or everything with `recursive`. */
function treeOf(repo: HubRepository, path: string, recursive: boolean): TreeEntry[] {
  const prefix = path === '' ? '' : `${path}/`;
  const files = repo.record.package.files.filter((file) => file.path.startsWith(prefix));
  if (path !== '' && files.length === 0) throw new HubHttpError(404, `${repo.repoId} has no folder "${path}"`, 'EntryNotFound');
  const entries: TreeEntry[] = [];
  const directories = new Set<string>();
  for (const file of files) {
    const rest = file.path.slice(prefix.length).split('/');
    for (let depth = 1; depth < rest.length && (recursive || depth === 1); depth += 1) {
      const directory = `${prefix}${rest.slice(0, depth).join('/')}`;
      if (!directories.has(directory)) {
        directories.add(directory);
        entries.push({ type: 'directory', oid: repo.commit, size: 0, path: directory });
      }
    }
    if (recursive || rest.length === 1) entries.push(fileEntry(repo, file));
    if (entries.length >= MAX_TREE_ENTRIES) break;
  }
  return entries;
}

async function pathsInfo(req: Request, res: Response, repo: HubRepository): Promise<Record<string, unknown>[]> {
  const body = await readJson(req, res);
  const paths = Array.isArray(body.paths) ? body.paths.filter((path): path is string => typeof path === 'string').slice(0, 1000) : [];
  const lastCommit = { id: repo.commit, title: `registered as ${repo.record.name}`, date: repo.record.updatedAt };
  const found: Record<string, unknown>[] = [];
  for (const path of paths) {
    const file = repo.record.package.files.find((candidate) => candidate.path === path);
    if (file !== undefined) found.push({ ...fileEntry(repo, file), ...(body.expand === true ? { lastCommit } : {}) });
    else if (repo.record.package.files.some((candidate) => candidate.path.startsWith(`${path}/`))) found.push({ type: 'directory', oid: repo.commit, size: 0, path });
  }
  return found;
}

// paths-info is the one POST here, and these routes sit before the app's own body parser.
const parseJson = express.json({ limit: '1mb', strict: false });

function readJson(req: Request, res: Response): Promise<{ paths?: unknown; expand?: unknown }> {
  return new Promise((resolve, reject) => {
    parseJson(req, res, (error?: unknown) => {
      if (error !== undefined) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve(typeof req.body === 'object' && req.body !== null ? (req.body as { paths?: unknown; expand?: unknown }) : {});
    });
  });
}

class HubHttpError extends Error {
  constructor(readonly status: number, message: string, readonly hubCode?: string) {
    super(message);
  }
}

/**
 * Errors the way the Hub answers them, which its clients turn into their own exceptions: 401 for a
 * missing or bad token (they then ask for a login), 403 for a missing permission, 404 with
 * X-Error-Code for a missing repository, revision or file.
 */
function sendHubError(res: Response, next: NextFunction, error: unknown): void {
  if (res.headersSent) {
    res.destroy(error instanceof Error ? error : undefined);
    return;
  }
  if (error instanceof HubHttpError) {
    if (error.hubCode !== undefined) res.setHeader('X-Error-Code', error.hubCode);
    res.status(error.status).json({ error: error.message });
    return;
  }
  if (!isDomainError(error)) {
    next(error);
    return;
  }
  const status = error.code === ErrorCode.Unauthenticated ? 401 : error.code === ErrorCode.Forbidden ? 403 : error.code === ErrorCode.ArtifactNotFound ? 404 : undefined;
  if (status === undefined) {
    next(error);
    return;
  }
  const hubCode = error.details?.['hub_error'];
  if (typeof hubCode === 'string') res.setHeader('X-Error-Code', hubCode);
  res.status(status).json({ error: error.message });
}
