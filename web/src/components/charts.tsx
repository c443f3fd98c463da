import { useState } from 'preact/hooks';
import { formatTime, plural } from '../format';

/**
 * Requests per route as a table whose last column draws the bar: the table is its own text
 * alternative, and sorting puts the busiest route first. Only the busiest `limit` show until the
 * person asks for all of them.
 */
export function RouteBars({ perRoute, limit = Infinity }: { perRoute: Record<string, number>; limit?: number }) {
  const [showAll, setShowAll] = useState(false);
  const rows = Object.entries(perRoute).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const peak = Math.max(1, ...rows.map(([, count]) => count));
  if (rows.length === 0) return <p>No requests in this window.</p>;
  const shown = showAll ? rows : rows.slice(0, limit);
  return (
    <>
      <table class="table table--compact route-bars" id="route-bars">
        <caption class="visually-hidden">Requests per route, busiest first</caption>
        <thead>
          <tr>
            <th scope="col">Route</th>
            <th scope="col" class="num">Requests</th>
            <th scope="col" class="route-bars__bar-cell">
              <span class="visually-hidden">Share of the busiest route</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map(([route, count]) => (
            <tr key={route}>
              <td><code>{route}</code></td>
              <td class="num">{count.toLocaleString('en')}</td>
              <td class="route-bars__bar-cell" aria-hidden="true">
                <span class="route-bars__bar" style={{ width: `${(count / peak) * 100}%` }} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > limit && (
        <button type="button" class="button button--quiet" aria-expanded={showAll} aria-controls="route-bars" onClick={() => setShowAll((value) => !value)}>
          {showAll ? `Show the busiest ${limit} only` : `Show all ${rows.length} routes`}
        </button>
      )}
    </>
  );
}

export interface TimelinePoint {
  readonly bucket: string;
  readonly value: number;
}

// Sized for half of a wide page (the health grid), where 1 unit is about 1 px and the ticks stay legible.
const CHART = { width: 480, height: 150, top: 12, bottom: 26, left: 40 } as const;

/** Requests per minute as SVG columns, summarised in words, with the non-empty minutes as a table. */
export function Timeline({ points, unit }: { points: readonly TimelinePoint[]; unit: string }) {
  const peak = points.reduce<TimelinePoint | undefined>((best, point) => (best === undefined || point.value > best.value ? point : best), undefined);
  const total = points.reduce((sum, point) => sum + point.value, 0);
  const max = Math.max(1, peak?.value ?? 0);
  const plotHeight = CHART.height - CHART.top - CHART.bottom;
  const step = (CHART.width - CHART.left) / Math.max(1, points.length);
  const summary =
    peak === undefined || total === 0
      ? `No requests in the last ${points.length} minutes.`
      : `${plural(total, 'request')} in the last ${points.length} minutes; the busiest minute, ${formatTime(peak.bucket)} UTC, had ${plural(peak.value, 'request')}.`;
  const busy = points.filter((point) => point.value > 0);
  const first = points[0];
  const last = points[points.length - 1];
  return (
    <figure class="timeline">
      <svg viewBox={`0 0 ${CHART.width} ${CHART.height}`} role="img" aria-labelledby="timeline-summary">
        <line x1={CHART.left} x2={CHART.width} y1={CHART.top + plotHeight} y2={CHART.top + plotHeight} class="timeline__axis" />
        <text x={CHART.left - 6} y={CHART.top + 8} text-anchor="end" class="timeline__tick">{max}</text>
        <text x={CHART.left - 6} y={CHART.top + plotHeight} text-anchor="end" class="timeline__tick">0</text>
        {points.map((point, index) => {
          const height = (point.value / max) * plotHeight;
          return <rect key={point.bucket} class="timeline__bar" x={CHART.left + index * step + 1} y={CHART.top + plotHeight - height} width={Math.max(1, step - 2)} height={height} />;
        })}
        {first && <text x={CHART.left} y={CHART.height - 6} class="timeline__tick">{formatTime(first.bucket)}</text>}
        {last && <text x={CHART.width} y={CHART.height - 6} text-anchor="end" class="timeline__tick">{formatTime(last.bucket)}</text>}
      </svg>
      <figcaption id="timeline-summary">{summary} Times are UTC; one column per minute ({unit}).</figcaption>
      {busy.length > 0 && (
        <details>
          <summary>Busy minutes as a table ({busy.length})</summary>
          <table class="table table--compact">
            <caption class="visually-hidden">Requests per minute, minutes with requests only</caption>
            <thead>
              <tr>
                <th scope="col">Minute (UTC)</th>
                <th scope="col" class="num">Requests</th>
              </tr>
            </thead>
            <tbody>
              {busy.map((point) => (
                <tr key={point.bucket}>
                  <td>{formatTime(point.bucket)}</td>
                  <td class="num">{point.value.toLocaleString('en')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </figure>
  );
}

export interface ShareRow {
  readonly label: string;
  readonly value: number;
}

/**
 * Values as a table whose last column draws each one's share of the total, in the order given (the
 * stages of a request, for instance): the table is its own text alternative.
 */
export function ShareBars({ rows, caption, unit, format }: { rows: readonly ShareRow[]; caption: string; unit: string; format: (value: number) => string }) {
  const total = rows.reduce((sum, row) => sum + row.value, 0);
  const share = (value: number): number => (total <= 0 ? 0 : (value / total) * 100);
  return (
    <table class="table table--compact route-bars">
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Stage</th>
          <th scope="col" class="num">{unit}</th>
          <th scope="col" class="num">Share</th>
          <th scope="col" class="route-bars__bar-cell">
            <span class="visually-hidden">Share as a bar</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.label}>
            <td>{row.label}</td>
            <td class="num">{format(row.value)}</td>
            <td class="num">{`${share(row.value).toFixed(1)} %`}</td>
            <td class="route-bars__bar-cell" aria-hidden="true">
              <span class="route-bars__bar" style={{ width: `${share(row.value)}%` }} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One value per second of a run as SVG columns, summarised in words (the id names the summary). */
export function PerSecondChart({ id, values, unit, summary }: { id: string; values: readonly number[]; unit: string; summary: string }) {
  const max = Math.max(0, ...values);
  const top = max > 0 ? max : 1;
  const plotHeight = CHART.height - CHART.top - CHART.bottom;
  const step = (CHART.width - CHART.left) / Math.max(1, values.length);
  const label = (value: number): string => value.toLocaleString('en', { maximumFractionDigits: value < 10 ? 1 : 0 });
  return (
    <figure class="timeline">
      <svg viewBox={`0 0 ${CHART.width} ${CHART.height}`} role="img" aria-labelledby={id}>
        <line x1={CHART.left} x2={CHART.width} y1={CHART.top + plotHeight} y2={CHART.top + plotHeight} class="timeline__axis" />
        <text x={CHART.left - 6} y={CHART.top + 8} text-anchor="end" class="timeline__tick">{label(max)}</text>
        <text x={CHART.left - 6} y={CHART.top + plotHeight} text-anchor="end" class="timeline__tick">0</text>
        {values.map((value, index) => {
          const height = (value / top) * plotHeight;
          return <rect key={index} class="timeline__bar" x={CHART.left + index * step + 1} y={CHART.top + plotHeight - height} width={Math.max(1, step - 2)} height={height} />;
        })}
        <text x={CHART.left} y={CHART.height - 6} class="timeline__tick">0 s</text>
        <text x={CHART.width} y={CHART.height - 6} text-anchor="end" class="timeline__tick">{`${values.length} s`}</text>
      </svg>
      <figcaption id={id}>{summary} One column per second ({unit}).</figcaption>
    </figure>
  );
}
