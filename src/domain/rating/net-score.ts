import { SIZE_DEVICES, clamp01, round3, type MetricResult, type SizeScore } from './metric';

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
  const excluded: NetScoreInput[] = [];
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
  const why = (name: NetScoreInput): string => (name === 'reviewedness' && results.reviewedness.unavailable === undefined ? 'no linked repository' : 'evidence not collected');
  return {
    value,
    applicable: true,
    inputs: { values, weights: NET_SCORE_WEIGHTS, excluded, weightTotal: round3(weights) },
    explanation: explain(value, values, weights, excluded.map((name) => ({ label: LABELS[name], why: why(name) }))),
  };
}

// How people read the metric names, in the explanation's sentences.
const LABELS: Readonly<Record<NetScoreInput, string>> = {
  license: 'license',
  ramp_up_time: 'ramp-up time',
  bus_factor: 'bus factor',
  performance_claims: 'performance claims',
  dataset_and_code_score: 'dataset and code',
  dataset_quality: 'dataset quality',
  code_quality: 'code quality',
  reproducibility: 'reproducibility',
  reviewedness: 'reviewedness',
  size_score: 'size fit (average of the four devices)',
};

const percent = (share: number): string => `${Math.round(share * 100)} %`;
// Scores to two decimals, as the UI shows them.
const score2 = (value: number): string => value.toFixed(2);

/** The net score in words: what each metric counts for, what was left out, and where it lost most. */
function explain(value: number, values: Readonly<Record<string, number>>, weights: number, leftOut: readonly { label: string; why: string }[]): string[] {
  const parts = (Object.entries(values) as [NetScoreInput, number][]).map(([name, score]) => ({
    label: LABELS[name], score, share: NET_SCORE_WEIGHTS[name] / weights,
  }));
  const lost = parts.filter((part) => (1 - part.score) * part.share >= 0.005).sort((a, b) => (1 - b.score) * b.share - (1 - a.score) * a.share).slice(0, 3);
  return [
    `The net score, ${score2(value)}, is an average of ${parts.length} metrics in which some count more than others: ${parts.map((part) => `${part.label} ${score2(part.score)} (counts ${percent(part.share)})`).join(', ')}.`,
    ...(leftOut.length > 0 ? [`Left out, with no value: ${leftOut.map((item) => `${item.label} (${item.why === 'no linked repository' ? 'the model links no code repository' : 'its evidence could not be collected'})`).join(', ')}; the other metrics count for more to make up for it.`] : []),
    ...(lost.length > 0 ? [`It lost most on ${lost.map((part) => `${part.label} (${score2(part.score)})`).join(', ')}.`] : []),
  ];
}
