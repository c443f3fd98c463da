import type { TrustStanding, TrustVerdict } from '../api-types';
import { formatScore, humanise } from '../format';

const LABELS: Record<TrustStanding, string> = { meets: 'Meets the bar', below: 'Below the bar', unrated: 'Not rated' };

export const standingOf = (verdict: TrustVerdict | undefined): TrustStanding =>
  verdict === undefined ? 'unrated' : verdict.meets_bar ? 'meets' : 'below';

/** Where an artifact stands against the registry's trust bar, in words (never colour alone). */
export function TrustBadge({ standing }: { standing: TrustStanding }) {
  return <span class={`badge badge--trust-${standing}`}>{LABELS[standing]}</span>;
}

/** The verdict of a registered model: which metrics keep it below the bar, with their values. */
export function TrustVerdictPanel({ verdict }: { verdict: TrustVerdict }) {
  if (verdict.meets_bar) {
    return (
      <div class="alert alert--success">
        <p class="alert__title">This model meets the registry's trust bar.</p>
        <p>Every applicable metric was at least {formatScore(verdict.threshold)} when it was rated.</p>
      </div>
    );
  }
  return (
    <div class="alert alert--warning">
      <p class="alert__title">Flagged: this model is below the registry's trust bar.</p>
      {verdict.failing.length > 0 && (
        <>
          <p>It is registered, but would not pass vetting. Every applicable metric must be at least {formatScore(verdict.threshold)}; these were below it:</p>
          <FailingMetrics failing={verdict.failing} caption="Metrics below the trust bar" />
        </>
      )}
      {verdict.content !== undefined && !verdict.content.passing && (
        <p>The content scan found files that may run code when loaded ({verdict.content.summary}); see the security panel below.</p>
      )}
    </div>
  );
}

/** Each metric below the bar with its value, as a table a screen reader can walk. */
export function FailingMetrics({ failing, caption }: { failing: readonly { metric: string; value: number }[]; caption: string }) {
  return (
    <table class="table table--compact">
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Metric</th>
          <th scope="col" class="num">Value</th>
        </tr>
      </thead>
      <tbody>
        {failing.map((item) => (
          <tr key={item.metric}>
            <td>{humanise(item.metric)}</td>
            <td class="num">{formatScore(item.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
