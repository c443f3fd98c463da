import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { TOKEN_MAX_USES } from '../../domain/user';

export interface Exchange {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body, when asked to keep it; otherwise only counted. */
  readonly body?: Buffer;
  readonly bytes: number;
  /** Milliseconds from sending to the response headers, and to the last byte. */
  readonly ttfbMs: number;
  readonly latencyMs: number;
}

export interface ExchangeOptions {
  readonly method: string;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer;
  /** Keep the body (JSON answers); downloads are only counted. */
  readonly keep?: boolean;
  readonly timeoutMs?: number;
}

const RETRIES_ON_STALE_SOCKET = 2;

/**
 * One HTTP exchange on a shared keep-alive agent, timed with the monotonic clock from the first
 * attempt. A request sent on a reused connection that the server had just closed (its keep-alive
 * timeout runs from when it finished writing, which can be seconds before a slow client has read
 * the end of a large response) is sent again, as browsers and curl do; nothing else is retried.
 */
export function exchange(agent: Agent, url: URL, options: ExchangeOptions): Promise<Exchange> {
  return attempt(agent, url, options, performance.now(), RETRIES_ON_STALE_SOCKET);
}

function attempt(agent: Agent, url: URL, options: ExchangeOptions, started: number, retries: number): Promise<Exchange> {
  return new Promise((done, fail) => {
    let answered = false;
    const headers = { ...options.headers, ...(options.body === undefined ? {} : { 'Content-Length': String(options.body.length) }) };
    const req = request(url, { method: options.method, agent, headers, timeout: options.timeoutMs ?? 120_000 }, (res) => {
      answered = true;
      const ttfbMs = performance.now() - started;
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (options.keep === true) chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('aborted', () => fail(new Error('the response was cut off')));
      res.on('end', () => {
        done({
          status: res.statusCode ?? 0,
          headers: res.headers,
          bytes,
          ttfbMs,
          latencyMs: performance.now() - started,
          ...(options.keep === true ? { body: Buffer.concat(chunks) } : {}),
        });
      });
    });
    req.on('timeout', () => req.destroy(new Error('the request timed out')));
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!answered && req.reusedSocket && error.code === 'ECONNRESET' && retries > 0) {
        attempt(agent, url, options, started, retries - 1).then(done, fail);
        return;
      }
      fail(error);
    });
    req.end(options.body);
  });
}

/**
 * One client's tokens: it signs in with a password and spends each token's 1,000 calls exactly,
 * signing in again (once, however many callers are waiting) when one is used up.
 */
export class TokenSupply {
  private token: string | undefined;
  private uses = 0;
  private renewing: Promise<void> | undefined;

  constructor(private readonly signIn: () => Promise<string>) {}

  /** A token with one call left to spend on the caller. */
  async authorization(): Promise<string> {
    for (;;) {
      if (this.token !== undefined && this.uses < TOKEN_MAX_USES) {
        this.uses += 1;
        return this.token;
      }
      await this.renew();
    }
  }

  /** Signs in now, so that the first call does not pay for it. */
  async warm(): Promise<void> {
    if (this.token === undefined) await this.renew();
  }

  /** The registry rejected this token (revoked, expired): the next call signs in again. */
  rejected(token: string): void {
    if (this.token === token) this.uses = TOKEN_MAX_USES;
  }

  private renew(): Promise<void> {
    this.renewing ??= this.signIn().then((token) => {
      this.token = token;
      this.uses = 0;
    }).finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }
}

/** The registry as a client sees it, over one keep-alive agent. */
export class RegistryClient {
  private readonly tokens: TokenSupply;

  constructor(
    readonly baseUrl: URL,
    readonly agent: Agent,
    private readonly user: { readonly name: string; readonly password: string },
  ) {
    this.tokens = this.newTokenSupply();
  }

  /**
   * Tokens of their own for one simulated client, as each real client signs in for itself (and so
   * that a hundred clients do not all count their calls on one token's record).
   */
  newTokenSupply(): TokenSupply {
    return new TokenSupply(() => this.signIn());
  }

  url(path: string): URL {
    return new URL(path, this.baseUrl);
  }

  /** An authenticated call with a JSON (or no) body whose answer is kept. */
  async call(method: string, path: string, init: { json?: unknown; body?: Buffer; contentType?: string } = {}): Promise<Exchange> {
    const token = await this.tokens.authorization();
    const body = init.json === undefined ? init.body : Buffer.from(JSON.stringify(init.json));
    const contentType = init.json === undefined ? init.contentType : 'application/json';
    const answer = await exchange(this.agent, this.url(path), {
      method, keep: true, ...(body === undefined ? {} : { body }), headers: { 'X-Authorization': token, ...(contentType === undefined ? {} : { 'Content-Type': contentType }) },
    });
    if (answer.status === 403) this.tokens.rejected(token);
    return answer;
  }

  private async signIn(): Promise<string> {
    const answer = await exchange(this.agent, this.url('/authenticate'), {
      method: 'PUT',
      keep: true,
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.from(JSON.stringify({ user: { name: this.user.name, is_admin: false }, secret: { password: this.user.password } })),
    });
    if (answer.status !== 200) throw new Error(`the load driver could not sign in as ${this.user.name}: HTTP ${answer.status}`);
    return JSON.parse((answer.body ?? Buffer.alloc(0)).toString('utf8')) as string;
  }
}

export const jsonOf = <T>(answer: Exchange): T => JSON.parse((answer.body ?? Buffer.alloc(0)).toString('utf8')) as T;
