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
import { presentArtifact, presentContractAudit, presentDetails } from '../presenters';
import { timingOf } from '../request-timing';
import type { StagedUpload } from '../upload-staging';
import { sendDownload } from './download';

export const actorOf = (res: Response): User => res.locals.user as User;
/** `X-Passive-View: true`: a read for display that nobody asked for, left out of the audit trail. */
export const isPassiveView = (req: Request): boolean => req.get('x-passive-view') === 'true';
const upload = (res: Response): StagedUpload | undefined => res.locals.upload as StagedUpload | undefined;
const query = (req: Request, name: string): string | undefined => {
  const value = req.query[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

interface Target {
  type: ArtifactType;
  id: string;
}
const target = (req: Request): Target => ({
  type: parseArtifactType(String(req.params.artifact_type)),
  id: assertArtifactId(String(req.params.id)),
});

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
    const staged = upload(res);
    const record = staged === undefined
      ? await container.resolve(RegisterFromUrl).execute({ actor, type, ...urlBodyOf(req.body) })
      : await container.resolve(RegisterPackage).execute({
        actor,
        type,
        zipPath: staged.path,
        ...optional('filename', staged.filename),
        ...optional('name', query(req, 'name') ?? staged.fields.name),
        ...optional('version', query(req, 'version') ?? staged.fields.version),
      });
    res.status(201).json(presentArtifact(req, record));
  });

  router.get('/artifacts/:artifact_type/:id', async (req, res) => {
    const record = await container.resolve(GetArtifact).execute({ actor: actorOf(res), ...target(req) });
    res.status(200).json(presentArtifact(req, record));
  });

  router.get('/artifacts/:artifact_type/:id/details', async (req, res) => {
    const record = await container.resolve(GetArtifact).execute({ actor: actorOf(res), ...target(req) });
    res.status(200).json(presentDetails(req, record));
  });

  router.put('/artifacts/:artifact_type/:id', async (req, res) => {
    const actor = actorOf(res);
    const { type, id } = target(req);
    const staged = upload(res);
    if (staged === undefined) {
      const body = req.body as { metadata: { id: string; name: string; type: string }; data: { url: string } };
      if (body.metadata.id !== id || body.metadata.type !== type) {
        throw invalidInput(`metadata (${body.metadata.type} ${body.metadata.id}) does not match the path (${type} ${id})`);
      }
      await container.resolve(RegisterFromUrl).execute({ actor, type, url: body.data.url, replacing: { id, name: body.metadata.name } });
    } else {
      await container.resolve(ReplacePackage).execute({
        actor,
        type,
        id,
        zipPath: staged.path,
        ...optional('filename', staged.filename),
        ...optional('name', query(req, 'name') ?? staged.fields.name),
        ...optional('version', query(req, 'version') ?? staged.fields.version),
      });
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

function urlBodyOf(body: unknown): { url: string; name?: string } {
  const { url, name } = (body ?? {}) as { url?: unknown; name?: unknown };
  if (typeof url !== 'string') throw invalidInput('send a JSON body {"url": "…"} or a zip (application/zip or multipart field "file")');
  if (name !== undefined && typeof name !== 'string') throw invalidInput('name must be a string');
  return { url, ...(name === undefined ? {} : { name }) };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
