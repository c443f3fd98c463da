import { Router, type Request } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { ManageSensitivity, type SensitivityView } from '../../../application/sensitivity.use-cases';
import { assertArtifactId } from '../../../domain/artifact';
import { presentAudit } from '../presenters';
import { actorOf } from './artifact.routes';

const modelId = (req: Request): string => assertArtifactId(String(req.params.id));

const present = (view: SensitivityView): Record<string, unknown> => ({
  sensitive: view.sensitive,
  ...(view.hookSha256 === undefined ? {} : { hook_sha256: view.hookSha256 }),
  ...(view.setBy === undefined ? {} : { set_by: view.setBy }),
  ...(view.setAt === undefined ? {} : { set_at: view.setAt }),
  ...(view.hookSource === undefined ? {} : { hook: view.hookSource }),
});

/** A model's pre-download program and the history of downloads it decided. */
export function sensitivityRoutes(container: DependencyContainer): Router {
  const router = Router();
  const manage = (): ManageSensitivity => container.resolve(ManageSensitivity);

  router.get('/artifacts/model/:id/sensitivity', async (req, res) => {
    res.status(200).json(present(await manage().get({ actor: actorOf(res), id: modelId(req) })));
  });
  router.put('/artifacts/model/:id/sensitivity', async (req, res) => {
    const hook = (req.body as { hook?: unknown } | undefined)?.hook;
    res.status(200).json(present(await manage().set({ actor: actorOf(res), id: modelId(req), hook })));
  });
  router.delete('/artifacts/model/:id/sensitivity', async (req, res) => {
    res.status(200).json(present(await manage().remove({ actor: actorOf(res), id: modelId(req) })));
  });
  router.get('/artifacts/model/:id/download-history', async (req, res) => {
    const entries = await manage().history({ actor: actorOf(res), id: modelId(req) });
    res.status(200).json(entries.map((entry) => ({
      ...presentAudit(entry),
      ...(entry.outcome === undefined ? { outcome: 'allowed' } : { outcome: entry.outcome }),
      ...(entry.hookOutput === undefined ? {} : { hook_output: entry.hookOutput }),
    })));
  });
  return router;
}
