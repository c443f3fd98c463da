import { Router, type Request, type Response } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { assertArtifactId, parseArtifactType, type ArtifactType } from '../../../domain/artifact';
import { invalidInput } from '../../../domain/errors';
import { parsePackagePart } from '../../../domain/package-parts';
import type { User } from '../../../domain/user';
import { DeleteArtifact } from '../../../application/delete-artifact.use-case';
import { DownloadPackage } from '../../../application/download-package.use-case';
import { GetArtifact } from '../../../application/get-artifact.use-case';
import { GetAuditTrail } from '../../../application/get-audit-trail.use-case';
import { RegisterFromUrl } from '../../../application/register-from-url.use-case';
import { RegisterPackage } from '../../../application/register-package.use-case';
import { ReplacePackage } from '../../../application/replace-package.use-case';
import type { StagedContent } from '../../../application/transactions.use-cases';
import { presentArtifact, presentArtifactAt, presentContractAudit, presentDetails } from '../presenters';
import { timingOf } from '../request-timing';
import { whileStaged, type StagedUpload } from '../upload-staging';
import { sendDownload } from './download';
import { isPassiveView, routeOf, type Read } from './read-answer';

export const actorOf = (res: Response): User => res.locals.user as User;
const upload = (res: Response): StagedUpload | undefined => res.locals.upload as StagedUpload | undefined;
const query = (req: Request, name: string): string | undefined => {
  const value = req.query[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

interface Target {
  type: ArtifactType;
  id: string;
}
const targetOf = (params: Readonly<Record<string, unknown>>): Target => ({
  type: parseArtifactType(String(params.artifact_type)),
  id: assertArtifactId(String(params.id)),
});
const target = (req: Request): Target => targetOf(req.params);

// A frequent read: also answered by the short route (hot-reads.ts).
export const readArtifact = (container: DependencyContainer): Read => async ({ actor, params, baseUrl }) => {
  const record = await container.resolve(GetArtifact).execute({ actor, ...targetOf(params) });
  return { body: presentArtifactAt(baseUrl, record) };
};

/** Routes over single artifacts: register, read, replace, delete, download, audit. */
export function artifactRoutes(container: DependencyContainer): Router {
  const router = Router();

  // Before /artifact/:artifact_type, which would otherwise read "ingest" as a type.
  router.post('/artifact/ingest', async (req, res) => {
    const record = await container.resolve(RegisterFromUrl).execute({ actor: actorOf(res), type: 'model', vetting: true, ...urlBodyOf(req.body) });
    res.status(201).json(presentArtifact(req, record));
  });

  router.post('/artifact/:artifact_type', async (req, res) => {
    const actor = actorOf(res);
    const type = parseArtifactType(String(req.params.artifact_type));
    const content = registrationContentOf(req, res);
    const record = content.kind === 'url'
      ? await container.resolve(RegisterFromUrl).execute({ actor, type, url: content.url, ...optional('name', content.name) })
      : await whileStaged(res, () => container.resolve(RegisterPackage).execute({ actor, type, ...zipInputOf(content) }));
    res.status(201).json(presentArtifact(req, record));
  });

  router.get('/artifacts/:artifact_type/:id', routeOf(readArtifact(container)));

  router.get('/artifacts/:artifact_type/:id/details', async (req, res) => {
    const record = await container.resolve(GetArtifact).execute({ actor: actorOf(res), ...target(req) });
    res.status(200).json(presentDetails(req, record));
  });

  router.put('/artifacts/:artifact_type/:id', async (req, res) => {
    const actor = actorOf(res);
    const { type, id } = target(req);
    const content = replacementContentOf(req, res, type, id);
    if (content.kind === 'url') {
      await container.resolve(RegisterFromUrl).execute({ actor, type, url: content.url, replacing: { id, name: content.name } });
    } else {
      await whileStaged(res, () => container.resolve(ReplacePackage).execute({ actor, type, id, ...zipInputOf(content) }));
    }
    res.status(200).end();
  });

  router.delete('/artifacts/:artifact_type/:id', async (req, res) => {
    await container.resolve(DeleteArtifact).execute({ actor: actorOf(res), ...target(req) });
    res.status(200).end();
  });

  router.get('/artifacts/:artifact_type/:id/download', async (req, res) => {
    const part = query(req, 'part');
    const timer = timingOf(res);
    const download = await container.resolve(DownloadPackage).execute({
      actor: actorOf(res),
      ...target(req),
      ...(timer === undefined ? {} : { timer }),
      ...(part === undefined ? {} : { part: parsePackagePart(part) }),
    });
    await sendDownload(req, res, download);
  });

  router.get('/artifact/:artifact_type/:id/audit', async (req, res) => {
    const entries = await container.resolve(GetAuditTrail).execute({ actor: actorOf(res), ...target(req), passive: isPassiveView(req) });
    res.status(200).json(presentContractAudit(entries));
  });

  return router;
}

type ZipContent = Extract<StagedContent, { kind: 'zip' }>;

/** What a registration carries, for every route that takes one: a JSON body naming a URL, or a staged zip. */
export function registrationContentOf(req: Request, res: Response): StagedContent {
  const staged = upload(res);
  return staged === undefined ? { kind: 'url', ...urlBodyOf(req.body) } : zipContentOf(req, staged);
}

/** What a replacement carries: an Artifact body whose metadata must match the path, or a staged zip. */
export function replacementContentOf(req: Request, res: Response, type: ArtifactType, id: string): ZipContent | { kind: 'url'; url: string; name: string } {
  const staged = upload(res);
  if (staged !== undefined) return zipContentOf(req, staged);
  const body = req.body as { metadata: { id: string; name: string; type: string }; data: { url: string } };
  if (body.metadata.id !== id || body.metadata.type !== type) {
    throw invalidInput(`metadata (${body.metadata.type} ${body.metadata.id}) does not match the path (${type} ${id})`);
  }
  return { kind: 'url', url: body.data.url, name: body.metadata.name };
}

function zipContentOf(req: Request, staged: StagedUpload): ZipContent {
  return {
    kind: 'zip',
    zipPath: staged.path,
    ...optional('filename', staged.filename),
    ...optional('name', query(req, 'name') ?? staged.fields.name),
    ...optional('version', query(req, 'version') ?? staged.fields.version),
  };
}

function zipInputOf(content: ZipContent): Omit<ZipContent, 'kind'> {
  const { kind: _kind, ...input } = content;
  return input;
}

function urlBodyOf(body: unknown): { url: string; name?: string } {
  const { url, name } = (body ?? {}) as { url?: unknown; name?: unknown };
  if (typeof url !== 'string') throw invalidInput('send a JSON body {"url": "…"} or a zip (application/zip or multipart field "file")');
  if (name !== undefined && typeof name !== 'string') throw invalidInput('name must be a string');
  return { url, ...(name === undefined ? {} : { name }) };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
