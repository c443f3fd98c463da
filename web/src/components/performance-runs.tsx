import { useEffect, useState } from 'preact/hooks';
import { ApiError, getPerformanceRun, listPerformanceRuns, startPerformanceRun } from '../api';
import type { PerformanceRun, PerformanceRunRequest, RunStage } from '../api-types';
import { formatBytes, formatDate, plural } from '../format';
import { currentToken } from '../session';
import { useLoad } from '../use-load';
import { PerSecondChart, ShareBars } from './charts';
import { ErrorAlert, StatusMessage } from './feedback';
import { ProgressBar } from './progress';

const POLL_MS = 1000;
const STAGES: readonly { stage: RunStage; label: string }[] = [
  { stage: 'auth', label: 'Authentication' },
  { stage: 'metadata', label: 'Metadata (artifact record)' },
  { stage: 'storage', label: 'Storage (open or sign)' },
  { stage: 'audit', label: 'Audit record' },
  { stage: 'server_other', label: 'Other server work (routing, validation, waits)' },
  { stage: 'queue', label: 'Waiting (connection, queue, redirect)' },
  { stage: 'transfer', label: 'Transfer (first to last byte)' },
];

const ms = (value: number): string => `${value.toLocaleString('en', { maximumFractionDigits: value < 10 ? 2 : 0 })} ms`;
const rate = (value: number): string => value.toLocaleString('en', { maximumFractionDigits: value < 10 ? 2 : 1 });

type Runs = { runs: PerformanceRun[] } | { unavailable: string };

/** Load runs are for administrators: anyone else sees why they are not offered, never an error. */
async function loadRuns(): Promise<Runs> {
  if (currentToken() === undefined) return { unavailable: 'Sign in as an administrator to run and compare load tests.' };
  try {
    return { runs: await listPerformanceRuns() };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return { unavailable: 'Only administrators can run load tests.' };
    throw error;
  }
}

/**
 * The performance track on the dashboard: start a load run, follow it, see where the time went and
 * compare it with earlier runs.
 */
export function PerformanceRuns() {
  const list = useLoad(loadRuns, []);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [live, setLive] = useState<PerformanceRun | undefined>(undefined);
  const runs = list.data !== undefined && 'runs' in list.data ? list.data.runs : [];
  const running = live?.status === 'running' ? live : runs.find((run) => run.status === 'running');
  const { reload } = list;

  useEffect(() => {
    if (running === undefined) return;
    const timer = setInterval(() => {
      getPerformanceRun(running.id).then((run) => {
        setLive(run);
        if (run.status !== 'running') {
          setSelected(run.id);
          reload();
        }
      }, () => undefined);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [running?.id, reload]);

  if (list.status === 'failed' && list.data === undefined) return <ErrorAlert error={list.error} onRetry={reload} />;
  if (list.data === undefined) return <StatusMessage>Loading the performance runs…</StatusMessage>;
  if ('unavailable' in list.data) return <p class="meta">{list.data.unavailable}</p>;
  const shown = runs.find((run) => run.id === (selected ?? runs.find((item) => item.status !== 'running')?.id));
  return (
    <>
      <StartRunForm disabled={running !== undefined} onStarted={(run) => { setLive(run); reload(); }} />
      <StatusMessage>{running === undefined ? '' : describeProgress(live?.id === running.id ? live : running)}</StatusMessage>
      {running !== undefined && <RunProgress run={live?.id === running.id ? live : running} />}
      {live?.status === 'failed' && <div class="alert alert--error" role="alert"><p class="alert__title">The run failed.</p><p>{live.failure}</p></div>}
      {shown !== undefined && <RunResultView run={shown} />}
      <RunComparison runs={runs} selected={shown?.id} onSelect={setSelected} />
    </>
  );
}

function numberOf(value: string): number | undefined {
  const parsed = Number(value);
  return value.trim() === '' || !Number.isFinite(parsed) ? undefined : parsed;
}

function StartRunForm({ disabled, onStarted }: { disabled: boolean; onStarted: (run: PerformanceRun) => void }) {
  const [clients, setClients] = useState('100');
  const [stopBy, setStopBy] = useState<'duration' | 'requests'>('duration');
  const [limit, setLimit] = useState('30');
  const [artifactId, setArtifactId] = useState('');
  const [populate, setPopulate] = useState(true);
  const [models, setModels] = useState('500');
  const [packageMb, setPackageMb] = useState('52');
  const [error, setError] = useState<unknown>(undefined);
  const [starting, setStarting] = useState(false);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (disabled || starting) return;
    const megabytes = numberOf(packageMb);
    const request: PerformanceRunRequest = {
      clients: numberOf(clients) ?? 100,
      ...(stopBy === 'duration' ? { duration_seconds: numberOf(limit) ?? 30 } : { requests: numberOf(limit) ?? 1000 }),
      ...(artifactId.trim() === '' ? {} : { artifact_id: artifactId.trim() }),
      ...(populate ? { populate: { models: numberOf(models) ?? 500, package_bytes: Math.round((megabytes ?? 52) * 1_000_000) } } : {}),
    };
    setStarting(true);
    setError(undefined);
    try {
      onStarted(await startPerformanceRun(request));
    } catch (failure) {
      setError(failure);
    } finally {
      setStarting(false);
    }
  };

  return (
    <form class="form" aria-labelledby="start-run-heading" onSubmit={submit}>
      <h3 id="start-run-heading">Start a load run</h3>
      <p class="section__intro">
        Clients in a separate process download one package over HTTP, each starting its next download when the last one ends. The run signs in as its own user.
      </p>
      <div class="field-row">
        <div class="field">
          <label for="run-clients">Concurrent clients</label>
          <input id="run-clients" type="number" min={1} max={256} step={1} required value={clients} aria-describedby="run-clients-hint" onInput={(event) => setClients(event.currentTarget.value)} />
          <p class="hint" id="run-clients-hint">1 to 256.</p>
        </div>
        <fieldset>
          <legend>End the run after</legend>
          <div class="checks">
            <label class="check"><input type="radio" name="run-stop" checked={stopBy === 'duration'} onChange={() => { setStopBy('duration'); setLimit('30'); }} /> a duration</label>
            <label class="check"><input type="radio" name="run-stop" checked={stopBy === 'requests'} onChange={() => { setStopBy('requests'); setLimit('1000'); }} /> a number of downloads</label>
          </div>
        </fieldset>
        <div class="field">
          <label for="run-limit">{stopBy === 'duration' ? 'Duration in seconds' : 'Downloads'}</label>
          <input id="run-limit" type="number" min={1} max={stopBy === 'duration' ? 300 : 1_000_000} step={1} required value={limit} aria-describedby="run-limit-hint" onInput={(event) => setLimit(event.currentTarget.value)} />
          <p class="hint" id="run-limit-hint">{stopBy === 'duration' ? 'At most 300 seconds.' : 'The run still stops after 300 seconds.'}</p>
        </div>
      </div>
      <div class="field">
        <label for="run-artifact">Artifact id to download</label>
        <input id="run-artifact" type="text" value={artifactId} aria-describedby="run-artifact-hint" onInput={(event) => setArtifactId(event.currentTarget.value)} />
        <p class="hint" id="run-artifact-hint">Leave empty to download the package the run populates.</p>
      </div>
      <label class="check">
        <input type="checkbox" checked={populate} onChange={(event) => setPopulate(event.currentTarget.checked)} /> Populate the registry first
      </label>
      {populate && (
        <div class="field-row">
          <div class="field">
            <label for="run-models">Models the registry should hold</label>
            <input id="run-models" type="number" min={1} max={2000} step={1} value={models} onInput={(event) => setModels(event.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="run-package">Package weights in MB</label>
            <input id="run-package" type="number" min={0.001} max={512} step="any" value={packageMb} aria-describedby="run-package-hint" onInput={(event) => setPackageMb(event.currentTarget.value)} />
            <p class="hint" id="run-package-hint">52 MB is a Tiny-LLM-sized model. Made once per size and reused.</p>
          </div>
        </div>
      )}
      <div class="actions">
        <button type="submit" class="button" aria-disabled={disabled || starting ? 'true' : undefined}>
          Start load run
        </button>
      </div>
      {disabled && <p class="meta">A run is in progress; the next one can start when it ends.</p>}
      {error !== undefined && <ErrorAlert error={error} />}
    </form>
  );
}

function describeProgress(run: PerformanceRun): string {
  const { progress } = run;
  if (progress.phase === 'populating') return `Populating the registry: ${progress.models ?? 0} of ${progress.models_wanted ?? 0} models.`;
  if (progress.phase === 'running') return `Running: ${progress.elapsed_seconds} s, ${plural(progress.completed, 'download')}, ${plural(progress.errors, 'error')}.`;
  return 'Starting the run…';
}

function RunProgress({ run }: { run: PerformanceRun }) {
  const { progress, settings } = run;
  if (progress.phase === 'populating') {
    return <ProgressBar label="Populating the registry" value={progress.models ?? 0} max={progress.models_wanted ?? 1} valueText={describeProgress(run)} />;
  }
  if (progress.phase === 'running' && settings.duration_seconds !== undefined) {
    return <ProgressBar label="Load run in progress" value={progress.elapsed_seconds} max={settings.duration_seconds} valueText={describeProgress(run)} />;
  }
  if (progress.phase === 'running' && settings.requests !== undefined) {
    return <ProgressBar label="Load run in progress" value={progress.completed} max={settings.requests} valueText={describeProgress(run)} />;
  }
  return <ProgressBar label="Load run in progress" valueText={describeProgress(run)} />;
}

const storageOf = (run: PerformanceRun): string =>
  run.environment.storage === 's3' ? `s3 (${run.environment.storage_endpoint === 'aws' ? 'AWS' : 'compatible server'})` : run.environment.storage;

function RunResultView({ run }: { run: PerformanceRun }) {
  const result = run.result;
  const heading = `Run of ${formatDate(run.started_at)}`;
  return (
    <section class="section" aria-labelledby="run-result-heading">
      <h3 id="run-result-heading">{heading}</h3>
      <p class="meta">
        {plural(run.settings.clients, 'client')} downloading {run.target === undefined ? 'an artifact' : `${run.target.name} (${formatBytes(run.target.size_bytes)})`} on {storageOf(run)} storage; {run.environment.cpu_count} CPUs ({run.environment.cpu_model}), Node {run.environment.node_version}.
      </p>
      {result === undefined ? (
        <p>{run.status === 'failed' ? `This run failed: ${run.failure ?? 'no reason given'}.` : 'No result yet.'}</p>
      ) : (
        <>
          <dl class="figures">
            <Figure term="Throughput" value={`${rate(result.throughput.requests_per_second)} req/s`} />
            <Figure term="Data rate" value={`${rate(result.throughput.megabytes_per_second)} MB/s`} />
            <Figure term="Mean latency" value={ms(result.latency_ms.mean)} />
            <Figure term="Median latency" value={ms(result.latency_ms.median)} />
            <Figure term="p99 latency" value={ms(result.latency_ms.p99)} />
            <Figure term="Max latency" value={ms(result.latency_ms.max)} />
            <Figure term="Errors" value={`${result.errors.toLocaleString('en')} of ${result.requests.toLocaleString('en')}`} />
          </dl>
          <h4>Where the time goes</h4>
          <ShareBars
            caption="Mean milliseconds per download by stage, in the order a download spends them"
            unit="Mean"
            rows={STAGES.map(({ stage, label }) => ({ label, value: result.breakdown_ms[stage] }))}
            format={ms}
          />
          <h4>Data rate over the run</h4>
          <PerSecondChart
            id={`run-chart-${run.id}`}
            values={result.timeline.map((point) => point.megabytes)}
            unit="MB per second"
            summary={`${plural(result.requests, 'download')} in ${rate(result.duration_seconds)} s; ${rate(result.throughput.megabytes_per_second)} MB/s on average.`}
          />
        </>
      )}
    </section>
  );
}

function Figure({ term, value }: { term: string; value: string }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function RunComparison({ runs, selected, onSelect }: { runs: readonly PerformanceRun[]; selected: string | undefined; onSelect: (id: string) => void }) {
  if (runs.length === 0) return <p class="meta">No runs yet.</p>;
  return (
    <section class="section" aria-labelledby="runs-heading">
      <h3 id="runs-heading">All runs, side by side</h3>
      <div class="table-scroll">
        <table class="table table--compact">
          <caption class="visually-hidden">Performance runs, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Started (UTC)</th>
              <th scope="col">Storage</th>
              <th scope="col" class="num">Clients</th>
              <th scope="col" class="num">Package</th>
              <th scope="col" class="num">Req/s</th>
              <th scope="col" class="num">MB/s</th>
              <th scope="col" class="num">Mean</th>
              <th scope="col" class="num">Median</th>
              <th scope="col" class="num">p99</th>
              <th scope="col" class="num">Max</th>
              <th scope="col" class="num">Errors</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id} aria-current={run.id === selected ? 'true' : undefined}>
                <td>{formatDate(run.started_at)}</td>
                <td>{storageOf(run)}</td>
                <td class="num">{run.settings.clients}</td>
                <td class="num">{run.target === undefined ? '' : formatBytes(run.target.size_bytes)}</td>
                {run.result === undefined ? (
                  <td colSpan={7}>{run.status === 'running' ? 'In progress' : 'Failed'}</td>
                ) : (
                  <>
                    <td class="num">{rate(run.result.throughput.requests_per_second)}</td>
                    <td class="num">{rate(run.result.throughput.megabytes_per_second)}</td>
                    <td class="num">{ms(run.result.latency_ms.mean)}</td>
                    <td class="num">{ms(run.result.latency_ms.median)}</td>
                    <td class="num">{ms(run.result.latency_ms.p99)}</td>
                    <td class="num">{ms(run.result.latency_ms.max)}</td>
                    <td class="num">{run.result.errors.toLocaleString('en')}</td>
                  </>
                )}
                <td>
                  {run.status !== 'running' && (
                    <button type="button" class="button button--secondary" aria-pressed={run.id === selected} onClick={() => onSelect(run.id)}>
                      Show<span class="visually-hidden"> the run of {formatDate(run.started_at)}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
