import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { ARTIFACT_TYPES } from '../../domain/artifact';
import type { Clock } from '../../ports/system.port';

const MINUTE_MS = 60_000;
export const MAX_WINDOW_MINUTES = 1440;
/** Route keys one minute may hold; with labels drawn from the OpenAPI paths the real number is a few dozen. */
export const MAX_ROUTE_KEYS = 256;
/** Distinct clients remembered across the whole window; beyond it the count saturates. */
export const MAX_CLIENTS = 10_000;
const MAX_CLIENT_KEY = 160;
const OTHER_ROUTE = '(other)';
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

interface Bucket {
  minute: number;
  total: number;
  errors: number;
  perRoute: Map<string, number>;
  perType: Map<string, number>;
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
 * Names a request by the route template it addresses, never by its raw path: statistics are public
 * (`GET /health`), and a key per path would let anyone fill memory with paths of their choosing.
 */
export class RouteLabels {
  private readonly templates: { template: string; pattern: RegExp }[];

  constructor(templates: readonly string[]) {
    const parameters = (template: string): number => (template.match(/\{/g) ?? []).length;
    this.templates = [...templates]
      // A literal segment is more specific than a parameter: /artifact/byRegEx before /artifact/{artifact_type}.
      .sort((a, b) => parameters(a) - parameters(b))
      .map((template) => ({ template, pattern: new RegExp(`^${template.split(/\{[^}]+\}/).map(escape).join('[^/]+')}$`) }));
  }

  /** `matched` is the template the OpenAPI validator resolved, when the request got that far. */
  label(method: string, path: string, matched?: string, status = 404): string {
    const verb = METHODS.has(method) ? method : 'OTHER';
    return `${verb} ${matched ?? this.templateOf(path, status)}`;
  }

  private templateOf(path: string, status: number): string {
    const found = this.templates.find(({ pattern }) => pattern.test(path));
    if (found !== undefined) return found.template;
    if (path === '/docs' || path.startsWith('/docs/')) return '/docs';
    // Anything else that was served is a file of the web UI.
    return status < 400 ? '(web UI)' : '(unmatched)';
  }
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Counts requests per minute for the last day, in memory and bounded (one bucket per minute, a
 * capped number of keys in each, a capped set of clients), so the health endpoints can report
 * recent activity without a metrics backend.
 */
export class ActivityMonitor {
  private readonly buckets = new Map<number, Bucket>();
  /** Client digest → the last minute it was seen, oldest first (re-inserted on every visit). */
  private readonly clients = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly labels: RouteLabels = new RouteLabels([]),
  ) {}

  readonly middleware: RequestHandler = (req, res, next) => {
    this.observe(res, () => {
      // Express restores req.params when routing ends; the validator's copy of the match survives.
      const openapi = (req as { openapi?: { openApiRoute?: string; pathParams?: Record<string, string> } }).openapi;
      return {
        route: this.labels.label(req.method, req.path, openapi?.openApiRoute, res.statusCode),
        type: openapi?.pathParams?.artifact_type,
        user: (res.locals.user as { name?: string } | undefined)?.name,
        address: req.ip,
      };
    });
    next();
  };

  /** The label of a request whose route template is known (the short route of hot-reads.ts). */
  routeLabel(method: string, template: string): string {
    return this.labels.label(method, '', template);
  }

  /** Counts a request once its answer is sent; `describe` says then what it was and who sent it. */
  observe(res: ServerResponse, describe: () => { route: string; type: string | undefined; user: string | undefined; address: string | undefined }): void {
    const started = this.clock.now().getTime();
    res.on('finish', () => {
      const { route, type, user, address } = describe();
      // A client is the user a token proved, else the address; a made-up token is no new client. The
      // key is kept as it is, not hashed on every request: user names (at most 128 characters) and
      // addresses are short, and the cut bounds a key's size whatever they are.
      const client = (user === undefined ? `ip:${address ?? ''}` : `user:${user}`).slice(0, MAX_CLIENT_KEY);
      this.record(route, type, client, res.statusCode, this.clock.now().getTime() - started);
    });
  }

  record(route: string, artifactType: string | undefined, client: string, status: number, latencyMs: number): void {
    const minute = Math.floor(this.clock.now().getTime() / MINUTE_MS);
    let bucket = this.buckets.get(minute);
    if (bucket === undefined) {
      bucket = { minute, total: 0, errors: 0, perRoute: new Map(), perType: new Map(), latencyMsTotal: 0 };
      this.buckets.set(minute, bucket);
      this.evict(minute);
    }
    bucket.total += 1;
    if (status >= 500) bucket.errors += 1;
    bucket.latencyMsTotal += latencyMs;
    const key = bucket.perRoute.has(route) || bucket.perRoute.size < MAX_ROUTE_KEYS ? route : OTHER_ROUTE;
    bucket.perRoute.set(key, (bucket.perRoute.get(key) ?? 0) + 1);
    if (artifactType !== undefined && (ARTIFACT_TYPES as readonly string[]).includes(artifactType)) {
      bucket.perType.set(artifactType, (bucket.perType.get(artifactType) ?? 0) + 1);
    }
    this.clients.delete(client);
    this.clients.set(client, minute);
    if (this.clients.size > MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value as string);
  }

  summary(windowMinutes: number): ActivitySummary {
    const now = this.clock.now().getTime();
    const current = Math.floor(now / MINUTE_MS);
    const first = current - windowMinutes + 1;
    const perRoute: Record<string, number> = {};
    const perArtifactType: Record<string, number> = {};
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
    }
    let uniqueClients = 0;
    this.clients.forEach((minute) => {
      if (minute >= first && minute <= current) uniqueClients += 1;
    });
    return {
      windowStart: new Date(first * MINUTE_MS),
      windowEnd: new Date(now),
      total,
      errors,
      meanLatencyMs: total === 0 ? 0 : latency / total,
      perRoute,
      perArtifactType,
      uniqueClients,
      timeline,
    };
  }

  private evict(current: number): void {
    for (const minute of this.buckets.keys()) {
      if (minute <= current - MAX_WINDOW_MINUTES) this.buckets.delete(minute);
    }
  }
}
