import 'reflect-metadata';
import { rm } from 'node:fs/promises';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import serverless from 'serverless-http';
import type { DependencyContainer } from 'tsyringe';
import { SeedDefaultAdmin } from '../../application/seed-default-admin.use-case';
import { SweepUnusedContent, type SweepReport } from '../../application/sweep-unused-content.use-case';
import { SweepTransactions } from '../../application/transactions.use-cases';
import { loadConfig, type Config } from '../../config';
import { ErrorCode, isDomainError } from '../../domain/errors';
import { createContainer, resolve } from '../di/container';
import { Tokens } from '../di/tokens';
import { createApp } from '../http/app';
import { GATEWAY_BASE_URL } from '../http/presenters';

export type ApiGatewayEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2;
export type ApiGatewayResult = APIGatewayProxyResult | APIGatewayProxyStructuredResultV2;
export type LambdaHandler = (event: ApiGatewayEvent, context: Context) => Promise<ApiGatewayResult>;

/** Responses of these types go back base64-encoded; API Gateway decodes them for the client. */
export const BINARY_CONTENT_TYPES = ['application/zip', 'application/octet-stream', 'application/gzip', 'image/*', 'font/*'];

export interface LambdaRegistry {
  readonly handler: LambdaHandler;
  /** Releases what the cold start opened (tests; Lambda itself just freezes the process). */
  close(): Promise<void>;
}

export interface LambdaOptions {
  readonly validateResponses?: boolean;
  /** Replaces registrations before anything is resolved (tests swap the password hasher). */
  readonly configure?: (container: DependencyContainer) => void;
}

interface Ready {
  readonly container: DependencyContainer;
  readonly handle: (event: ApiGatewayEvent, context: Context) => Promise<unknown>;
}

/**
 * The registry as a Lambda function: the same Express app as `server.ts`, wrapped by serverless-http.
 * The container, the app and the default admin are made once per cold start, on the first
 * invocation, and reused while the instance lives. A cold start that fails (S3 unreachable while
 * seeding the admin) answers 503 and is retried by the next invocation instead of being cached.
 */
export function createLambdaRegistry(settings: () => Config, options: LambdaOptions = {}): LambdaRegistry {
  let ready: Promise<Ready> | undefined;

  const start = async (): Promise<Ready> => {
    const container = createContainer(settings());
    options.configure?.(container);
    try {
      await resolve(container, Tokens.Lifecycle).start();
      await container.resolve(SeedDefaultAdmin).execute();
    } catch (error) {
      await resolve(container, Tokens.Lifecycle).close();
      throw error;
    }
    const app = createApp(container, { validateResponses: options.validateResponses === true });
    const handle = serverless(app, { binary: BINARY_CONTENT_TYPES, request: carryGatewayContext, response: removeStagedUpload });
    return { container, handle: (event, context) => handle(event, context) };
  };

  return {
    handler: async (event, context) => {
      ready ??= start();
      let app: Ready;
      try {
        app = await ready;
      } catch (error) {
        ready = undefined;
        return coldStartFailure(error, requestIdOf(event) ?? context.awsRequestId);
      }
      return (await app.handle(event, context)) as ApiGatewayResult;
    },
    close: async () => {
      const current = ready;
      ready = undefined;
      const app = await current?.catch(() => undefined);
      if (app !== undefined) await resolve(app.container, Tokens.Lifecycle).close();
    },
  };
}

/**
 * The app logs and echoes `X-Request-Id`. API Gateway's own request id wins over anything a client
 * sent, so a log line can always be found from the gateway's access log and vice versa. Its
 * base64-style characters are mapped to the ones the app accepts (`+/` to `-_`, padding dropped).
 */
function carryGatewayContext(request: { headers: Record<string, string | string[] | undefined> }, event: ApiGatewayEvent): void {
  const id = requestIdOf(event);
  if (id !== undefined) request.headers['x-request-id'] = id;
  const base = gatewayBaseUrlOf(event);
  if (base !== undefined) (request as unknown as Record<symbol, unknown>)[GATEWAY_BASE_URL] = base;
}

/**
 * Links default to the domain API Gateway was invoked through (from its request context, which a
 * client cannot forge the way it can forge Host), plus the stage when a REST API's URL carries it.
 */
function gatewayBaseUrlOf(event: ApiGatewayEvent): string | undefined {
  const context = event.requestContext as { domainName?: unknown; stage?: unknown; path?: unknown } | undefined;
  if (typeof context?.domainName !== 'string' || context.domainName === '') return undefined;
  const stage = typeof context.stage === 'string' && context.stage !== '$default' ? `/${context.stage}` : '';
  const staged = typeof context.path === 'string' && stage !== '' && context.path.startsWith(`${stage}/`);
  return `https://${context.domainName}${staged ? stage : ''}`;
}

/**
 * Lambda freezes the process as soon as the handler returns, so the app's own clean-up after the
 * response could wait for the next invocation; removing the staged zip before answering keeps /tmp
 * at no more than the one upload in flight.
 */
async function removeStagedUpload(response: { locals?: { upload?: { path?: unknown } } }): Promise<void> {
  const path = response.locals?.upload?.path;
  if (typeof path === 'string') await rm(path, { force: true });
}

function requestIdOf(event: ApiGatewayEvent): string | undefined {
  const raw = (event.requestContext as { requestId?: unknown } | undefined)?.requestId;
  if (typeof raw !== 'string' || raw === '') return undefined;
  return raw.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '').slice(0, 128);
}

function coldStartFailure(error: unknown, requestId: string): ApiGatewayResult {
  const unavailable = isDomainError(error) && error.code === ErrorCode.StorageUnavailable;
  // No logger exists yet when configuration itself failed; stderr reaches CloudWatch all the same.
  process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'cold start failed', requestId, err: String(error) })}\n`);
  const body = unavailable
    ? { code: error.code, message: error.message, request_id: requestId }
    : { code: 'SERVER.ERROR', message: 'the registry could not start; quote the request id when reporting it', request_id: requestId };
  return {
    statusCode: unavailable ? 503 : 500,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId, ...(unavailable ? { 'retry-after': '5' } : {}) },
    body: JSON.stringify(body),
  };
}

export interface LambdaSweeper {
  /** Invoked by the schedule; the event carries nothing the sweep needs. */
  readonly handler: (event: unknown, context: Context) => Promise<SweepReport & { readonly abortedTransactions: number }>;
  close(): Promise<void>;
}

/**
 * The sweeper as a scheduled function: aborts expired transactions, then removes content no record
 * (or open transaction) refers to once it is older than TMR_SWEEP_GRACE_MS, with the same deletion handshake as every delete, so what a registry instance
 * is storing right now is never removed. The container is kept while the instance lives.
 */
export function createLambdaSweeper(settings: () => Config, options: Pick<LambdaOptions, 'configure'> = {}): LambdaSweeper {
  let ready: Promise<DependencyContainer> | undefined;
  const start = async (): Promise<DependencyContainer> => {
    const container = createContainer(settings());
    options.configure?.(container);
    return container;
  };
  const close = async (): Promise<void> => {
    const current = ready;
    ready = undefined;
    const container = await current?.catch(() => undefined);
    if (container !== undefined) await resolve(container, Tokens.Lifecycle).close();
  };
  return {
    handler: async () => {
      ready ??= start();
      try {
        const container = await ready;
        // Expired transactions first: aborting one releases what it staged, which the content sweep may then remove.
        const abortedTransactions = await container.resolve(SweepTransactions).execute();
        const report = { ...(await container.resolve(SweepUnusedContent).execute()), abortedTransactions };
        resolve(container, Tokens.Logger).info('sweep finished', { ...report });
        return report;
      } catch (error) {
        // The next scheduled run starts afresh (S3 unreachable now may be reachable then).
        await close();
        throw error;
      }
    },
    close,
  };
}

/** The entry points named in infra/template.yaml: configuration from the function's environment. */
export const { handler } = createLambdaRegistry(() => loadConfig());
export const { handler: sweep } = createLambdaSweeper(() => loadConfig());
