import { Agent } from 'node:http';
import type { RunTarget } from '../../domain/performance/performance-run';
import type { RunSettings } from '../../domain/performance/run-settings';
import { parseServerTiming, RunRecorder, type RequestSample, type RunResult } from '../../domain/performance/run-statistics';
import { exchange, type RegistryClient, type TokenSupply } from './registry-client';

export interface LoadProgress {
  readonly elapsedSeconds: number;
  readonly completed: number;
  readonly errors: number;
  readonly bytes: number;
}

const PROGRESS_EVERY_MS = 500;
const MAX_RUN_MS = 300_000;

/**
 * `clients` loops, each with its own tokens, downloading the target as soon as its previous download ended, until the
 * duration is over or the request count is issued. In S3 mode the registry answers with a redirect
 * to a presigned URL, which is followed as a browser would: the hop's time counts as transfer.
 */
export async function runDownloads(
  client: RegistryClient,
  target: RunTarget,
  settings: RunSettings,
  report: (progress: LoadProgress) => void,
  stopped: () => boolean,
): Promise<RunResult> {
  const recorder = new RunRecorder();
  const supplies = Array.from({ length: settings.clients }, () => client.newTokenSupply());
  // Signing in costs a password hash each; it is done before the clock starts.
  await Promise.all(supplies.map((supply) => supply.warm()));
  // Sockets of their own: ones left idle by populating may be closed by the registry (its keep-alive
  // timeout) just as a download is sent on them, which would count as an error no client would see twice.
  const agent = new Agent({ keepAlive: true, maxSockets: settings.clients });
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  const deadline = Math.min(MAX_RUN_MS, (settings.durationSeconds ?? MAX_RUN_MS / 1000) * 1000);
  let issued = 0;
  const more = (): boolean => {
    if (stopped() || elapsed() >= deadline) return false;
    if (settings.requests !== undefined && issued >= settings.requests) return false;
    issued += 1;
    return true;
  };
  const path = `/artifacts/${target.type}/${encodeURIComponent(target.id)}/download`;
  const progress = (): LoadProgress => ({ elapsedSeconds: Math.round(elapsed() / 100) / 10, completed: recorder.requests, errors: recorder.errors, bytes: recorder.bytes });
  const ticker = setInterval(() => report(progress()), PROGRESS_EVERY_MS);
  try {
    const loop = async (tokens: TokenSupply): Promise<void> => {
      while (more()) recorder.record(await downloadOnce(agent, client, tokens, path, elapsed));
    };
    await Promise.all(supplies.map(loop));
  } finally {
    clearInterval(ticker);
    agent.destroy();
  }
  report(progress());
  return recorder.result(elapsed());
}

async function downloadOnce(agent: Agent, client: RegistryClient, tokens: TokenSupply, path: string, elapsed: () => number): Promise<RequestSample> {
  const token = await tokens.authorization();
  const startedAtMs = elapsed();
  const began = performance.now();
  try {
    const first = await exchange(agent, client.url(path), { method: 'GET', headers: { 'X-Authorization': token } });
    const serverTiming = parseServerTiming(headerText(first.headers['server-timing']));
    if (first.status === 403) tokens.rejected(token);
    const location = first.headers.location;
    if (first.status === 302 && location !== undefined) {
      const stored = await exchange(agent, new URL(location, client.baseUrl), { method: 'GET' });
      return {
        startedAtMs, ttfbMs: first.ttfbMs, latencyMs: performance.now() - began, bytes: stored.bytes,
        status: stored.status, ok: stored.status === 200, serverTiming,
      };
    }
    return { startedAtMs, ttfbMs: first.ttfbMs, latencyMs: first.latencyMs, bytes: first.bytes, status: first.status, ok: first.status === 200, serverTiming };
  } catch (error) {
    const failure = error instanceof Error ? `${(error as NodeJS.ErrnoException).code ?? error.name}: ${error.message}`.slice(0, 200) : String(error);
    return { startedAtMs, ttfbMs: 0, latencyMs: performance.now() - began, bytes: 0, status: 0, ok: false, failure, serverTiming: {} };
  }
}

const headerText = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value.join(', ') : value);
