import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { ErrorCode, isDomainError } from '../../domain/errors';
import { asStorageError } from '../system/disk-space';
import { requestLogger } from './request-log';

/** The one table from domain error codes to HTTP statuses; the contract fixes the odd ones (403, 401). */
const STATUS_BY_CODE: Record<ErrorCode, number> = {
  [ErrorCode.InvalidInput]: 400,
  [ErrorCode.PayloadTooLarge]: 413,
  // The contract answers a missing or bad token with 403 and a missing permission with 401.
  [ErrorCode.Unauthenticated]: 403,
  [ErrorCode.BadCredentials]: 401,
  [ErrorCode.TooManyAttempts]: 429,
  [ErrorCode.Forbidden]: 401,
  [ErrorCode.ArtifactNotFound]: 404,
  [ErrorCode.ArtifactConflict]: 409,
  [ErrorCode.NoMatch]: 404,
  [ErrorCode.InvalidPackage]: 400,
  [ErrorCode.PackageUnsafe]: 422,
  [ErrorCode.UnsupportedSource]: 400,
  [ErrorCode.SourceNotFound]: 404,
  [ErrorCode.SourceTooLarge]: 413,
  [ErrorCode.SourceAccessDenied]: 502,
  [ErrorCode.SourceIntegrity]: 502,
  [ErrorCode.UpstreamUnavailable]: 502,
  [ErrorCode.UpstreamRateLimited]: 503,
  [ErrorCode.UpstreamTimeout]: 504,
  [ErrorCode.RatingBelowThreshold]: 424,
  // The contract: 404 "until a rating result exists"; 500 when computing a metric failed.
  [ErrorCode.RatingUnavailable]: 404,
  [ErrorCode.RatingFailed]: 500,
  [ErrorCode.LineageUnavailable]: 400,
  [ErrorCode.StorageUnavailable]: 503,
  [ErrorCode.StorageFull]: 507,
  [ErrorCode.RegistryResetting]: 503,
  [ErrorCode.UserNotFound]: 404,
  [ErrorCode.UserExists]: 409,
  [ErrorCode.UserProtected]: 409,
  // A sensitive model's own program said no: 451, refused for a reason other than the caller's credentials.
  [ErrorCode.DownloadRefused]: 451,
  [ErrorCode.HookUnavailable]: 503,
  [ErrorCode.PerformanceRunActive]: 409,
  [ErrorCode.PerformanceRunNotFound]: 404,
  [ErrorCode.PerformanceUnavailable]: 503,
  [ErrorCode.TransactionNotFound]: 404,
  // Gone rather than a conflict: waiting or retrying cannot revive it; open a new one.
  [ErrorCode.TransactionExpired]: 410,
  [ErrorCode.TransactionClosed]: 409,
  [ErrorCode.TransactionLimit]: 409,
};

export const statusOf = (code: ErrorCode): number => STATUS_BY_CODE[code];

interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
  request_id?: string;
}

interface HttpLikeError {
  status: number;
  message: string;
  errors?: { path?: string; message?: string }[];
  type?: string;
}

const isHttpLike = (error: unknown): error is HttpLikeError =>
  typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number';

/** Codes for errors raised by Express, the body parser and the OpenAPI validator. */
function codeForStatus(status: number, type?: string): string {
  if (type === 'entity.parse.failed') return 'REQUEST.MALFORMED_JSON';
  switch (status) {
    case 404: return 'ROUTE.NOT_FOUND';
    case 405: return 'ROUTE.METHOD_NOT_ALLOWED';
    case 413: return ErrorCode.PayloadTooLarge;
    case 415: return 'REQUEST.UNSUPPORTED_MEDIA_TYPE';
    default: return status < 500 ? ErrorCode.InvalidInput : 'SERVER.ERROR';
  }
}

function describe(error: HttpLikeError): string {
  if (error.type === 'entity.parse.failed') return 'the request body is not valid JSON';
  if (error.type === 'entity.too.large') return 'the request body is larger than this endpoint accepts';
  const details = (error.errors ?? [])
    .map((item) => [item.path, item.message].filter(Boolean).join(' '))
    .filter((text) => text.length > 0);
  return details.length > 0 ? details.join('; ') : error.message;
}

const CLIENT_GONE_CODES = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_UNABLE_TO_PIPE']);

/**
 * The client hung up (a download cancelled, an upload abandoned, or a connection closed a moment
 * before the last write was acknowledged): nothing is wrong with the registry and nobody is left to
 * answer. Only a failure the client's departure explains counts; the same error with the client
 * still connected is a real one.
 */
function clientWentAway(error: unknown, req: IncomingMessage, res: ServerResponse): boolean {
  const connectionGone = res.destroyed || req.destroyed || req.socket?.destroyed === true;
  if (!connectionGone) return false;
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : '';
  return CLIENT_GONE_CODES.has(String(code)) || message === 'aborted' || message === 'Premature close';
}

/**
 * The validator's multer reports every failure to read a multipart body that is not one of its own
 * limits — a body cut short, a malformed part, a full disk — as a bare 500 carrying only the message.
 * Reading the body is the client's part unless the disk is what failed.
 */
function multipartFailure(error: unknown, req: Request): unknown {
  if (!isHttpLike(error) || error.status !== 500 || !req.is('multipart/form-data')) return undefined;
  if (/^(ENOSPC|EDQUOT)\b/.test(error.message)) return asStorageError(Object.assign(new Error(error.message), { code: 'ENOSPC' }));
  return Object.assign(new Error(`the multipart body could not be read (${error.message}): send one complete form with the zip in the "file" field`), { status: 400 });
}

export const errorHandler: ErrorRequestHandler = (thrown: unknown, req, res, _next) => {
  const answer = errorAnswer(thrown, req, res, (error) => multipartFailure(error, req));
  if (answer !== undefined) res.status(answer.status).json(answer.body);
};

/**
 * How a failure is answered: the status and body to send (a Retry-After header is set already), or
 * undefined when there is nobody to answer or the status line is gone (the connection is then cut).
 * Shared by the error handler and the short route of hot-reads.ts.
 */
export function errorAnswer(
  thrown: unknown,
  req: IncomingMessage,
  res: ServerResponse & Pick<Response, 'locals'>,
  reinterpret: (error: unknown) => unknown = () => undefined,
): { status: number; body: ErrorBody } | undefined {
  const requestId = String(res.locals.requestId ?? '');
  if (clientWentAway(thrown, req, res)) {
    requestLogger(res)?.debug({ err: thrown }, 'client closed the connection before the answer was complete');
    if (!res.destroyed) res.destroy();
    return undefined;
  }
  const error = reinterpret(thrown) ?? asStorageError(thrown);
  let status: number;
  let body: ErrorBody;
  if (isDomainError(error)) {
    status = statusOf(error.code);
    body = { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) };
  } else if (isHttpLike(error) && error.status >= 400 && error.status < 500) {
    status = error.status;
    body = { code: codeForStatus(status, error.type), message: describe(error) };
  } else {
    status = 500;
    body = { code: 'SERVER.ERROR', message: 'the registry failed to handle this request; quote the request id when reporting it' };
    requestLogger(res)?.error({ err: error }, 'unhandled error');
  }
  if (status >= 500 && status !== 500) requestLogger(res)?.warn({ err: error }, body.message);
  if (res.headersSent) {
    // The status line is gone; all that is left is to stop sending a body that would be wrong.
    res.destroy();
    return undefined;
  }
  const retryAfter = body.details?.retry_after_seconds;
  if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
  return { status, body: { ...body, request_id: requestId } };
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(Object.assign(new Error(`no route for ${req.method} ${req.path}`), { status: 404 }));
};
