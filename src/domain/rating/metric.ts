import type { Evidence } from './evidence';
import type { ReproducibilityEstimate, ReproducibilityEstimator } from './reproducibility.metric';

export const SIZE_DEVICES = ['raspberry_pi', 'jetson_nano', 'desktop_pc', 'aws_server'] as const;
export type SizeDevice = (typeof SIZE_DEVICES)[number];
export type SizeScore = Readonly<Record<SizeDevice, number>>;

/** The rated metrics, in the contract's order; `net_score` combines the others except tree_score. */
export const METRIC_NAMES = [
  'net_score', 'ramp_up_time', 'bus_factor', 'performance_claims', 'license', 'dataset_and_code_score',
  'dataset_quality', 'code_quality', 'reproducibility', 'reviewedness', 'tree_score', 'size_score',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/**
 * One metric's verdict with its reasons. `value` is in [0,1], or -1 when there is no value to give
 * (reviewedness without a linked repository, or evidence that could not be collected).
 * `applicable: false` means the evidence the metric needs does not exist for this model or could not
 * be collected: the value is then a documented placeholder that the ingest gate skips.
 */
export interface MetricResult<V = number> {
  readonly value: V;
  /** Sentences citing the evidence, in the order a reader should meet them. */
  readonly explanation: readonly string[];
  /** The exact numbers the value was computed from. */
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly applicable: boolean;
  /**
   * Why the evidence this metric needs could not be collected (upstream down, rate limited, request
   * budget spent). Set only with `applicable: false` and value -1: missing evidence is not a 0.
   */
  readonly unavailable?: string;
}

/** The result of a metric whose evidence could not be collected: no value (-1), not applicable, and why. */
export function unavailableResult(reason: string, inputs: Readonly<Record<string, unknown>> = {}): MetricResult {
  return {
    value: -1,
    applicable: false,
    unavailable: reason,
    inputs: { ...inputs, unavailable: reason },
    explanation: [`the evidence could not be collected: ${reason}; not scored (-1) until it is re-collected`],
  };
}

/** A parent in the lineage graph, with its stored net score when it is a rated, registered model. */
export interface ParentScore {
  readonly id: string;
  readonly name: string;
  readonly netScore?: number;
}

export interface RatingContext {
  /** The artifact's name in this registry; defaults to the evidence's repository id. */
  readonly name?: string;
  /** Direct parents of the model in its lineage graph (models only). */
  readonly parents?: readonly ParentScore[];
  /** Seconds spent collecting each metric's own evidence, added to its latency. */
  readonly collectionSeconds?: Partial<Record<MetricName, number>>;
  /** A reproducibility verdict computed outside (e.g. by a sandboxed run); wins over `estimator`. */
  readonly reproducibility?: ReproducibilityEstimate;
  /** Defaults to the static estimator. */
  readonly estimator?: ReproducibilityEstimator;
}

export type Metric<V = number> = (evidence: Evidence, context?: RatingContext) => MetricResult<V>;

export const clamp01 = (value: number): number => (Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0);

/** Rounds half away from zero to 3 decimals, the same on every platform; never returns -0. */
export function round3(value: number): number {
  const rounded = Math.sign(value) * Math.round(Math.abs(value) * 1000 + 1e-9) / 1000;
  return rounded === 0 ? 0 : rounded;
}

/** "0.42" — how numbers appear in explanations. */
export const fmt = (value: number): string => String(round3(value));

export const plural = (count: number, noun: string, pluralNoun = `${noun}s`): string => `${count} ${count === 1 ? noun : pluralNoun}`;

/** 1234567 → "1,234,567", without depending on the platform's locale data. */
export const thousands = (count: number): string => String(Math.round(count)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
