import type { Fault } from './faults';
import { jsonResponse, type FakeResponse } from './http-kit';

export type Upstream = 'hf' | 'github' | 'other';

const RATE_LIMIT_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';

/** The answer a status fault gives, shaped like the upstream it imitates. */
export function statusFaultResponse(upstream: Upstream, fault: Fault, nowSeconds: number): FakeResponse | undefined {
  if (!('status' in fault)) return undefined;
  const retryAfter = 'retryAfterSeconds' in fault ? fault.retryAfterSeconds : undefined;
  if (upstream === 'github') {
    if (retryAfter === undefined) return jsonResponse(fault.status, { message: 'Server Error' });
    const limited = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(nowSeconds + retryAfter) };
    const message = fault.status === 403 ? 'API rate limit exceeded for 127.0.0.1.' : 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
    return jsonResponse(fault.status, { message, documentation_url: RATE_LIMIT_DOCS, status: String(fault.status) }, fault.status === 429 ? { ...limited, 'retry-after': String(retryAfter) } : limited);
  }
  if (retryAfter === undefined) return jsonResponse(fault.status, { error: 'Internal Error - We\'re working hard to fix this as soon as possible!' });
  const message = 'You have exceeded our hourly quotas for action: api. We invite you to retry later.';
  return jsonResponse(fault.status, { error: message }, { 'retry-after': String(retryAfter), 'x-error-code': 'RateLimited' });
}

/** GitHub's core budget: every API response carries it, and an exhausted budget answers 403. */
export class GithubRateLimit {
  private used = 0;

  constructor(
    private readonly limit: number,
    private readonly nowSeconds: () => number,
    private resetAt = nowSeconds() + 3600,
  ) {}

  /** Spends one request; the response to send instead when the budget was already spent. */
  spend(): FakeResponse | undefined {
    if (this.used >= this.limit) {
      return jsonResponse(403, { message: 'API rate limit exceeded for 127.0.0.1.', documentation_url: RATE_LIMIT_DOCS, status: '403' });
    }
    this.used += 1;
    return undefined;
  }

  headers(): Record<string, string> {
    return {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.limit - this.used)),
      'x-ratelimit-reset': String(this.resetAt),
      'x-ratelimit-used': String(this.used),
      'x-ratelimit-resource': 'core',
    };
  }

  restore(): void {
    this.used = 0;
    this.resetAt = this.nowSeconds() + 3600;
  }
}
