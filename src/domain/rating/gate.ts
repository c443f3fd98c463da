import { SIZE_DEVICES, type MetricName, type SizeScore } from './metric';
import type { ModelRating } from './rate-model';

export const DEFAULT_MIN_SCORE = 0.5;

export interface GateFailure {
  readonly metric: MetricName;
  readonly value: number;
}

export interface GateDecision {
  readonly accepted: boolean;
  readonly threshold: number;
  /** Every metric below the threshold, in the contract's order. */
  readonly failing: readonly GateFailure[];
  /** The metrics that were compared with the threshold. */
  readonly checked: readonly MetricName[];
  /** The metrics left out because they do not apply to this model (including those in `unavailable`). */
  readonly skipped: readonly MetricName[];
  /** The skipped metrics whose evidence could not be collected, each with the reason: not judged, not passed. */
  readonly unavailable: readonly { readonly metric: MetricName; readonly reason: string }[];
}

const GATED: readonly MetricName[] = [
  'net_score', 'ramp_up_time', 'bus_factor', 'performance_claims', 'license', 'dataset_and_code_score',
  'dataset_quality', 'code_quality', 'reproducibility', 'reviewedness', 'tree_score', 'size_score',
];

/** size_score is judged by the device the model suits best: it passes when it is deployable somewhere. */
export const bestDevice = (size: SizeScore): number => Math.max(...SIZE_DEVICES.map((device) => size[device]));

/**
 * The ingest gate: every applicable non-latency metric, net_score included, must reach `minScore`.
 * A metric is skipped when its explanation says it does not apply (reviewedness -1 without a linked
 * repository, tree_score without rated parents, dataset_quality without datasets, code_quality
 * without code) or its evidence could not be collected (then listed in `unavailable` with the
 * reason); reviewedness at -1 is skipped even without an explanation.
 */
export function gateDecision(
  rating: ModelRating,
  explanations: Partial<Record<MetricName, { readonly applicable: boolean; readonly unavailable?: string }>>,
  minScore: number,
): GateDecision {
  if (!Number.isFinite(minScore) || minScore < 0 || minScore > 1) throw new RangeError(`the ingest threshold must be a number from 0 to 1; got ${minScore}`);
  const checked: MetricName[] = [];
  const skipped: MetricName[] = [];
  const unavailable: { metric: MetricName; reason: string }[] = [];
  const failing: GateFailure[] = [];
  for (const metric of GATED) {
    const value = metric === 'size_score' ? bestDevice(rating.size_score) : rating[metric];
    const applies = explanations[metric]?.applicable ?? true;
    if (!applies || (metric === 'reviewedness' && value < 0)) {
      skipped.push(metric);
      const reason = explanations[metric]?.unavailable;
      if (reason !== undefined) unavailable.push({ metric, reason });
      continue;
    }
    checked.push(metric);
    if (value < minScore) failing.push({ metric, value });
  }
  return { accepted: failing.length === 0, threshold: minScore, failing, checked, skipped, unavailable };
}
