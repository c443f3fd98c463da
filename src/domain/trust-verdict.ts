import { invalidInput } from './errors';
import type { GateDecision, GateFailure, MetricName } from './rating';

/**
 * The trust bar's verdict on a rated model, kept with the artifact: registration records it (and
 * flags the artifact) where the vetting path refuses the artifact instead.
 */
export interface TrustVerdict {
  readonly meetsBar: boolean;
  readonly threshold: number;
  /** Every applicable metric below the threshold, with its value. */
  readonly failing: readonly GateFailure[];
  /** Metrics the bar did not judge because they do not apply to this model. */
  readonly skipped: readonly MetricName[];
  /** The content scanner's part: a file that may run code when loaded (suspicious) keeps a model below the bar. */
  readonly content?: ContentStanding;
}

export interface ContentStanding {
  readonly passing: boolean;
  readonly summary: string;
}

export const TRUST_FILTERS = ['meets', 'below', 'unrated'] as const;
/** Which artifacts a query keeps: those meeting the bar, those below it, or those never rated. */
export type TrustFilter = (typeof TRUST_FILTERS)[number];

export const verdictOf = (decision: GateDecision, content?: ContentStanding): TrustVerdict => ({
  meetsBar: decision.accepted && (content?.passing ?? true),
  threshold: decision.threshold,
  failing: decision.failing.map(({ metric, value }) => ({ metric, value })),
  skipped: [...decision.skipped],
  ...(content === undefined ? {} : { content: { passing: content.passing, summary: content.summary } }),
});

/** Where an artifact stands against the bar: the same three answers a trust filter asks for. */
export const trustStandingOf = (verdict: TrustVerdict | undefined): TrustFilter =>
  verdict === undefined ? 'unrated' : verdict.meetsBar ? 'meets' : 'below';

export const matchesTrust = (verdict: TrustVerdict | undefined, filter: TrustFilter): boolean => trustStandingOf(verdict) === filter;

export function parseTrustFilter(value: string): TrustFilter {
  if ((TRUST_FILTERS as readonly string[]).includes(value)) return value as TrustFilter;
  throw invalidInput(`trust must be one of ${TRUST_FILTERS.join(', ')}; got "${value}"`);
}
