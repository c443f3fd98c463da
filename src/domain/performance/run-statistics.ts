/** Where a request's time went, in the order a download spends it. */
export const SERVER_STAGES = ['auth', 'metadata', 'storage', 'audit'] as const;
export type ServerStage = (typeof SERVER_STAGES)[number];

/** One finished request as the load driver saw it; times in milliseconds from the run's start. */
export interface RequestSample {
  readonly startedAtMs: number;
  readonly latencyMs: number;
  /** Until the registry's response headers arrived. */
  readonly ttfbMs: number;
  readonly bytes: number;
  /** The HTTP status, or 0 when no response came (refused, reset, timed out). */
  readonly status: number;
  readonly ok: boolean;
  /** Why it failed, when no response said so (a reset connection, a timeout). */
  readonly failure?: string;
  /** The registry's own `Server-Timing` figures: the stages above and `total` (until it sent headers). */
  readonly serverTiming: Readonly<Record<string, number>>;
}

export interface LatencySummary {
  readonly mean: number;
  readonly median: number;
  readonly p99: number;
  readonly max: number;
  readonly min: number;
}

/**
 * Mean milliseconds per successful request. The server stages and `serverOther` (routing,
 * validation, headers) add up to the server's time before headers; `queue` is what the client waited
 * beyond that (connection, event-loop queueing, the redirect hop); `transfer` is first to last byte.
 */
export interface StageBreakdown {
  readonly auth: number;
  readonly metadata: number;
  readonly storage: number;
  readonly audit: number;
  readonly serverOther: number;
  readonly queue: number;
  readonly transfer: number;
}

export interface TimelinePoint {
  readonly second: number;
  readonly requests: number;
  readonly errors: number;
  readonly megabytes: number;
  readonly meanLatencyMs: number;
}

export interface RunResult {
  readonly requests: number;
  readonly succeeded: number;
  readonly errors: number;
  /** Failed requests by HTTP status (`0` for no response). */
  readonly errorsByStatus: Readonly<Record<string, number>>;
  /** Failures without a response, by reason (the first few distinct reasons). */
  readonly failureReasons: Readonly<Record<string, number>>;
  readonly durationSeconds: number;
  readonly bytes: number;
  readonly requestsPerSecond: number;
  readonly megabytesPerSecond: number;
  /** Over successful requests. */
  readonly latencyMs: LatencySummary;
  readonly ttfbMs: LatencySummary;
  readonly breakdownMs: StageBreakdown;
  readonly timeline: readonly TimelinePoint[];
}

const MEGABYTE = 1_000_000;
const MAX_REASONS = 5;
const round = (value: number, places = 3): number => Number(value.toFixed(places));

/** Nearest-rank percentile of sorted values: the smallest value with at least p% of them at or below it. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export function summarize(values: Float64Array): LatencySummary {
  if (values.length === 0) return { mean: 0, median: 0, p99: 0, max: 0, min: 0 };
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    mean: round(sum / sorted.length),
    median: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] as number),
    min: round(sorted[0] as number),
  };
}

class Samples {
  private values = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length] = value;
    this.length += 1;
  }

  view(): Float64Array {
    return this.values.subarray(0, this.length);
  }
}

interface Bucket {
  requests: number;
  errors: number;
  bytes: number;
  latencySum: number;
}

/**
 * Accumulates samples as they come, in memory proportional to the request count (8 bytes each for
 * the two latency series) and one bucket per second, and summarises them at the end.
 */
export class RunRecorder {
  private readonly latency = new Samples();
  private readonly ttfb = new Samples();
  private readonly stageSums: Record<ServerStage | 'total', number> = { auth: 0, metadata: 0, storage: 0, audit: 0, total: 0 };
  private readonly errorsByStatus: Record<string, number> = {};
  private readonly failureReasons: Record<string, number> = {};
  private readonly buckets: Bucket[] = [];
  private transferSum = 0;
  // Error bodies are a few hundred bytes of JSON; throughput counts the content delivered.
  private deliveredBytes = 0;
  private queueSum = 0;
  requests = 0;
  errors = 0;
  bytes = 0;

  record(sample: RequestSample): void {
    this.requests += 1;
    this.bytes += sample.bytes;
    const bucket = this.bucketAt(Math.floor((sample.startedAtMs + sample.latencyMs) / 1000));
    bucket.requests += 1;
    bucket.bytes += sample.bytes;
    if (!sample.ok) {
      this.errors += 1;
      bucket.errors += 1;
      this.errorsByStatus[String(sample.status)] = (this.errorsByStatus[String(sample.status)] ?? 0) + 1;
      if (sample.failure !== undefined) this.countReason(sample.failure);
      return;
    }
    this.deliveredBytes += sample.bytes;
    bucket.latencySum += sample.latencyMs;
    this.latency.push(sample.latencyMs);
    this.ttfb.push(sample.ttfbMs);
    for (const stage of SERVER_STAGES) this.stageSums[stage] += sample.serverTiming[stage] ?? 0;
    const serverTotal = sample.serverTiming.total ?? 0;
    this.stageSums.total += serverTotal;
    this.queueSum += Math.max(0, sample.ttfbMs - serverTotal);
    this.transferSum += Math.max(0, sample.latencyMs - sample.ttfbMs);
  }

  result(durationMs: number): RunResult {
    const succeeded = this.latency.length;
    const mean = (sum: number): number => (succeeded === 0 ? 0 : round(sum / succeeded));
    const stagesTotal = SERVER_STAGES.reduce((sum, stage) => sum + this.stageSums[stage], 0);
    const seconds = Math.max(durationMs, 1) / 1000;
    return {
      requests: this.requests,
      succeeded,
      errors: this.errors,
      errorsByStatus: { ...this.errorsByStatus },
      failureReasons: { ...this.failureReasons },
      durationSeconds: round(seconds),
      bytes: this.bytes,
      requestsPerSecond: round(succeeded / seconds),
      megabytesPerSecond: round(this.deliveredBytes / MEGABYTE / seconds),
      latencyMs: summarize(this.latency.view()),
      ttfbMs: summarize(this.ttfb.view()),
      breakdownMs: {
        auth: mean(this.stageSums.auth),
        metadata: mean(this.stageSums.metadata),
        storage: mean(this.stageSums.storage),
        audit: mean(this.stageSums.audit),
        serverOther: mean(Math.max(0, this.stageSums.total - stagesTotal)),
        queue: mean(this.queueSum),
        transfer: mean(this.transferSum),
      },
      timeline: this.buckets.map((bucket, second) => ({
        second,
        requests: bucket.requests,
        errors: bucket.errors,
        megabytes: round(bucket.bytes / MEGABYTE),
        meanLatencyMs: bucket.requests - bucket.errors === 0 ? 0 : round(bucket.latencySum / (bucket.requests - bucket.errors)),
      })),
    };
  }

  private countReason(reason: string): void {
    const known = reason in this.failureReasons;
    if (known || Object.keys(this.failureReasons).length < MAX_REASONS) this.failureReasons[reason] = (this.failureReasons[reason] ?? 0) + 1;
  }

  private bucketAt(second: number): Bucket {
    while (this.buckets.length <= second) this.buckets.push({ requests: 0, errors: 0, bytes: 0, latencySum: 0 });
    return this.buckets[second] as Bucket;
  }
}

/** Parses `name;dur=1.2, other;desc="x";dur=3` into milliseconds by name. */
export function parseServerTiming(header: string | undefined): Record<string, number> {
  const timings: Record<string, number> = {};
  if (header === undefined) return timings;
  for (const entry of header.split(',')) {
    const [name, ...params] = entry.trim().split(';');
    const duration = params.map((param) => /^\s*dur=([0-9.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    if (name !== undefined && name !== '' && duration !== undefined) timings[name] = Number(duration);
  }
  return timings;
}
