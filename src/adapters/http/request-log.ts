import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler, Response } from 'express';
import type { Logger as Pino } from 'pino';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * One log line per answered request: its id, method, path, status and time. This replaced pino-http,
 * which built two child loggers per request and serialised every request's headers (through the
 * redaction) into them: half the CPU of a small read. Nothing here runs per request beyond the id
 * and a listener; a logger bound to the request id is made only when something logs about it.
 */
export function requestLog(logger: Pino): RequestHandler {
  return (req, res, next) => {
    logRequest(logger, req, res, res.locals);
    next();
  };
}

// The request line's fields are fixed (id, method, path, address, status, time) and none is a redacted
// path, so it is written by a child that skips redaction: redaction copied the line's objects to look
// for paths that are never there, half the cost of every answered request's line. Every other line,
// including those of `requestLogger`, is still redacted.
const lineLoggers = new WeakMap<Pino, Pino>();

function lineLogger(logger: Pino): Pino {
  let line = lineLoggers.get(logger);
  if (line === undefined) {
    line = logger.child({}, { redact: [] });
    lineLoggers.set(logger, line);
  }
  return line;
}

/** What `requestLog` does, for a response answered outside Express (`locals` stands in for `res.locals`). */
export function logRequest(logger: Pino, req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, locals: Record<string, unknown>): void {
  const started = performance.now();
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  locals.requestId = id;
  locals.logger = logger;
  const line = lineLogger(logger);
  let logged = false;
  const done = (): void => {
    if (logged) return;
    logged = true;
    const fields = {
      requestId: id,
      req: { method: req.method, url: req.originalUrl ?? req.url, remoteAddress: (req.socket as { remoteAddress?: string } | undefined)?.remoteAddress },
      res: { statusCode: res.statusCode },
      responseTime: Math.round(performance.now() - started),
    };
    if (res.statusCode >= 500) line.error(fields, 'request errored');
    // Under serverless-http the request stream never ends, so only the response's state tells.
    else line.info(fields, res.writableEnded || !res.destroyed ? 'request completed' : 'request aborted');
  };
  res.once('finish', done);
  res.once('close', done);
}

/** The logger for lines about this request, carrying its id; undefined before `requestLog` ran. */
export function requestLogger(res: Pick<Response, 'locals'>): Pino | undefined {
  const logger = res.locals.logger as Pino | undefined;
  return logger?.child({ requestId: res.locals.requestId as string });
}
