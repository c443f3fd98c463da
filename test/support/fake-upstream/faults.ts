import type { FakeResponse } from './http-kit';

/** One request as the fake received it; `server` tells the upstream from the foreign CDN. */
export interface RecordedRequest {
  readonly method: string;
  /** Path and query as sent, e.g. `/hf/api/models/gpt2/revision/HEAD?expand=likes`. */
  readonly path: string;
  readonly url: string;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly server: 'upstream' | 'foreign';
}

export type Fault =
  | { readonly status: 500 | 502 | 503 }
  /** 429 (Hub: Retry-After; GitHub: secondary limit with Retry-After) or 403 (GitHub primary limit: reset only). */
  | { readonly status: 429 | 403; readonly retryAfterSeconds: number }
  /** Never answers; the socket is held until `close()`. */
  | { readonly hang: true }
  /** Sends the headers with the full Content-Length, then `n` body bytes, then destroys the socket. */
  | { readonly truncateAfterBytes: number }
  /** Flips the bits of one byte in the middle of the body; the length stays right. */
  | { readonly corruptBody: true }
  /** Answers normally after the delay. */
  | { readonly delayMs: number };

export interface FaultSpec {
  /** A RegExp is tested against `RecordedRequest.path` (path + query); a function sees the whole request. */
  readonly match: RegExp | ((request: RecordedRequest) => boolean);
  /** How many matching requests it affects; unlimited when absent. */
  readonly times?: number;
  readonly fault: Fault;
}

export interface InjectedFault {
  /** How many requests this fault has affected so far. */
  readonly hits: number;
  remove(): void;
}

/** Body faults only make sense on a successful response with bytes; they wait for one (e.g. after a CDN redirect). */
export const isBodyFault = (fault: Fault): fault is { readonly truncateAfterBytes: number } | { readonly corruptBody: true } =>
  'truncateAfterBytes' in fault || 'corruptBody' in fault;

const hasBytes = (method: string, response: FakeResponse): boolean => method !== 'HEAD' && response.status >= 200 && response.status < 300 && response.body.length > 0;

export class FaultTable {
  private entries: { spec: FaultSpec; hits: number; removed: boolean }[] = [];

  inject(spec: FaultSpec): InjectedFault {
    const entry = { spec, hits: 0, removed: false };
    this.entries.push(entry);
    return {
      get hits() {
        return entry.hits;
      },
      remove: () => {
        entry.removed = true;
      },
    };
  }

  /** The first live fault for this request that acts before routing (status, hang, delay); counts as a hit. */
  beforeRouting(request: RecordedRequest): Fault | undefined {
    return this.take(request, (fault) => !isBodyFault(fault));
  }

  /** The first live body fault for this request, when the response has a body worth mangling. */
  afterRouting(request: RecordedRequest, response: FakeResponse): Fault | undefined {
    return hasBytes(request.method, response) ? this.take(request, isBodyFault) : undefined;
  }

  clear(): void {
    for (const entry of this.entries) entry.removed = true;
    this.entries = [];
  }

  private take(request: RecordedRequest, kind: (fault: Fault) => boolean): Fault | undefined {
    const entry = this.entries.find(({ spec, hits, removed }) => !removed && hits < (spec.times ?? Infinity) && kind(spec.fault) && matches(spec.match, request));
    if (!entry) return undefined;
    entry.hits += 1;
    return entry.spec.fault;
  }
}

function matches(match: FaultSpec['match'], request: RecordedRequest): boolean {
  if (typeof match === 'function') return match(request);
  match.lastIndex = 0;
  return match.test(request.path);
}
