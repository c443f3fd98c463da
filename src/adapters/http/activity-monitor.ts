import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Clock } from '../../ports/system.port';

const MINUTE_MS = 60_000;
export const MAX_WINDOW_MINUTES = 1440;

interface Bucket {
  minute: number;
  total: number;
  errors: number;
  perRoute: Map<string, number>;
  perType: Map<string, number>;
  clients: Set<string>;
  latencyMsTotal: number;
}

export interface ActivitySummary {
  windowStart: Date;
  windowEnd: Date;
  total: number;
  errors: number;
  meanLatencyMs: number;
  perRoute: Record<string, number>;
  perArtifactType: Record<string, number>;
  uniqueClients: number;
  timeline: { minute: Date; requests: number; errors: number }[];
}

/**
 * Counts requests per minute for the last day, in memory and bounded (one bucket per minute), so the
 * health endpoints can report recent activity without a metrics backend.
 */
export class ActivityMonitor {
  private readonly buckets = new Map<number, Bucket>();

  constructor(private readonly clock: Clock) {}

  readonly middleware: RequestHandler = (req, res, next) => {
    const started = this.clock.now().getTime();
    res.on('finish', () => {
      // Express restores req.params when routing ends; the validator's copy of the match survives.
      const openapi = (req as { openapi?: { openApiRoute?: string; pathParams?: Record<string, string> } }).openapi;
      const route = `${req.method} ${openapi?.openApiRoute ?? (res.statusCode === 404 ? '(unmatched)' : req.path)}`;
      const type = openapi?.pathParams?.artifact_type;
      // Clients are told apart by a digest of their token (never the token itself) or their address.
      const client = createHash('sha256').update(String(req.headers['x-authorization'] ?? req.ip ?? '')).digest('hex').slice(0, 16);
      this.record(route, type, client, res.statusCode, this.clock.now().getTime() - started);
    });
    next();
  };

  record(route: string, artifactType: string | undefined, client: string, status: number, latencyMs: number): void {
    const minute = Math.floor(this.clock.now().getTime() / MINUTE_MS);
    let bucket = this.buckets.get(minute);
    if (bucket === undefined) {
      bucket = { minute, total: 0, errors: 0, perRoute: new Map(), perType: new Map(), clients: new Set(), latencyMsTotal: 0 };
      this.buckets.set(minute, bucket);
      this.evict(minute);
    }
    bucket.total += 1;
    if (status >= 500) bucket.errors += 1;
    bucket.latencyMsTotal += latencyMs;
    bucket.perRoute.set(route, (bucket.perRoute.get(route) ?? 0) + 1);
    if (artifactType !== undefined) bucket.perType.set(artifactType, (bucket.perType.get(artifactType) ?? 0) + 1);
    if (bucket.clients.size < 10_000) bucket.clients.add(client);
  }

  summary(windowMinutes: number): ActivitySummary {
    const now = this.clock.now().getTime();
    const current = Math.floor(now / MINUTE_MS);
    const first = current - windowMinutes + 1;
    const perRoute: Record<string, number> = {};
    const perArtifactType: Record<string, number> = {};
    const clients = new Set<string>();
    const timeline: ActivitySummary['timeline'] = [];
    let total = 0;
    let errors = 0;
    let latency = 0;
    for (let minute = first; minute <= current; minute += 1) {
      const bucket = this.buckets.get(minute);
      timeline.push({ minute: new Date(minute * MINUTE_MS), requests: bucket?.total ?? 0, errors: bucket?.errors ?? 0 });
      if (bucket === undefined) continue;
      total += bucket.total;
      errors += bucket.errors;
      latency += bucket.latencyMsTotal;
      bucket.perRoute.forEach((count, route) => (perRoute[route] = (perRoute[route] ?? 0) + count));
      bucket.perType.forEach((count, type) => (perArtifactType[type] = (perArtifactType[type] ?? 0) + count));
      bucket.clients.forEach((client) => clients.add(client));
    }
    return {
      windowStart: new Date(first * MINUTE_MS),
      windowEnd: new Date(now),
      total,
      errors,
      meanLatencyMs: total === 0 ? 0 : latency / total,
      perRoute,
      perArtifactType,
      uniqueClients: clients.size,
      timeline,
    };
  }

  private evict(current: number): void {
    for (const minute of this.buckets.keys()) {
      if (minute <= current - MAX_WINDOW_MINUTES) this.buckets.delete(minute);
    }
  }
}
