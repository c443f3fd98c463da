import { Router, type Request } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { PerformanceRuns } from '../../../application/performance-runs';
import type { PerformanceRun } from '../../../domain/performance/performance-run';
import type { RawRunSettings } from '../../../domain/performance/run-settings';
import type { RunResult } from '../../../domain/performance/run-statistics';
import { actorOf } from './artifact.routes';

/** Administrators start load runs against this registry and compare their results. */
export function performanceRoutes(container: DependencyContainer): Router {
  const router = Router();
  const runs = (): PerformanceRuns => container.resolve(PerformanceRuns);

  router.post('/admin/performance-runs', async (req, res) => {
    const baseUrl = ownAddress(req);
    const run = await runs().start({ actor: actorOf(res), settings: (req.body ?? {}) as RawRunSettings, ...(baseUrl === undefined ? {} : { baseUrl }) });
    res.status(202).location(`/admin/performance-runs/${run.id}`).json(presentRun(run));
  });

  router.get('/admin/performance-runs', async (_req, res) => {
    res.status(200).json({ runs: (await runs().list(actorOf(res))).map(presentRun) });
  });

  router.get('/admin/performance-runs/:id', async (req, res) => {
    res.status(200).json(presentRun(await runs().get(actorOf(res), String(req.params.id))));
  });

  return router;
}

/**
 * The address this request arrived on: the load driver runs on this machine and reaches the
 * registry the same way, whatever proxy or host name the administrator used. Behind API Gateway
 * there is no such socket, and no process to run the driver in.
 */
function ownAddress(req: Request): string | undefined {
  const { localAddress, localPort } = req.socket;
  if (localAddress === undefined || localPort === undefined) return undefined;
  const host = localAddress.startsWith('::ffff:') ? localAddress.slice(7) : localAddress;
  return `http://${host.includes(':') ? `[${host}]` : host}:${localPort}`;
}

const presentResult = (result: RunResult) => ({
  requests: result.requests,
  succeeded: result.succeeded,
  errors: result.errors,
  errors_by_status: result.errorsByStatus,
  failure_reasons: result.failureReasons ?? {},
  duration_seconds: result.durationSeconds,
  bytes: result.bytes,
  throughput: { requests_per_second: result.requestsPerSecond, megabytes_per_second: result.megabytesPerSecond },
  latency_ms: result.latencyMs,
  ttfb_ms: result.ttfbMs,
  breakdown_ms: {
    auth: result.breakdownMs.auth,
    metadata: result.breakdownMs.metadata,
    storage: result.breakdownMs.storage,
    audit: result.breakdownMs.audit,
    server_other: result.breakdownMs.serverOther,
    queue: result.breakdownMs.queue,
    transfer: result.breakdownMs.transfer,
  },
  timeline: result.timeline.map((point) => ({
    second: point.second, requests: point.requests, errors: point.errors, megabytes: point.megabytes, mean_latency_ms: point.meanLatencyMs,
  })),
});

export function presentRun(run: PerformanceRun) {
  const { settings, environment: env, progress } = run;
  return {
    id: run.id,
    status: run.status,
    started_at: run.startedAt,
    ...(run.finishedAt === undefined ? {} : { finished_at: run.finishedAt }),
    started_by: run.startedBy,
    settings: {
      clients: settings.clients,
      ...(settings.durationSeconds === undefined ? {} : { duration_seconds: settings.durationSeconds }),
      ...(settings.requests === undefined ? {} : { requests: settings.requests }),
      ...(settings.artifactId === undefined ? {} : { artifact_id: settings.artifactId }),
      ...(settings.populate === undefined ? {} : { populate: { models: settings.populate.models, package_bytes: settings.populate.packageBytes } }),
    },
    environment: {
      storage: env.storage,
      ...(env.storageEndpoint === undefined ? {} : { storage_endpoint: env.storageEndpoint }),
      compute: env.compute,
      node_version: env.nodeVersion,
      platform: env.platform,
      cpu_count: env.cpuCount,
      cpu_model: env.cpuModel,
      memory_bytes: env.memoryBytes,
      production: env.production,
    },
    ...(run.target === undefined ? {} : { target: { id: run.target.id, type: run.target.type, name: run.target.name, size_bytes: run.target.sizeBytes } }),
    progress: {
      phase: progress.phase,
      elapsed_seconds: progress.elapsedSeconds,
      completed: progress.completed,
      errors: progress.errors,
      bytes: progress.bytes,
      ...(progress.models === undefined ? {} : { models: progress.models }),
      ...(progress.modelsWanted === undefined ? {} : { models_wanted: progress.modelsWanted }),
    },
    ...(run.result === undefined ? {} : { result: presentResult(run.result) }),
    ...(run.failure === undefined ? {} : { failure: run.failure }),
  };
}
