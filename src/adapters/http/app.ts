import type { RequestListener } from 'node:http';
import express, { type Express, type RequestHandler } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { DependencyContainer } from 'tsyringe';
import { resolve } from '../di/container';
import { Tokens } from '../di/tokens';
import { ActivityMonitor, RouteLabels } from './activity-monitor';
import { authenticate } from './authentication';
import { errorHandler, notFound } from './error-handler';
import { weakTag } from './entity-tag';
import { securityHeaders, securityHeaderWriter } from './security-headers';
import { HealthReport } from './health-report';
import { interactiveDocument, loadOpenApiDocument, openApiPath, webDistPath } from './openapi-document';
import { listeningUrlOf } from './presenters';
import { requestLog } from './request-log';
import { requestTiming } from './request-timing';
import { hotReads } from './hot-reads';
import { openApiValidator } from './openapi-validator';
import { analysisRoutes } from './routes/analysis.routes';
import { hubRoutes } from './routes/hub.routes';
import { artifactRoutes } from './routes/artifact.routes';
import { performanceRoutes } from './routes/performance.routes';
import { searchRoutes } from './routes/search.routes';
import { sensitivityRoutes } from './routes/sensitivity.routes';
import { securityRoutes } from './routes/security.routes';
import { adminRoutes, publicRoutes } from './routes/system.routes';
import { transactionRoutes } from './routes/transactions.routes';
import { userRoutes } from './routes/user.routes';
import { ownRequestFiles, uploadStaging } from './upload-staging';

/** The web UI's paths: `/` and its built files (one segment with an extension, e.g. `/main-3F2A.js`). */
const WEB_FILE = /^\/(?:[A-Za-z0-9._-]+\.(?:html|js|css|map|svg|png|ico|txt|woff2?))?$/;

export interface AppOptions {
  /** Check every JSON response against the OpenAPI document (on in tests: a wrong shape fails loudly). */
  readonly validateResponses?: boolean;
  readonly version?: string;
}

/**
 * Builds the Express app over a container. The same app runs under `server.ts` and, wrapped, as a
 * Lambda handler. Order matters: ids and logs first, then authentication (the contract wants 403
 * for a missing token, before any other validation), then the OpenAPI validator, then routes.
 */
export function createApp(container: DependencyContainer, options: AppOptions = {}): Express {
  return buildApp(container, options).app;
}

/**
 * The app behind a request listener that first offers each request to the short route for frequent
 * reads (hot-reads.ts), as `server.ts` serves it. `hotReads: false` serves everything through
 * Express (tests compare the two).
 */
export function createRequestListener(container: DependencyContainer, options: AppOptions & { hotReads?: boolean } = {}): { app: Express; listener: RequestListener } {
  const { app, activity } = buildApp(container, options);
  if (options.hotReads === false) return { app, listener: app };
  const hot = hotReads({
    container,
    logger: resolve(container, Tokens.Pino),
    activity,
    securityHeaders: securityHeaderWriter(resolve(container, Tokens.Config)),
    appLocals: app.locals,
  });
  return { app, listener: (req, res) => { if (!hot(req, res)) app(req, res); } };
}

function buildApp(container: DependencyContainer, options: AppOptions): { app: Express; activity: ActivityMonitor } {
  const config = resolve(container, Tokens.Config);
  const document = loadOpenApiDocument();
  const activity = new ActivityMonitor(resolve(container, Tokens.Clock), new RouteLabels([...Object.keys(document.paths ?? {}), '/openapi.yaml', '/openapi.json']));
  const uploadDir = resolve(container, Tokens.Scratch).path('uploads');
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Express's weak ETag, made as the short route of hot-reads.ts makes it.
  app.set('etag', (body: string | Buffer, encoding?: BufferEncoding) => weakTag(Buffer.isBuffer(body) ? body : Buffer.from(body, encoding)));
  if (config.publicUrl !== undefined) app.locals.publicUrl = config.publicUrl;
  app.locals.listeningUrl = listeningUrlOf(config.host, config.port);
  app.use(securityHeaders(config));

  app.use(requestLog(resolve(container, Tokens.Pino)));
  app.use(activity.middleware);
  app.use(ownRequestFiles);
  app.use(requestTiming);
  // The Hugging Face–compatible read API authenticates on its own (Authorization: Bearer) and
  // answers in the Hub's shapes, so it sits before the registry's own parsing and validation.
  app.use(hubRoutes(container));

  app.get('/openapi.yaml', (_req, res) => res.sendFile(openApiPath()));
  app.get('/openapi.json', (_req, res) => res.json(document));
  app.use('/docs', swaggerUi.serve, interactiveDocs(document, config.publicUrl));
  // The web UI: static files built from web/ (npm run build:web); it calls this same API.
  const webRoot = webDistPath();
  if (webRoot !== undefined) {
    const files = express.static(webRoot, { index: 'index.html', fallthrough: true, maxAge: '5m' });
    // Only the page and its top-level assets: an API request must not cost a file-system lookup.
    app.use((req, res, next) => (WEB_FILE.test(req.path) ? files(req, res, next) : next()));
  }

  app.use(express.json({ limit: '1mb', strict: false }));
  app.use(authenticate(container));
  app.use(dropReadOnlyFields);
  // The document parsed once above, rather than the file: the validator would read and parse it again.
  app.use(openApiValidator(loadOpenApiDocument(), {
    validateRequests: { allowUnknownQueryParameters: false },
    validateResponses: options.validateResponses === true ? { removeAdditional: false } : false,
    validateSecurity: false,
    fileUploader: { dest: uploadDir, limits: { fileSize: config.maxUploadBytes, files: 1, fields: 10 } },
  }));
  app.use(uploadStaging(uploadDir, config.maxUploadBytes, resolve(container, Tokens.DiskSpace)));

  app.use(publicRoutes(container, new HealthReport(container, activity, resolve(container, Tokens.Clock).now()), options.version ?? '0.1.0'));
  app.use(searchRoutes(container));
  app.use(artifactRoutes(container));
  app.use(securityRoutes(container));
  app.use(analysisRoutes(container));
  app.use(sensitivityRoutes(container));
  app.use(adminRoutes(container));
  app.use(userRoutes(container));
  app.use(performanceRoutes(container));
  app.use(transactionRoutes(container));
  app.use(notFound);
  app.use(errorHandler);
  return { app, activity };
}

/** The docs page embeds the whole document; it is rendered at its first visit rather than at start-up. */
function interactiveDocs(document: Record<string, unknown>, publicUrl: string | undefined): RequestHandler {
  let page: RequestHandler | undefined;
  return (req, res, next) => {
    page ??= swaggerUi.setup(interactiveDocument(document, publicUrl), { customSiteTitle: 'Trustworthy Model Registry API' });
    page(req, res, next);
  };
}

/**
 * `download_url` is the registry's own output. A client that sends an artifact it read back with PUT
 * is doing something natural, so the field is dropped rather than rejected as read-only.
 */
const dropReadOnlyFields: RequestHandler = (req, _res, next) => {
  const data = (req.body as { data?: Record<string, unknown> } | undefined)?.data;
  if (req.method === 'PUT' && typeof data === 'object' && data !== null) delete data.download_url;
  next();
};
