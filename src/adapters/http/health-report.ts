import type { DependencyContainer } from 'tsyringe';
import { resolve } from '../di/container';
import { Tokens } from '../di/tokens';
import type { ActivityMonitor, ActivitySummary } from './activity-monitor';

type Status = 'ok' | 'degraded' | 'critical' | 'unknown';

/** More than this share of server errors in the window marks the API degraded. */
export const DEGRADED_ERROR_RATE = 0.05;

export interface ComponentReport {
  id: string;
  display_name: string;
  status: Status;
  observed_at: string;
  description: string;
  metrics: Record<string, number | string | boolean>;
  issues: { code: string; severity: 'info' | 'warning' | 'error'; summary: string; details?: string }[];
  timeline?: { bucket: string; value: number; unit: string }[];
  logs?: { label: string; url: string; tail_available: boolean; last_updated_at?: string }[];
}

/** Builds health answers from live probes and the activity monitor; shared by both health routes. */
export class HealthReport {
  constructor(
    private readonly container: DependencyContainer,
    private readonly activity: ActivityMonitor,
    private readonly startedAt: Date,
  ) {}

  async components(windowMinutes: number, includeTimeline: boolean): Promise<ComponentReport[]> {
    const now = resolve(this.container, Tokens.Clock).now().toISOString();
    const summary = this.activity.summary(windowMinutes);
    return [this.api(summary, now, includeTimeline), await this.storage(now)];
  }

  overall(components: readonly ComponentReport[]): Status {
    if (components.some((c) => c.status === 'critical')) return 'critical';
    return components.some((c) => c.status === 'degraded') ? 'degraded' : 'ok';
  }

  uptimeSeconds(): number {
    const now = resolve(this.container, Tokens.Clock).now().getTime();
    return Math.max(0, Math.floor((now - this.startedAt.getTime()) / 1000));
  }

  summary(windowMinutes: number): ActivitySummary {
    return this.activity.summary(windowMinutes);
  }

  private api(summary: ActivitySummary, now: string, includeTimeline: boolean): ComponentReport {
    const errorRate = summary.total === 0 ? 0 : summary.errors / summary.total;
    const degraded = errorRate > DEGRADED_ERROR_RATE;
    return {
      id: 'api',
      display_name: 'REST API',
      status: degraded ? 'degraded' : 'ok',
      observed_at: now,
      description: 'Serves the registry API: authentication, uploads, search and downloads.',
      metrics: {
        requests: summary.total,
        server_errors: summary.errors,
        error_rate: Number(errorRate.toFixed(4)),
        mean_latency_ms: Number(summary.meanLatencyMs.toFixed(2)),
        unique_clients: summary.uniqueClients,
        uptime_seconds: this.uptimeSeconds(),
      },
      issues: degraded
        ? [{ code: 'API.ERROR_RATE', severity: 'warning', summary: `${(errorRate * 100).toFixed(1)}% of requests failed with a server error` }]
        : [],
      ...(includeTimeline
        ? { timeline: summary.timeline.map((point) => ({ bucket: point.minute.toISOString(), value: point.requests, unit: 'requests/minute' })) }
        : {}),
    };
  }

  private async storage(now: string): Promise<ComponentReport> {
    const kind = resolve(this.container, Tokens.Config).storage;
    const base = { id: 'storage', display_name: `Storage (${kind})`, observed_at: now, description: 'Artifact records, users, tokens, audit trail and package content.' };
    try {
      const repository = resolve(this.container, Tokens.ArtifactRepository);
      // One bounded read proves the store answers; counting every record is cheap only on local disk.
      await repository.list({}, undefined, 1);
      const metrics: Record<string, number | string> = { backend: kind };
      if (kind !== 's3') metrics.artifacts = await repository.count();
      const space = await resolve(this.container, Tokens.DiskSpace).report();
      if (space.freeBytes !== undefined) metrics.free_bytes = space.freeBytes;
      if (!space.full) return { ...base, status: 'ok', metrics, issues: [] };
      return {
        ...base,
        status: 'degraded',
        metrics,
        issues: [{
          code: 'STORAGE.FULL', severity: 'error', summary: 'the disk is full: uploads and registrations fail with 507 until space is freed',
          ...(space.lastFailure === undefined ? {} : { details: space.lastFailure }),
        }],
      };
    } catch (error) {
      return {
        ...base,
        status: 'critical',
        metrics: { backend: kind },
        issues: [{ code: 'STORAGE.UNREACHABLE', severity: 'error', summary: 'the metadata store did not answer', details: String(error) }],
      };
    }
  }
}
