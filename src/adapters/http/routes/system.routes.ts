import { Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { AuthenticateUser } from '../../../application/authenticate-user.use-case';
import { ReadRegistryAudit } from '../../../application/read-registry-audit.use-case';
import { ResetRegistry } from '../../../application/reset-registry.use-case';
import { DomainError, ErrorCode } from '../../../domain/errors';
import { resolve } from '../../di/container';
import { Tokens } from '../../di/tokens';
import type { HealthReport } from '../health-report';
import { baseUrlOf, presentAudit } from '../presenters';
import { actorOf } from './artifact.routes';

export const PLANNED_TRACKS = ['Access control track', 'High assurance track', 'Performance track', 'Other Security track'];
const HEALTH_WINDOW_MINUTES = 60;

/** Routes that need no token: authentication, health and tracks. */
export function publicRoutes(container: DependencyContainer, health: HealthReport, version: string): Router {
  const router = Router();

  router.put('/authenticate', async (req, res) => {
    const body = req.body as { user: { name: string }; secret: { password: string } };
    const token = await container.resolve(AuthenticateUser).execute({ name: body.user.name, password: body.secret.password, ...(req.ip === undefined ? {} : { client: req.ip }) });
    res.status(200).json(token);
  });

  router.get('/health', async (_req, res) => {
    const components = await health.components(HEALTH_WINDOW_MINUTES, false);
    const summary = health.summary(HEALTH_WINDOW_MINUTES);
    res.status(200).json({
      status: health.overall(components),
      checked_at: new Date(summary.windowEnd).toISOString(),
      window_minutes: HEALTH_WINDOW_MINUTES,
      uptime_seconds: health.uptimeSeconds(),
      version,
      request_summary: {
        window_start: summary.windowStart.toISOString(),
        window_end: summary.windowEnd.toISOString(),
        total_requests: summary.total,
        per_route: summary.perRoute,
        per_artifact_type: summary.perArtifactType,
        unique_clients: summary.uniqueClients,
      },
      components: components.map(({ id, display_name, status, issues }) => ({ id, display_name, status, issue_count: issues.length })),
    });
  });

  router.get('/health/components', async (req, res) => {
    const windowMinutes = Number(req.query.windowMinutes ?? HEALTH_WINDOW_MINUTES);
    const includeTimeline = String(req.query.includeTimeline ?? 'false') === 'true';
    const lastLogged = resolve(container, Tokens.RecentLogs).lastUpdated;
    const logs = [{
      label: 'Recent registry log lines (admin token required)',
      url: `${baseUrlOf(req)}/logs/recent`,
      tail_available: false,
      ...(lastLogged === undefined ? {} : { last_updated_at: lastLogged }),
    }];
    const components = (await health.components(windowMinutes, includeTimeline)).map((component) => (component.id === 'api' ? { ...component, logs } : component));
    res.status(200).json({ components, generated_at: components[0]?.observed_at ?? new Date(0).toISOString(), window_minutes: windowMinutes });
  });

  router.get('/tracks', (_req, res) => {
    res.status(200).json({ plannedTracks: PLANNED_TRACKS });
  });

  return router;
}

export const MAX_LOG_LINES = 500;

/** Routes for administrators. */
export function adminRoutes(container: DependencyContainer): Router {
  const router = Router();
  // Log lines name routes, users' request ids and errors: for administrators only.
  router.get('/logs/recent', (req, res) => {
    const actor = actorOf(res);
    if (!actor.isAdmin) throw new DomainError(ErrorCode.Forbidden, `user "${actor.name}" is not an admin and may not read the logs`);
    const limit = Math.min(Number(req.query.limit ?? 100), MAX_LOG_LINES);
    res.status(200).json({ entries: resolve(container, Tokens.RecentLogs).recent(limit) });
  });
  router.get('/audit', async (req, res) => {
    const entries = await container.resolve(ReadRegistryAudit).execute({ actor: actorOf(res), artifactId: String(req.query.artifact_id ?? '') });
    res.status(200).json(entries.map(presentAudit));
  });
  router.delete('/reset', async (_req, res) => {
    await container.resolve(ResetRegistry).execute({ actor: actorOf(res) });
    res.status(200).end();
  });
  return router;
}
