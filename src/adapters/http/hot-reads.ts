import type { IncomingMessage, ServerResponse } from 'node:http';
import fresh from 'fresh';
import type { Logger as Pino } from 'pino';
import type { DependencyContainer } from 'tsyringe';
import { isDeeplyFrozen } from '../../domain/immutable';
import type { User } from '../../domain/user';
import type { ActivityMonitor } from './activity-monitor';
import { identifyRequest } from './authentication';
import { weakTag } from './entity-tag';
import { errorAnswer } from './error-handler';
import { baseUrlIn } from './presenters';
import { logRequest } from './request-log';
import { timeResponse } from './request-timing';
import { readLineage, readRating } from './routes/analysis.routes';
import { readArtifact } from './routes/artifact.routes';
import { readByName } from './routes/search.routes';
import { isPassiveView, type Read } from './routes/read-answer';

interface HotRoute {
  /** The OpenAPI path template, for the activity monitor's labels. */
  readonly template: string;
  /** Matches the raw URL only where the contract's parameter schemas would accept it as it stands. */
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly read: Read;
}

export interface HotReadsOptions {
  readonly container: DependencyContainer;
  readonly logger: Pino;
  readonly activity: ActivityMonitor;
  readonly securityHeaders: (path: string, res: ServerResponse) => void;
  /** The Express app's settings, where the base URL of links is kept. */
  readonly appLocals: Record<string, unknown>;
}

/** Answers a request and returns true, or returns false having touched nothing. */
export type HotReads = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The registry's most frequent reads (an artifact, its rating, its lineage, a name lookup) by a short
 * route beside Express: Express's own work per request (its router, request and response decoration,
 * body parser and the OpenAPI request validator) costs several times what such a read does. The
 * short route runs the same steps the app runs for them, from the same functions: security headers,
 * request id and log line, activity count, Server-Timing, authentication, the route's `Read`, the
 * error answers, and the JSON answer with Express's ETag and conditional-request handling.
 *
 * Only requests the validator could not refuse take it: GET, no query string, no body, no encoded
 * characters, the path exactly as the contract spells it, parameters matching its patterns, and an
 * `X-Passive-View` value it allows. Anything else, however close, goes to Express.
 * test/api/hot-reads.api.test.ts sends the same requests both ways and compares the answers.
 */
export function hotReads(options: HotReadsOptions): HotReads {
  const { container } = options;
  const routes: HotRoute[] = [
    { template: '/artifacts/{artifact_type}/{id}', pattern: /^\/artifacts\/(model|dataset|code)\/([a-zA-Z0-9-]+)$/, names: ['artifact_type', 'id'], read: readArtifact(container) },
    { template: '/artifact/model/{id}/rate', pattern: /^\/artifact\/model\/([a-zA-Z0-9-]+)\/rate$/, names: ['id'], read: readRating(container) },
    { template: '/artifact/model/{id}/lineage', pattern: /^\/artifact\/model\/([a-zA-Z0-9-]+)\/lineage$/, names: ['id'], read: readLineage(container) },
    // Names are any printable ASCII: only the unencoded common ones are taken here.
    { template: '/artifact/byName/{name}', pattern: /^\/artifact\/byName\/([A-Za-z0-9._-]+)$/, names: ['name'], read: readByName(container) },
  ];
  return (req, res) => {
    if (req.method !== 'GET' || !plain(req)) return false;
    const url = req.url ?? '';
    for (const route of routes) {
      const match = route.pattern.exec(url);
      if (match === null) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => { params[name] = match[index + 1] ?? ''; });
      void answer(options, route, params, req, res);
      return true;
    }
    return false;
  };
}

async function answer(options: HotReadsOptions, route: HotRoute, params: Record<string, string>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Express gives every response a `locals`; the shared steps keep their state there.
  const locals: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const response = Object.assign(res, { locals });
  options.securityHeaders(req.url ?? '', res);
  logRequest(options.logger, req, res, locals);
  options.activity.observe(res, () => {
    const user = locals.user as User | undefined;
    // The app learns the artifact type from the validator, which runs only once the token is accepted.
    return { route: options.activity.routeLabel('GET', route.template), type: user === undefined ? undefined : params.artifact_type, user: user?.name, address: req.socket.remoteAddress };
  });
  timeResponse(res, locals);
  try {
    await identifyRequest(options.container, req, response);
    const result = await route.read({
      actor: locals.user as User,
      params,
      query: {},
      passive: isPassiveView(req),
      baseUrl: baseUrlIn(options.appLocals),
    });
    for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
    sendJson(req, res, 200, result.body);
  } catch (error) {
    try {
      const failure = errorAnswer(error, req, response);
      if (failure !== undefined) sendJson(req, res, failure.status, failure.body);
    } catch {
      if (!res.destroyed) res.destroy();
    }
  }
}

const PASSIVE_VALUES = new Set([undefined, 'true', 'false']);

function plain(req: IncomingMessage): boolean {
  const headers = req.headers;
  if (headers['transfer-encoding'] !== undefined) return false;
  const length = headers['content-length'];
  if (length !== undefined && length !== '0') return false;
  return PASSIVE_VALUES.has(headers['x-passive-view'] as string | undefined);
}

interface Serialised {
  // A string, not a Buffer: Node then sends the head and the body in one write instead of two.
  readonly chunk: string;
  readonly length: string;
  readonly tag: string;
}

/** Bodies that cannot change (a cached rating or lineage, frozen whole) are serialised and tagged once. */
const serialisedOnce = new WeakMap<object, Serialised>();

function serialised(body: unknown): Serialised {
  const frozen = isDeeplyFrozen(body);
  const known = frozen ? serialisedOnce.get(body) : undefined;
  if (known !== undefined) return known;
  const chunk = JSON.stringify(body);
  const made = { chunk, length: String(Buffer.byteLength(chunk, 'utf8')), tag: weakTag(chunk) };
  if (frozen) serialisedOnce.set(body, made);
  return made;
}

/**
 * Express's `res.json` for a GET: a weak ETag over the body (`weakTag`, Express's too), 304 when
 * the client's copy is fresh, a UTF-8 JSON content type and an exact length.
 */
function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
  const { chunk, length, tag } = serialised(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', length);
  res.setHeader('ETag', tag);
  if (status >= 200 && status < 300 && fresh(req.headers, { etag: tag })) {
    res.statusCode = 304;
    res.removeHeader('Content-Type');
    res.removeHeader('Content-Length');
    res.end();
    return;
  }
  res.end(chunk, 'utf8');
}
