import type { ServerResponse } from 'node:http';
import type { RequestHandler, Response } from 'express';
import type { StageTimer } from '../../ports/system.port';

const NAME = /^[A-Za-z0-9_-]+$/;

/** One request's stage durations, reported in a `Server-Timing` header (W3C Server Timing). */
export class RequestTiming implements StageTimer {
  private readonly started = performance.now();
  // Few stages per request (auth, and a download's): a list is cheaper to keep than a Map.
  private readonly stages: { readonly name: string; ms: number }[] = [];

  async measure<T>(stage: string, work: () => Promise<T>): Promise<T> {
    const began = performance.now();
    try {
      return await work();
    } finally {
      this.add(stage, performance.now() - began);
    }
  }

  /** `auth;dur=0.41, metadata;dur=0.12, total;dur=1.03`, or nothing when no stage was timed. */
  header(): string | undefined {
    if (this.stages.length === 0) return undefined;
    let header = '';
    for (const { name, ms } of this.stages) header += `${name};dur=${ms.toFixed(2)}, `;
    return `${header}total;dur=${(performance.now() - this.started).toFixed(2)}`;
  }

  // A name that is not a header token is timed but never reported.
  private add(stage: string, ms: number): void {
    if (!NAME.test(stage)) return;
    const known = this.stages.find((entry) => entry.name === stage);
    if (known === undefined) this.stages.push({ name: stage, ms });
    else known.ms += ms;
  }
}

export const timingOf = (res: Pick<Response, 'locals'>): RequestTiming | undefined => res.locals.timing as RequestTiming | undefined;

/**
 * Gives each request a timing and writes it as the headers go out, whichever route sends them:
 * `total` is then the server's time before the first byte. Node's implicit headers go through
 * `writeHead` too, so wrapping it on the response covers `res.json`, `res.end` and piped streams.
 */
export const requestTiming: RequestHandler = (_req, res, next) => {
  timeResponse(res, res.locals);
  next();
};

/** What `requestTiming` does, for a response answered outside Express. */
export function timeResponse(res: ServerResponse, locals: Record<string, unknown>): RequestTiming {
  const timing = new RequestTiming();
  locals.timing = timing;
  const writeHead = res.writeHead;
  res.writeHead = function timedWriteHead(this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
    const header = timing.header();
    if (header !== undefined && !this.headersSent) this.setHeader('Server-Timing', header);
    return writeHead.apply(this, args);
  } as ServerResponse['writeHead'];
  return timing;
}
