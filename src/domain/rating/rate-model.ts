import type { Evidence } from './evidence';
import { round3, SIZE_DEVICES, type MetricName, type MetricResult, type RatingContext, type SizeScore } from './metric';
import { busFactor } from './bus-factor.metric';
import { category } from './category.metric';
import { codeQuality } from './code-quality.metric';
import { datasetAndCodeScore } from './dataset-and-code.metric';
import { datasetQuality } from './dataset-quality.metric';
import { license } from './license.metric';
import { netScore, type NetScoreInput } from './net-score';
import { performanceClaims } from './performance-claims.metric';
import { rampUpTime } from './ramp-up-time.metric';
import { reproducibility, staticReproducibility } from './reproducibility.metric';
import { reviewedness } from './reviewedness.metric';
import { sizeScore } from './size-score.metric';
import { treeScore } from './tree-score.metric';

/** A monotonic clock in milliseconds (performance.now() in an adapter, a counter in tests). */
export interface MonotonicClock {
  now(): number;
}

/** Exactly the contract's ModelRating: every score in [0,1] (reviewedness may be -1), latencies in seconds. */
export interface ModelRating {
  readonly name: string;
  readonly category: string;
  readonly net_score: number;
  readonly net_score_latency: number;
  readonly ramp_up_time: number;
  readonly ramp_up_time_latency: number;
  readonly bus_factor: number;
  readonly bus_factor_latency: number;
  readonly performance_claims: number;
  readonly performance_claims_latency: number;
  readonly license: number;
  readonly license_latency: number;
  readonly dataset_and_code_score: number;
  readonly dataset_and_code_score_latency: number;
  readonly dataset_quality: number;
  readonly dataset_quality_latency: number;
  readonly code_quality: number;
  readonly code_quality_latency: number;
  readonly reproducibility: number;
  readonly reproducibility_latency: number;
  readonly reviewedness: number;
  readonly reviewedness_latency: number;
  readonly tree_score: number;
  readonly tree_score_latency: number;
  readonly size_score: SizeScore;
  readonly size_score_latency: number;
}

export type MetricExplanation = MetricResult<number | SizeScore> & { readonly latencySeconds: number };

/** Per metric: the rounded value, why, from what, whether it applies, and its latency. */
export type RatingExplanation = Readonly<Record<MetricName, MetricExplanation>> & { readonly category: MetricResult<string> };

export interface RatedModel {
  readonly rating: ModelRating;
  readonly explanation: RatingExplanation;
}

type Combined = Exclude<MetricName, 'net_score' | 'tree_score'>;

const roundResult = <V extends number | SizeScore>(result: MetricResult<V>): MetricResult<V> => ({
  ...result,
  value: (typeof result.value === 'number'
    ? round3(result.value)
    : Object.fromEntries(SIZE_DEVICES.map((device) => [device, round3((result.value as SizeScore)[device])]))) as V,
});

/**
 * Rates a model from its stored evidence. Pure and deterministic apart from latencies, which come
 * from the injected clock: each metric's latency is the seconds spent collecting its own evidence
 * (`context.collectionSeconds`) plus the seconds spent computing it here. net_score's latency is its
 * own computation plus the latencies of every metric it combines, since it needs all of them.
 */
export function rateModel(evidence: Evidence, context: RatingContext, clock: MonotonicClock): RatedModel {
  const timed = <V extends number | SizeScore>(name: MetricName, compute: () => MetricResult<V>): MetricResult<V> & { readonly latencySeconds: number } => {
    const started = clock.now();
    const result = roundResult(compute());
    const computeSeconds = Math.max(0, clock.now() - started) / 1000;
    return { ...result, latencySeconds: round3(computeSeconds + Math.max(0, context.collectionSeconds?.[name] ?? 0)) };
  };
  const estimator = context.estimator ?? staticReproducibility;
  const parts = {
    ramp_up_time: timed('ramp_up_time', () => rampUpTime(evidence)),
    bus_factor: timed('bus_factor', () => busFactor(evidence)),
    performance_claims: timed('performance_claims', () => performanceClaims(evidence)),
    license: timed('license', () => license(evidence)),
    dataset_and_code_score: timed('dataset_and_code_score', () => datasetAndCodeScore(evidence)),
    dataset_quality: timed('dataset_quality', () => datasetQuality(evidence)),
    code_quality: timed('code_quality', () => codeQuality(evidence)),
    reproducibility: timed('reproducibility', () => reproducibility(evidence, context.reproducibility ?? estimator.estimate(evidence))),
    reviewedness: timed('reviewedness', () => reviewedness(evidence)),
    size_score: timed('size_score', () => sizeScore(evidence)),
  } satisfies Record<Combined, unknown>;
  const net = timed('net_score', () => netScore(parts));
  const combinedLatency = (Object.keys(parts) as NetScoreInput[]).reduce((sum, name) => sum + parts[name].latencySeconds, 0);
  const net_score = { ...net, latencySeconds: round3(net.latencySeconds + combinedLatency) };
  const tree_score = timed('tree_score', () => treeScore(evidence, context));
  const categoryResult = category(evidence);
  const explanation = { ...parts, net_score, tree_score, category: categoryResult };
  return { rating: ratingOf(context.name ?? evidence.model.repo, categoryResult.value, explanation), explanation };
}

function ratingOf(name: string, categoryName: string, metrics: RatingExplanation): ModelRating {
  const score = (metric: Exclude<MetricName, 'size_score'>): number => metrics[metric].value as number;
  return {
    name,
    category: categoryName,
    net_score: score('net_score'),
    net_score_latency: metrics.net_score.latencySeconds,
    ramp_up_time: score('ramp_up_time'),
    ramp_up_time_latency: metrics.ramp_up_time.latencySeconds,
    bus_factor: score('bus_factor'),
    bus_factor_latency: metrics.bus_factor.latencySeconds,
    performance_claims: score('performance_claims'),
    performance_claims_latency: metrics.performance_claims.latencySeconds,
    license: score('license'),
    license_latency: metrics.license.latencySeconds,
    dataset_and_code_score: score('dataset_and_code_score'),
    dataset_and_code_score_latency: metrics.dataset_and_code_score.latencySeconds,
    dataset_quality: score('dataset_quality'),
    dataset_quality_latency: metrics.dataset_quality.latencySeconds,
    code_quality: score('code_quality'),
    code_quality_latency: metrics.code_quality.latencySeconds,
    reproducibility: score('reproducibility'),
    reproducibility_latency: metrics.reproducibility.latencySeconds,
    reviewedness: score('reviewedness'),
    reviewedness_latency: metrics.reviewedness.latencySeconds,
    tree_score: score('tree_score'),
    tree_score_latency: metrics.tree_score.latencySeconds,
    size_score: metrics.size_score.value as SizeScore,
    size_score_latency: metrics.size_score.latencySeconds,
  };
}
