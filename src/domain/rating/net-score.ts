import { SIZE_DEVICES, clamp01, fmt, round3, type MetricResult, type SizeScore } from './metric';

/** Weights of the combined metrics; they sum to 1. tree_score is deliberately absent (no circularity). */
export const NET_SCORE_WEIGHTS = {
  license: 0.15,
  ramp_up_time: 0.1,
  bus_factor: 0.1,
  performance_claims: 0.1,
  dataset_and_code_score: 0.1,
  dataset_quality: 0.1,
  code_quality: 0.1,
  reproducibility: 0.1,
  reviewedness: 0.1,
  size_score: 0.05,
} as const;
export type NetScoreInput = keyof typeof NET_SCORE_WEIGHTS;

export type NetScoreInputs = Readonly<Record<Exclude<NetScoreInput, 'size_score'>, MetricResult>> & { readonly size_score: MetricResult<SizeScore> };

/** size_score enters the net score as the mean over the four devices. */
export const meanSize = (size: SizeScore): number => SIZE_DEVICES.reduce((sum, device) => sum + size[device], 0) / SIZE_DEVICES.length;

/**
 * The weighted mean of the combined metrics. A metric with no value (-1: reviewedness without a linked
 * repository, or any metric whose evidence could not be collected) is left out and the remaining
 * weights are re-normalised; every other metric counts with its value, including 0 for a metric that
 * is not applicable because the evidence shows nothing to credit (no evidence earns no credit).
 */
export function netScore(results: NetScoreInputs): MetricResult {
  const values: Record<string, number> = {};
  const excluded: string[] = [];
  let weighted = 0;
  let weights = 0;
  for (const [name, weight] of Object.entries(NET_SCORE_WEIGHTS) as [NetScoreInput, number][]) {
    const value = name === 'size_score' ? meanSize(results.size_score.value) : results[name].value;
    if (value < 0) {
      excluded.push(name);
      continue;
    }
    values[name] = value;
    weighted += weight * value;
    weights += weight;
  }
  const value = clamp01(weights === 0 ? 0 : weighted / weights);
  const why = (name: string): string => (name === 'reviewedness' && results.reviewedness.unavailable === undefined ? 'no linked repository' : 'evidence not collected');
  return {
    value,
    applicable: true,
    inputs: { values, weights: NET_SCORE_WEIGHTS, excluded, weightTotal: round3(weights) },
    explanation: [
      `weighted mean of ${Object.keys(values).length} metrics: ${Object.entries(values).map(([name, item]) => `${name} ${fmt(item)}×${NET_SCORE_WEIGHTS[name as NetScoreInput]}`).join(', ')}`,
      ...(excluded.length > 0 ? [`left out with no value (-1): ${excluded.map((name) => `${name} (${why(name)})`).join(', ')}; the other weights re-normalised (total ${fmt(weights)})`] : []),
    ],
  };
}
