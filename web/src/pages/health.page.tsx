import { useEffect, useState } from 'preact/hooks';
import { ApiError, getHealth, getHealthComponents, getRecentLogs, type LogLine } from '../api';
import { currentToken } from '../session';
import type { HealthComponent, HealthStatus } from '../api-types';
import { RouteBars, Timeline } from '../components/charts';
import { ErrorAlert, StatusMessage } from '../components/feedback';
import { PerformanceRuns } from '../components/performance-runs';
import { PageTitle } from '../components/page-title';
import { formatDate, formatDuration, humanise } from '../format';
import { useLoad } from '../use-load';

const REFRESH_MS = 10_000;
const TOP_ROUTES = 6;
const LOG_LINES = 40;
const SHOWN_PROBLEMS = 5;
const STATUS_LABELS: Record<HealthStatus, string> = { ok: 'OK', degraded: 'Degraded', critical: 'Critical', unknown: 'Unknown' };

/** Public dashboard: overall status, components, traffic per route and per minute, refreshed every 10 s. */
export function HealthPage() {
  const [live, setLive] = useState(true);
  const report = useLoad(async () => {
    const [summary, detail, logs] = await Promise.all([getHealth(), getHealthComponents(60), recentLogs()]);
    return { summary, detail, logs };
  }, []);
  const { reload } = report;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [live, reload]);

  const data = report.data;
  const api = data?.detail.components.find((component) => component.id === 'api');
  return (
    <>
      <div class="page-head">
        <PageTitle title="Health" />
        {data !== undefined && <StatusBadge status={data.summary.status} />}
      </div>
      <p class="lead">How the registry is doing over the last hour. Needs no sign-in.</p>
      <div class="toolbar">
        <button type="button" class="button button--secondary" aria-pressed={!live} onClick={() => setLive((value) => !value)}>
          {live ? 'Pause live updates' : 'Resume live updates'}
        </button>
        <button type="button" class="button button--secondary" onClick={reload}>
          Refresh now
        </button>
        <p class="meta">
          {live ? 'Updates every 10 seconds.' : 'Live updates paused.'} {data !== undefined && <>Last checked {formatDate(data.summary.checked_at)}.</>}
        </p>
      </div>
      <StatusMessage>{report.status === 'loading' && data === undefined ? 'Loading the health report…' : ''}</StatusMessage>
      {report.status === 'failed' && <ErrorAlert error={report.error} onRetry={reload} />}
      {data !== undefined && (
        <>
          <dl class="figures">
            <div>
              <dt>Requests, last hour</dt>
              <dd>{(data.summary.request_summary?.total_requests ?? 0).toLocaleString('en')}</dd>
            </div>
            <div>
              <dt>Distinct clients</dt>
              <dd>{(data.summary.request_summary?.unique_clients ?? 0).toLocaleString('en')}</dd>
            </div>
            <div>
              <dt>Up for</dt>
              <dd>{data.summary.uptime_seconds === undefined ? 'unknown' : formatDuration(data.summary.uptime_seconds)}</dd>
            </div>
            <div>
              <dt>Version</dt>
              <dd>{data.summary.version ?? 'unknown'}</dd>
            </div>
          </dl>
          <section class="section card" aria-labelledby="components-heading">
            <h2 id="components-heading">Components</h2>
            <ul class="components">
              {data.detail.components.map((component) => (
                <ComponentCard key={component.id} component={component} />
              ))}
            </ul>
          </section>
          <div class="health-grid">
            <section class="section card" aria-labelledby="timeline-heading">
              <h2 id="timeline-heading">Requests per minute</h2>
              <Timeline points={api?.timeline ?? []} unit={api?.timeline?.[0]?.unit ?? 'requests/minute'} />
            </section>
            <section class="section card" aria-labelledby="routes-heading">
              <h2 id="routes-heading">Requests per route</h2>
              <RouteBars perRoute={data.summary.request_summary?.per_route ?? {}} limit={TOP_ROUTES} />
            </section>
          </div>
          <section class="section card" aria-labelledby="performance-heading">
            <h2 id="performance-heading">Performance runs</h2>
            <PerformanceRuns />
          </section>
          <section class="section card" aria-labelledby="logs-heading">
            <h2 id="logs-heading">Recent log lines</h2>
            <RecentLogLines logs={data.logs} />
          </section>
        </>
      )}
    </>
  );
}

function StatusBadge({ status }: { status: HealthStatus }) {
  return <span class={`status-badge status-badge--${status}`}>{STATUS_LABELS[status]}</span>;
}

function ComponentCard({ component }: { component: HealthComponent }) {
  return (
    <li class="component">
      <div class="component__head">
        <h3>{component.display_name ?? component.id}</h3>
        <StatusBadge status={component.status} />
      </div>
      {component.description !== undefined && <p class="meta">{component.description}</p>}
      {component.metrics !== undefined && (
        <dl class="metrics-list">
          {Object.entries(component.metrics).map(([name, value]) => (
            <div key={name}>
              <dt>{humanise(name)}</dt>
              <dd>{typeof value === 'number' ? value.toLocaleString('en') : String(value)}</dd>
            </div>
          ))}
        </dl>
      )}
      {(component.issues ?? []).length > 0 && (
        <ul class="issues">
          {(component.issues ?? []).map((issue) => (
            <li key={issue.code} class={`issue issue--${issue.severity}`}>
              <strong>{humanise(issue.severity)}:</strong> {issue.summary}
              {issue.details !== undefined && <span class="meta"> — {issue.details}</span>}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

type Logs = { lines: LogLine[] } | { unavailable: string };

/** Log lines are for administrators: anyone else sees why they are not shown, never an error. */
async function recentLogs(): Promise<Logs> {
  if (currentToken() === undefined) return { unavailable: 'Sign in as an administrator to see the most recent log lines.' };
  try {
    return { lines: await getRecentLogs(LOG_LINES) };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return { unavailable: 'Only administrators can read the logs.' };
    throw error;
  }
}

const PROBLEM_LEVELS = new Set(['warn', 'error', 'fatal']);
const clock = (iso: string): string => new Date(iso).toLocaleTimeString('en-GB', { timeZone: 'UTC' });
const requestOf = (line: LogLine): string => (line.method === undefined ? '' : `${line.method} ${line.url ?? ''}`);

/**
 * The newest line and a count per level at a glance, warnings and errors listed, and every line
 * (newest first) behind a disclosure: the page stays short until someone wants the detail.
 */
function RecentLogLines({ logs }: { logs: Logs }) {
  if ('unavailable' in logs) return <p class="meta">{logs.unavailable}</p>;
  if (logs.lines.length === 0) return <p class="meta">Nothing has been logged yet.</p>;
  const lines = [...logs.lines].reverse().sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
  const newest = lines[0];
  const levels = new Map<string, number>();
  for (const line of lines) levels.set(line.level, (levels.get(line.level) ?? 0) + 1);
  const problems = lines.filter((line) => PROBLEM_LEVELS.has(line.level));
  return (
    <>
      {newest !== undefined && (
        <p class="log-summary">
          Newest, at {clock(newest.time)} UTC: {requestOf(newest)} {newest.status ?? ''} {newest.message}. Of the last {lines.length}:{' '}
          {[...levels].map(([level, count]) => `${count} ${level}`).join(', ')}.
        </p>
      )}
      {problems.length > 0 && (
        <ul class="log-problems" aria-label="Warnings and errors, newest first">
          {problems.slice(0, SHOWN_PROBLEMS).map((line, index) => (
            <li key={`${line.time}-${index}`} class={`issue issue--${line.level === 'warn' ? 'warning' : 'critical'}`}>
              <strong>{humanise(line.level)}</strong> at {clock(line.time)} UTC: {requestOf(line)} {line.status ?? ''} {line.message}
            </li>
          ))}
        </ul>
      )}
      <details class="log-details">
        <summary>All {lines.length} lines, newest first</summary>
        <div class="table-scroll">
          <table class="table table--compact">
            <caption class="visually-hidden">The last {lines.length} log lines, newest first; times in UTC</caption>
            <thead>
              <tr>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Level</th>
                <th scope="col">Request</th>
                <th scope="col">Status</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line, index) => (
                <tr key={`${line.time}-${index}`}>
                  <td>
                    <time dateTime={line.time}>{clock(line.time)}</time>
                  </td>
                  <td>{line.level}</td>
                  <td>{requestOf(line)}</td>
                  <td>{line.status ?? ''}</td>
                  <td>{line.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
