import { Router, type Request } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { assertArtifactId } from '../../../domain/artifact';
import { CheckLicense, type LicenseReport } from '../../../application/check-license.use-case';
import { actorOf } from './artifact.routes';

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

/** Analyses computed from stored artifacts: license compatibility (ratings, lineage and cost join later). */
export function analysisRoutes(container: DependencyContainer): Router {
  const router = Router();

  router.post('/artifact/model/:id/license-check', async (req, res) => {
    const { github_url: githubUrl } = req.body as { github_url: string };
    const report = await container.resolve(CheckLicense).execute({ actor: actorOf(res), modelId: assertArtifactId(String(req.params.id)), githubUrl });
    res.status(200).json(report.compatible);
  });

  router.post('/artifact/model/:id/license-check/explain', async (req, res) => {
    const { github_url: githubUrl } = req.body as { github_url: string };
    const commercial = flag(req, 'commercial');
    const distribute = flag(req, 'distribute');
    const report = await container.resolve(CheckLicense).execute({
      actor: actorOf(res),
      modelId: assertArtifactId(String(req.params.id)),
      githubUrl,
      ...(commercial === undefined ? {} : { commercial }),
      ...(distribute === undefined ? {} : { distribute }),
    });
    res.status(200).json(presentLicenseReport(report));
  });

  return router;
}
