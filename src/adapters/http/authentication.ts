import type { IncomingMessage } from 'node:http';
import type { RequestHandler, Response } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { AuthorizeToken } from '../../application/authorize-token.use-case';
import { timingOf } from './request-timing';

const PUBLIC_PATHS = [/^\/health(\/|$)/, /^\/tracks$/];
// PUT /authenticate signs in without a token; DELETE /authenticate signs out the token it is sent with.
const isPublic = (method: string, path: string): boolean => PUBLIC_PATHS.some((pattern) => pattern.test(path)) || (path === '/authenticate' && method !== 'DELETE');

/** Spends one use of the request's token and records who sent it (`res.locals.user`, `res.locals.tokenHash`). */
export async function identifyRequest(container: DependencyContainer, req: IncomingMessage, res: Pick<Response, 'locals'>): Promise<void> {
  const header = req.headers['x-authorization'];
  const identify = () => container.resolve(AuthorizeToken).identify(Array.isArray(header) ? header[0] : header);
  const timing = timingOf(res);
  const { user, tokenHash } = timing === undefined ? await identify() : await timing.measure('auth', identify);
  res.locals.user = user;
  res.locals.tokenHash = tokenHash;
}

/** Every route but the public ones needs a token; the contract wants 403 for a missing one before any other validation. */
export function authenticate(container: DependencyContainer): RequestHandler {
  return async (req, res, next) => {
    if (isPublic(req.method, req.path)) {
      next();
      return;
    }
    try {
      await identifyRequest(container, req, res);
      next();
    } catch (error) {
      next(error);
    }
  };
}
