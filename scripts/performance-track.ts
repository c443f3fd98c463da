/**
 * Runs the performance track against a running registry exactly as the dashboard does: signs in as
 * the administrator, POSTs /admin/performance-runs, polls the run until it ends and prints its figures.
 *
 *   npm start   (or npm run start:s3 with npm run s3rver, or TMR_STORAGE=memory npm start)
 *   npm run bench:track -- --url http://127.0.0.1:3000 --clients 100 --duration 30 --models 500 --package-bytes 52000000
 *
 * The admin password is TMR_ADMIN_PASSWORD's (the contract's default when unset).
 */
import { CONTRACT_ADMIN_PASSWORD } from '../src/config';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

interface Run {
  id: string;
  status: string;
  failure?: string;
  environment: { storage: string; cpu_count: number; cpu_model: string; node_version: string };
  target?: { name: string; size_bytes: number };
  progress: { phase: string; elapsed_seconds: number; completed: number; models?: number; models_wanted?: number };
  result?: {
    requests: number;
    errors: number;
    duration_seconds: number;
    throughput: { requests_per_second: number; megabytes_per_second: number };
    latency_ms: { mean: number; median: number; p99: number; max: number };
    breakdown_ms: Record<string, number>;
  };
}

async function call<T>(url: string, init: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

async function main(): Promise<void> {
  const base = option('url', 'http://127.0.0.1:3000');
  const token = await call<string>(`${base}/authenticate`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    // The only place outside config.ts that reads the environment: this script is a client.
    body: JSON.stringify({ user: { name: 'ece30861defaultadminuser', is_admin: true }, secret: { password: process.env.TMR_ADMIN_PASSWORD ?? CONTRACT_ADMIN_PASSWORD } }),
  });
  const headers = { 'X-Authorization': token, 'Content-Type': 'application/json' };
  const request = {
    clients: Number(option('clients', '100')),
    duration_seconds: Number(option('duration', '30')),
    populate: { models: Number(option('models', '500')), package_bytes: Number(option('package-bytes', '52000000')) },
  };
  let run = await call<Run>(`${base}/admin/performance-runs`, { method: 'POST', headers, body: JSON.stringify(request) });
  let last = '';
  while (run.status === 'running') {
    await new Promise((done) => setTimeout(done, 2000));
    run = await call<Run>(`${base}/admin/performance-runs/${run.id}`, { headers });
    const line = `${run.progress.phase} ${run.progress.phase === 'populating' ? `${run.progress.models ?? 0}/${run.progress.models_wanted ?? 0} models` : `${run.progress.elapsed_seconds} s, ${run.progress.completed} downloads`}`;
    if (line !== last) process.stderr.write(`${line}\n`);
    last = line;
  }
  if (run.result === undefined) throw new Error(`run ${run.id} ${run.status}: ${run.failure ?? ''}`);
  const { result, environment, target } = run;
  const b = result.breakdown_ms;
  process.stdout.write([
    `run ${run.id}: ${environment.storage}, ${request.clients} clients, ${target?.name} (${target?.size_bytes} bytes), ${environment.cpu_count}× ${environment.cpu_model}, Node ${environment.node_version}`,
    '| storage | req/s | MB/s | mean ms | median ms | p99 ms | max ms | errors / requests | auth | metadata | storage | audit | server other | queue | transfer |',
    `| ${environment.storage} | ${result.throughput.requests_per_second} | ${result.throughput.megabytes_per_second} | ${result.latency_ms.mean} | ${result.latency_ms.median} | ${result.latency_ms.p99} | ${result.latency_ms.max} | ${result.errors} / ${result.requests} | ${b.auth} | ${b.metadata} | ${b.storage} | ${b.audit} | ${b.server_other} | ${b.queue} | ${b.transfer} |`,
    '',
  ].join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
