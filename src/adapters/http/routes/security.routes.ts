import { Router, type Request } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { assertArtifactId, parseArtifactType } from '../../../domain/artifact';
import { SCAN_RULES_VERSION } from '../../../domain/content-scan';
import { ConfusionCheck, RescanArtifacts } from '../../../application/content-security.use-cases';
import { presentConfusion, presentContentScan } from '../presenters';
import { actorOf } from './artifact.routes';

const param = (req: Request, name: string): string => String(req.params[name]);

/** Content security for administrators: re-scans and the package-confusion audit. */
export function securityRoutes(container: DependencyContainer): Router {
  const router = Router();

  router.post('/artifacts/:artifact_type/:id/scan', async (req, res) => {
    const record = await container.resolve(RescanArtifacts).one(actorOf(res), parseArtifactType(param(req, 'artifact_type')), assertArtifactId(param(req, 'id')));
    if (record.contentScan === undefined) throw new Error('a re-scan always records a scan');
    res.status(200).json(presentContentScan(record.contentScan));
  });

  router.post('/admin/rescan', async (req, res) => {
    // The OpenAPI validator has already coerced the documented boolean.
    const value: unknown = req.query.force;
    const force = value === true || value === 'true';
    const done = await container.resolve(RescanArtifacts).all(actorOf(res), { force });
    res.status(200).json({
      rules: SCAN_RULES_VERSION,
      rescanned: done.map(({ record, scan }) => ({ metadata: { name: record.name, id: record.id, type: record.type }, verdict: scan.verdict })),
    });
  });

  router.get('/audit/package-confusion', async (_req, res) => {
    const findings = await container.resolve(ConfusionCheck).report(actorOf(res));
    res.status(200).json(findings.map((finding) => ({
      metadata: { name: finding.name, id: finding.id, type: parseArtifactType(finding.type) },
      ...presentConfusion(finding),
    })));
  });

  return router;
}
