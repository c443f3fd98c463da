import type { MetricExplanation } from '../api-types';
import { formatScore } from '../format';

interface Share {
  readonly key: string;
  readonly label: string;
  readonly score: number;
  /** Share of the net score after re-normalisation, 0–1. */
  readonly share: number;
  /** What the metric adds to the net score: score × share. */
  readonly adds: number;
}

// A no-break space keeps "100 %" on one line in a narrow column.
const percent = (share: number): string => `${Math.round(share * 100)}\u00a0%`;
const numberRecord = (value: unknown): Record<string, number> =>
  typeof value === 'object' && value !== null
    ? Object.fromEntries(Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === 'number'))
    : {};

/** The registry's structured inputs of the net score, as shares a person can read; undefined when absent. */
function sharesOf(explanation: MetricExplanation, labelOf: (key: string) => string): Share[] | undefined {
  const values = numberRecord(explanation.inputs.values);
  const weights = numberRecord(explanation.inputs.weights);
  const total = Object.keys(values).reduce((sum, key) => sum + (weights[key] ?? 0), 0);
  if (Object.keys(values).length === 0 || total <= 0) return undefined;
  return Object.entries(values)
    .map(([key, score]) => {
      const share = (weights[key] ?? 0) / total;
      return { key, label: labelOf(key), score, share, adds: score * share };
    })
    .sort((a, b) => b.adds - a.adds || a.label.localeCompare(b.label));
}

const listOf = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/**
 * Why the net score is what it is, in words and with the metric names the panel shows: what each
 * metric counts for, what it added, and where the score lost most. Built from the registry's
 * structured inputs (scores and weights) rather than its formula sentence.
 */
export function NetScoreBreakdown({ net, explanation, labelOf }: { net: number; explanation: MetricExplanation | undefined; labelOf: (key: string) => string }) {
  if (explanation === undefined) return null;
  const shares = sharesOf(explanation, labelOf);
  const excluded = Array.isArray(explanation.inputs.excluded) ? explanation.inputs.excluded.filter((key): key is string => typeof key === 'string') : [];
  return (
    <details class="reasons net-explained" id="net-explained">
      <summary>How the net score of {formatScore(net)} is made up</summary>
      {shares === undefined ? (
        <ul>
          {explanation.explanation.map((sentence) => (
            <li key={sentence}>{sentence}</li>
          ))}
        </ul>
      ) : (
        <Shares net={net} shares={shares} excluded={excluded.map(labelOf)} />
      )}
    </details>
  );
}

function Shares({ net, shares, excluded }: { net: number; shares: readonly Share[]; excluded: readonly string[] }) {
  const losses = shares
    .map((item) => ({ ...item, lost: (1 - item.score) * item.share }))
    .filter((item) => item.lost >= 0.005)
    .sort((a, b) => b.lost - a.lost)
    .slice(0, 3);
  return (
    <div class="net-breakdown">
      <p>
        The net score is an average of {shares.length} metrics in which some count more than others. Each metric below adds its
        score times its share; together they make {formatScore(net)} out of 1. Tree score is not part of it: it describes the
        models this one derives from.
      </p>
      {excluded.length > 0 && (
        <p>
          {listOf(excluded)} {excluded.length === 1 ? 'is' : 'are'} left out because the model links no code repository to judge;
          the other metrics’ shares grow to make up for it.
        </p>
      )}
      {losses.length > 0 && <p>It lost most on {listOf(losses.map((item) => `${item.label} (scored ${formatScore(item.score)})`))}.</p>}
      <table class="table table--compact">
        <caption>What each metric adds to the net score, largest first</caption>
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col" class="num">Score</th>
            <th scope="col" class="num">Share</th>
            <th scope="col" class="num">Adds</th>
          </tr>
        </thead>
        <tbody>
          {shares.map((item) => (
            <tr key={item.key}>
              <th scope="row">{item.label}</th>
              <td class="num">{formatScore(item.score)}</td>
              <td class="num">{percent(item.share)}</td>
              <td class="num">{formatScore(item.adds)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Net score</th>
            <td />
            <td class="num">{percent(1)}</td>
            <td class="num">{formatScore(net)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
