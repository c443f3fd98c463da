import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { User } from '../../../domain/user';
import { baseUrlOf } from '../presenters';

/** What a read needs from its request, whichever route received it. */
export interface ReadInput {
  readonly actor: User;
  /** Path parameters, as the route template names them, not yet checked. */
  readonly params: Readonly<Record<string, string>>;
  /** Query parameters the OpenAPI validator accepted (none on the short route). */
  readonly query: Readonly<Record<string, unknown>>;
  readonly passive: boolean;
  readonly baseUrl: string;
}

/** A 200 answer: its JSON body and any headers beside it. */
export interface ReadAnswer {
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Read = (input: ReadInput) => Promise<ReadAnswer>;

/** `X-Passive-View: true`: a read for display that nobody asked for, left out of the audit trail. */
export const isPassiveView = (req: IncomingMessage): boolean => req.headers['x-passive-view'] === 'true';

/**
 * A read as an Express route. The frequent ones are also answered by the short route of
 * hot-reads.ts, which calls the same `Read`: both routes answer the same way by construction.
 */
export function routeOf(read: Read): RequestHandler {
  return async (req, res) => {
    const answer = await read({
      actor: res.locals.user as User,
      params: req.params as Record<string, string>,
      query: req.query as Record<string, unknown>,
      passive: isPassiveView(req),
      baseUrl: baseUrlOf(req),
    });
    for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
    res.status(200).json(answer.body);
  };
}
