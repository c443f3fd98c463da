import { LRUCache } from 'lru-cache';
import { DomainError, ErrorCode } from '../../domain/errors';
import type { Logger } from '../../ports/system.port';

export interface UpstreamOptions {
  /** How users know the service: "Hugging Face", "GitHub". */
  readonly name: string;
  readonly baseUrl: string;
  readonly token?: string;
  readonly authorization: (token: string) => string;
  /** Hosts a redirect may lead to besides the base URL's own (a CDN, an archive host). */
  readonly redirectHosts: readonly string[];
  readonly timeoutMs: number;
  readonly retries?: number;
  /** A source asking us to wait longer than this is reported as rate-limited instead of waited for. */
  readonly maxRetryDelayMs?: number;
  /** Which GET requests return small metadata worth caching and sharing between callers. */
  readonly isMetadata: (url: URL) => boolean;
  readonly cacheTtlMs?: number;
  readonly logger: Logger;
  readonly sleep?: (ms: number) => Promise<void>;
}

interface CachedResponse {
  readonly status: number;
  readonly headers: [string, string][];
  readonly body: Uint8Array;
  readonly url: string;
}

const MAX_REDIRECTS = 5;
const MAX_CACHED_BODY = 2 * 1024 * 1024;

/**
 * The only way the registry talks to an upstream. It pins every request — redirects included — to the
 * configured hosts, sends credentials only to the base origin, bounds each attempt in time (headers,
 * then every gap between body chunks), retries transient failures with back-off that honours
 * `Retry-After` and GitHub's rate-limit reset, and shares and caches metadata responses so a burst
 * of identical requests costs one upstream call.
 */
export class UpstreamClient {
  private readonly base: URL;
  private readonly cache: LRUCache<string, CachedResponse>;
  private readonly inFlight = new Map<string, Promise<CachedResponse>>();
  private readonly retries: number;
  private readonly maxRetryDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: UpstreamOptions) {
    this.base = new URL(options.baseUrl);
    this.retries = options.retries ?? 3;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 10_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms)));
    this.cache = new LRUCache({ max: 1_000, ttl: options.cacheTtlMs ?? 5 * 60_000, maxSize: 64 * 1024 * 1024, sizeCalculation: (entry) => entry.body.length + 256 });
  }

  /** A `fetch` with this client's policies, for libraries that accept one. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    this.assertAllowed(url, url);
    if (method !== 'GET' || headers.has('range') || !this.options.isMetadata(url)) {
      return this.attempts(url, method, headers, init?.body ?? null);
    }
    const key = `${url.href}\n${headers.get('accept') ?? ''}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return toResponse(cached);
    let shared = this.inFlight.get(key);
    if (shared === undefined) {
      shared = this.attempts(url, method, headers, null).then((response) => this.remember(key, response));
      this.inFlight.set(key, shared);
      void shared.finally(() => this.inFlight.delete(key)).catch(() => undefined);
    }
    return toResponse(await shared);
  };

  /** The base URL joined with a path, for adapters that build requests themselves. */
  url(path: string): URL {
    return new URL(`${this.base.href.replace(/\/+$/, '')}${path}`);
  }

  /**
   * Metadata bodies are small and read whole, so each waiter can get its own copy; only successful
   * ones are cached.
   */
  private async remember(key: string, response: Response): Promise<CachedResponse> {
    const body = new Uint8Array(await response.arrayBuffer());
    const entry: CachedResponse = { status: response.status, headers: [...response.headers.entries()], body, url: response.url };
    if (response.status === 200 && body.length <= MAX_CACHED_BODY) this.cache.set(key, entry);
    return entry;
  }

  private async attempts(url: URL, method: string, headers: Headers, body: RequestInit['body']): Promise<Response> {
    const idempotent = method === 'GET' || method === 'HEAD';
    for (let attempt = 0; ; attempt += 1) {
      const last = !idempotent || attempt >= this.retries;
      let response: Response;
      try {
        response = await this.followRedirects(url, method, headers, body);
      } catch (error) {
        if (last || !isTransient(error)) throw this.networkError(error, url);
        await this.sleep(backoff(attempt));
        continue;
      }
      const wait = this.retryDelay(response, attempt);
      if (wait === undefined || last) return response;
      if (wait > this.maxRetryDelayMs) return response;
      await response.body?.cancel().catch(() => undefined);
      this.options.logger.warn(`${this.options.name} answered ${response.status}; retrying`, { url: url.pathname, attempt: attempt + 1, waitMs: wait });
      await this.sleep(wait);
    }
  }

  private async followRedirects(start: URL, method: string, headers: Headers, body: RequestInit['body']): Promise<Response> {
    let url = start;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const sameOrigin = url.origin === this.base.origin;
      const sent = new Headers(headers);
      sent.delete('authorization');
      if (sameOrigin && this.options.token !== undefined) sent.set('authorization', this.options.authorization(this.options.token));
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new UpstreamTimeoutError()), this.options.timeoutMs);
      let response: Response;
      try {
        response = await fetch(url, { method, headers: sent, body, redirect: 'manual', signal: controller.signal });
      } finally {
        clearTimeout(timer);
      }
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) {
        return withIdleTimeout(response, this.options.timeoutMs, () => new DomainError(
          ErrorCode.UpstreamTimeout, `${this.options.name} stopped sending ${url.pathname} for ${this.options.timeoutMs} ms`,
        ));
      }
      await response.body?.cancel().catch(() => undefined);
      const next = new URL(location, url);
      this.assertAllowed(next, start);
      url = next;
    }
    throw new DomainError(ErrorCode.UpstreamUnavailable, `${this.options.name} redirected ${start.pathname} more than ${MAX_REDIRECTS} times`);
  }

  private assertAllowed(url: URL, requested: URL): void {
    const allowed = url.origin === this.base.origin
      || (url.protocol === 'https:' && this.options.redirectHosts.includes(url.hostname));
    if (!allowed) {
      throw new DomainError(ErrorCode.UpstreamUnavailable, `${this.options.name} sent ${requested.pathname} to ${url.origin}, which is not an allowed upstream`);
    }
  }

  /** Milliseconds to wait before retrying, or undefined when the response is final. */
  private retryDelay(response: Response, attempt: number): number | undefined {
    const rateLimited = response.status === 429 || (response.status === 403 && response.headers.get('x-ratelimit-remaining') === '0');
    if (!rateLimited && response.status < 500) return undefined;
    const retryAfter = response.headers.get('retry-after');
    if (retryAfter !== null) {
      const seconds = Number(retryAfter);
      return Number.isFinite(seconds) ? Math.max(0, seconds * 1000) : Math.max(0, Date.parse(retryAfter) - Date.now());
    }
    const reset = response.headers.get('x-ratelimit-reset');
    if (rateLimited && reset !== null && Number.isFinite(Number(reset))) return Math.max(0, Number(reset) * 1000 - Date.now());
    return backoff(attempt);
  }

  private networkError(error: unknown, url: URL): DomainError {
    if (error instanceof DomainError) return error;
    if (error instanceof UpstreamTimeoutError || (error instanceof Error && error.name === 'TimeoutError')) {
      return new DomainError(ErrorCode.UpstreamTimeout, `${this.options.name} did not answer ${url.pathname} within ${this.options.timeoutMs} ms`);
    }
    const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    return new DomainError(ErrorCode.UpstreamUnavailable, `${this.options.name} could not be reached for ${url.pathname}: ${cause}`);
  }
}

class UpstreamTimeoutError extends Error {
  constructor() {
    super('upstream timeout');
    this.name = 'UpstreamTimeoutError';
  }
}

// Exponential back-off with full jitter: 250 ms, 500 ms, 1 s… spread so retries from many requests do not align.
const backoff = (attempt: number): number => Math.random() * 250 * 2 ** attempt;

function isTransient(error: unknown): boolean {
  if (error instanceof DomainError) return error.code === ErrorCode.UpstreamTimeout;
  return error instanceof UpstreamTimeoutError || error instanceof TypeError || (error instanceof Error && error.name === 'AbortError');
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

function toResponse(cached: CachedResponse): Response {
  const body = NULL_BODY_STATUSES.has(cached.status) ? null : cached.body.slice();
  const response = new Response(body, { status: cached.status, headers: cached.headers });
  Object.defineProperty(response, 'url', { value: cached.url });
  return response;
}

/** Errors the body when no chunk arrives for `ms`: a stalled or truncated transfer must not hang a request. */
function withIdleTimeout(response: Response, ms: number, timeoutError: () => Error): Response {
  if (response.body === null) return response;
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let timer: NodeJS.Timeout | undefined;
      const stalled = new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(timeoutError()), ms);
      });
      try {
        const chunk = await Promise.race([reader.read(), stalled]);
        if (chunk.done) controller.close();
        else controller.enqueue(chunk.value);
      } catch (error) {
        void reader.cancel().catch(() => undefined);
        controller.error(error);
      } finally {
        clearTimeout(timer);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
  const wrapped = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(wrapped, 'url', { value: response.url });
  return wrapped;
}
