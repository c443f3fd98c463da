import { Router, type Request } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { assertArtifactId as assertId, parseArtifactType } from '../../../domain/artifact';
import { GetCost, GetLineage, GetRating, RefreshEvidence } from '../../../application/analysis.use-cases';
import { CheckLicense, type LicenseReport } from '../../../application/check-license.use-case';
import { actorOf } from './artifact.routes';
import { isPassiveView, routeOf, type Read } from './read-answer';

// The OpenAPI validator has already coerced documented boolean parameters.
const flag = (req: Request, name: string): boolean | undefined => {
  const value: unknown = req.query[name];
  if (typeof value === 'boolean') return value;
  return value === 'true' ? true : value === 'false' ? false : undefined;
};

const presentLicenseReport = (report: LicenseReport) => ({
  compatible: report.compatible,
  github_url: report.githubUrl,
  use: report.use,
  model_license: report.model,
  code_license: report.code,
  reasons: report.reasons,
  obligations: report.obligations,
});

// Frequent reads: also answered by the short route (hot-reads.ts).
export const readRating = (container: DependencyContainer): Read => async ({ actor, params, passive }) => {
  const view = await container.resolve(GetRating).execute({ actor, id: assertId(String(params.id)), passive });
  return { body: view.rating };
};

export const readLineage = (container: DependencyContainer): Read => async ({ actor, params, query }) => {
  const scope = query.include === 'all' ? 'all' : 'models';
  const result = await container.resolve(GetLineage).execute({ actor, id: assertId(String(params.id)), scope });
  return { body: result.graph };
};

/** Analyses computed from stored artifacts: ratings, lineage, size cost, license compatibility. */
export function analysisRoutes(container: DependencyContainer): Router {
  const router = Router();

  router.get('/artifact/model/:id/rate', routeOf(readRating(container)));

  router.get('/artifact/model/:id/rate/explain', async (req, res) => {
    const view = await container.resolve(GetRating).execute({ actor: actorOf(res), id: assertId(String(req.params.id)), passive: isPassiveView(req) });
    res.status(200).json({ rating: view.rating, explanation: view.explanation, problems: view.problems });
  });

  router.post('/artifact/model/:id/rate/refresh', async (req, res) => {
    const view = await container.resolve(RefreshEvidence).execute({ actor: actorOf(res), id: assertId(String(req.params.id)) });
    res.status(200).json({ rating: view.rating, explanation: view.explanation, problems: view.problems });
  });

  router.get('/artifact/model/:id/lineage', routeOf(readLineage(container)));

  router.get('/artifact/:artifact_type/:id/cost', async (req, res) => {
    const dependency = flag(req, 'dependency') ?? false;
    const cost = await container.resolve(GetCost).execute({
      actor: actorOf(res), type: parseArtifactType(String(req.params.artifact_type)), id: assertId(String(req.params.id)), dependency,
    });
    res.status(200).json(cost);
  });

  router.post('/artifact/model/:id/license-check', async (req, res) => {
    const { github_url: githubUrl } = req.body as { github_url: string };
    const report = await container.resolve(CheckLicense).execute({ actor: actorOf(res), modelId: assertId(String(req.params.id)), githubUrl });
    res.status(200).json(report.compatible);
  });

  router.post('/artifact/model/:id/license-check/explain', async (req, res) => {
    const { github_url: githubUrl } = req.body as { github_url: string };
    const commercial = flag(req, 'commercial');
    const distribute = flag(req, 'distribute');
    const report = await container.resolve(CheckLicense).execute({
      actor: actorOf(res),
      modelId: assertId(String(req.params.id)),
      githubUrl,
      ...(commercial === undefined ? {} : { commercial }),
      ...(distribute === undefined ? {} : { distribute }),
    });
    res.status(200).json(presentLicenseReport(report));
  });

  return router;
}
