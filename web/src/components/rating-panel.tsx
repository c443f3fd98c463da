import { SIZE_DEVICES, type MetricExplanation, type RatingExplanation, type SizeDevice } from '../api-types';
import { formatScore, formatSeconds, humanise } from '../format';
import { NetScoreBreakdown } from './net-score-breakdown';

const METRICS: { key: string; label: string; about: string }[] = [
  { key: 'license', label: 'License', about: 'How clear and permissive the model’s license is.' },
  { key: 'ramp_up_time', label: 'Ramp-up time', about: 'How quickly a newcomer can start using the model, judged from its documentation.' },
  { key: 'bus_factor', label: 'Bus factor', about: 'How well the upstream project would survive losing contributors.' },
  { key: 'performance_claims', label: 'Performance claims', about: 'How well the stated performance is backed by evidence.' },
  { key: 'dataset_and_code_score', label: 'Dataset and code', about: 'Whether the training data and code are identified and available.' },
  { key: 'dataset_quality', label: 'Dataset quality', about: 'Quality of the datasets linked to the model.' },
  { key: 'code_quality', label: 'Code quality', about: 'Quality of the code linked to the model.' },
  { key: 'reproducibility', label: 'Reproducibility', about: 'How likely the documented example code is to run as shown.' },
  { key: 'reviewedness', label: 'Reviewedness', about: 'Share of the linked code that arrived through reviewed changes.' },
  { key: 'tree_score', label: 'Tree score', about: 'Average score of the models this one derives from.' },
];

/** The name the panel shows for a metric key, so explanations use the same words as the bars. */
const labelOf = (key: string): string =>
  key === 'size_score' ? 'Size fit (average of the four devices)' : (METRICS.find((metric) => metric.key === key)?.label ?? humanise(key));

/** The link in the net-score card opens the full-width explanation below the metrics and moves focus there. */
function openNetExplanation(event: Event): void {
  event.preventDefault();
  const details = document.getElementById('net-explained');
  if (!(details instanceof HTMLDetailsElement)) return;
  details.open = true;
  details.querySelector('summary')?.focus();
  details.scrollIntoView({ block: 'start' });
}

export const DEVICE_LABELS: Record<SizeDevice, string> = {
  raspberry_pi: 'Raspberry Pi',
  jetson_nano: 'Jetson Nano',
  desktop_pc: 'Desktop PC',
  aws_server: 'AWS server',
};

const numberOf = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

function latencyOf(report: RatingExplanation, key: string): number | undefined {
  return numberOf(report.explanation[key]?.latencySeconds) ?? numberOf(report.rating[`${key}_latency`]);
}

/** The rating: net score first, then one labelled bar per metric with its reasons and latency. */
export function RatingPanel({ report }: { report: RatingExplanation }) {
  const net = numberOf(report.rating.net_score) ?? 0;
  const netLatency = latencyOf(report, 'net_score');
  const known = new Set(METRICS.map((metric) => metric.key));
  const others = Object.keys(report.explanation).filter((key) => !known.has(key) && !['net_score', 'size_score', 'category'].includes(key) && typeof report.rating[key] === 'number');
  return (
    <div class="rating">
      <div class="rating__summary">
        <div class="net-score">
          <p class="net-score__label">Net score</p>
          <p class="net-score__value">
            {formatScore(net)}
            <span class="net-score__out-of"> out of 1</span>
          </p>
          <Bar value={net} large />
          <p class="meta">
            Category <strong>{String(report.rating.category)}</strong>
          </p>
          <div class="metric__foot">
            <a class="reasons" href="#net-explained" onClick={openNetExplanation}>
              How it is made up
            </a>
            <Latency seconds={netLatency} />
          </div>
        </div>
        <SizeScores report={report} />
      </div>
      <ul class="metrics rating__metrics" aria-label="Metrics">
        {[...METRICS, ...others.map((key) => ({ key, label: humanise(key), about: '' }))].map((metric) => (
          <Metric key={metric.key} label={metric.label} about={metric.about} value={numberOf(report.rating[metric.key])} explanation={report.explanation[metric.key]} latency={latencyOf(report, metric.key)} />
        ))}
      </ul>
      <NetScoreBreakdown net={net} explanation={report.explanation.net_score} labelOf={labelOf} />
      {report.problems.length > 0 && (
        <div class="alert alert--warning">
          <p class="alert__title">Some evidence could not be collected when this model was registered:</p>
          <ul>
            {report.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function Metric({ label, about, value, explanation, latency }: { label: string; about: string; value: number | undefined; explanation: MetricExplanation | undefined; latency: number | undefined }) {
  const score = explanation?.applicable !== false && value !== undefined && value >= 0 ? value : undefined;
  return (
    <li class={score === undefined ? 'metric metric--na' : 'metric'}>
      <div class="metric__head">
        <span class="metric__name">{label}</span>
        <span class="metric__value">{score === undefined ? 'Not applicable' : formatScore(score)}</span>
      </div>
      {score === undefined ? <div class="bar bar--na" aria-hidden="true" /> : <Bar value={score} />}
      <div class="metric__foot">
        <Reasons metric={label} summary={score === undefined ? 'Why not applicable' : `Why ${formatScore(score)}`} explanation={explanation} about={about} />
        <Latency seconds={latency} />
      </div>
    </li>
  );
}

function Latency({ seconds }: { seconds: number | undefined }) {
  return (
    <span class="metric__latency">
      {seconds === undefined ? (
        'latency not reported'
      ) : (
        <>
          <span class="visually-hidden">computed in </span>
          {formatSeconds(seconds)}
        </>
      )}
    </span>
  );
}

function Reasons({ metric, summary, explanation, about }: { metric: string; summary: string; explanation: MetricExplanation | undefined; about?: string }) {
  if (explanation === undefined || (explanation.explanation.length === 0 && !about)) return null;
  return (
    <details class="reasons">
      <summary>
        {summary}
        <span class="visually-hidden"> for {metric}</span>
      </summary>
      {about && <p class="meta">{about}</p>}
      <ul>
        {explanation.explanation.map((sentence) => (
          <li key={sentence}>{sentence}</li>
        ))}
      </ul>
    </details>
  );
}

function SizeScores({ report }: { report: RatingExplanation }) {
  const scores = report.rating.size_score;
  const latency = latencyOf(report, 'size_score');
  return (
    <div class="size-scores">
      <p class="net-score__label">Size fit per device</p>
      <ul aria-label="Size score per device">
        {SIZE_DEVICES.map((device) => (
          <li key={device} class="size-score">
            <span class="size-score__device">{DEVICE_LABELS[device]}</span>
            <Bar value={scores[device] ?? 0} />
            <span class="size-score__value">{formatScore(scores[device] ?? 0)}</span>
          </li>
        ))}
      </ul>
      <div class="metric__foot">
        <Reasons metric="size score" summary="Why these scores" explanation={report.explanation.size_score} about="How well the weights fit each kind of hardware." />
        <Latency seconds={latency} />
      </div>
    </div>
  );
}

function Bar({ value, large = false }: { value: number; large?: boolean }) {
  const percent = Math.round(Math.min(1, Math.max(0, value)) * 100);
  const tone = value >= 0.7 ? 'good' : value >= 0.4 ? 'fair' : 'poor';
  return (
    <div class={`bar${large ? ' bar--large' : ''}`} aria-hidden="true">
      <span class={`bar__fill bar__fill--${tone}`} style={{ width: `${percent}%` }} />
    </div>
  );
}
