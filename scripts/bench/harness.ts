/**
 * What every benchmark shares: the registry and the bare Node baseline run as their own processes,
 * load comes from wrk in a third, and each figure is printed with its ratio and whether the goal holds.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';

export const ROOT = resolve(__dirname, '..', '..');
export const BENCH_DIR = join(ROOT, '.bench');
const run = promisify(execFile);

/** Compiles the server the way it ships (plain JavaScript, dependencies from node_modules), in about a second. */
export async function bundleServer(): Promise<string> {
  mkdirSync(BENCH_DIR, { recursive: true });
  const outfile = join(BENCH_DIR, 'server.js');
  await build({
    entryPoints: [join(ROOT, 'src/adapters/http/server.ts')],
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', outfile, logLevel: 'warning',
  });
  return outfile;
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

export interface Service {
  readonly url: string;
  readonly process: ChildProcess;
  /** Milliseconds from spawn to the first answered request. */
  readonly startMs: number;
  /** Peak resident set size so far, in MB (VmHWM). */
  peakRssMb(): number;
  /** CPU time the process has used so far (user + system), in milliseconds. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Spawns a Node process serving HTTP and waits until `probePath` answers. */
export async function startService(args: readonly string[], env: Record<string, string>, probePath: string): Promise<Service> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...args], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}${probePath}`);
      await response.arrayBuffer();
      break;
    } catch {
      await new Promise((done) => setTimeout(done, 5));
    }
  }
  const startMs = performance.now() - started;
  return {
    url,
    process: child,
    startMs,
    peakRssMb: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    cpuMs: () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return (Number(fields[11]) + Number(fields[12])) * 10;
    },
    stop: () => new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    }),
  };
}

/** The registry in production mode on local storage, in a fresh data directory. */
/**
 * Node flags for the registry and the bare servers alike (`BENCH_NODE_FLAGS`, space-separated; none
 * by default, as `npm start` gives none), to compare runtime settings on both sides of a ratio.
 */
export const NODE_FLAGS: readonly string[] = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);

export async function startRegistry(extraEnv: Record<string, string> = {}): Promise<Service & { dataDir: string }> {
  const server = await bundleServer();
  const dataDir = join(tmpdir(), `tmr-bench-${process.pid}-${Date.now()}`);
  const service = await startService([...NODE_FLAGS, server], {
    NODE_ENV: 'production', TMR_ADMIN_PASSWORD: ADMIN_PASSWORD, TMR_STORAGE: 'local', TMR_DATA_DIR: dataDir,
    LOG_LEVEL: 'info', TMR_INGEST_MIN_SCORE: '0', HF_ENDPOINT: 'http://127.0.0.1:9', GITHUB_API_URL: 'http://127.0.0.1:9', ...extraEnv,
  }, '/tracks');
  return { ...service, dataDir };
}

export const ADMIN = 'ece30861defaultadminuser';
export const ADMIN_PASSWORD = 'bench-admin-password-1';

export async function login(url: string): Promise<string> {
  const response = await fetch(`${url}/authenticate`, {
    method: 'PUT', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: { name: ADMIN, is_admin: true }, secret: { password: ADMIN_PASSWORD } }),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as string;
}

/** Enough tokens for `calls` requests (each is good for 1,000), fetched a few at a time. */
export async function tokensFor(url: string, calls: number): Promise<string[]> {
  const needed = Math.max(2, Math.ceil(calls / 900));
  const tokens: string[] = [];
  while (tokens.length < needed) tokens.push(...(await Promise.all([login(url), login(url)])));
  return tokens;
}

export interface WrkResult {
  readonly requestsPerSec: number;
  readonly bytesPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  readonly requests: number;
  readonly errors: number;
}

/** Drives `url` with wrk (2 threads) from its own process; every request carries the next token. */
export async function wrk(url: string, options: { connections: number; seconds: number; tokens?: readonly string[]; method?: string; body?: string }): Promise<WrkResult> {
  const scriptDir = mkdtempSync(join(tmpdir(), 'tmr-wrk-'));
  const script = join(scriptDir, 'load.lua');
  const tokens = options.tokens ?? [];
  writeFileSync(script, [
    `local tokens = {${tokens.map((t) => JSON.stringify(t)).join(',')}}`,
    'local i = math.random(1, 1000)',
    `wrk.method = ${JSON.stringify(options.method ?? 'GET')}`,
    options.body === undefined ? '' : `wrk.body = ${JSON.stringify(options.body)}\nwrk.headers["Content-Type"] = "application/json"`,
    'request = function()',
    '  i = i + 1',
    '  if #tokens > 0 then wrk.headers["X-Authorization"] = tokens[(i % #tokens) + 1] end',
    '  return wrk.format()',
    'end',
    'done = function(summary, latency, requests)',
    '  io.write(string.format("JSON {\\"requests\\":%d,\\"bytes\\":%d,\\"seconds\\":%f,\\"p50\\":%f,\\"p99\\":%f,\\"p999\\":%f,\\"max\\":%f,\\"non2xx\\":%d,\\"errors\\":%d}\\n",',
    '    summary.requests, summary.bytes, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3, latency:percentile(99.9) / 1e3, latency.max / 1e3,',
    '    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))',
    'end',
  ].join('\n'));
  let stdout: string;
  try {
    ({ stdout } = await run('wrk', ['-t2', `-c${options.connections}`, `-d${options.seconds}s`, '--timeout', '30s', '-s', script, url], { maxBuffer: 1 << 20 }));
  } finally {
    rmSync(scriptDir, { recursive: true, force: true });
  }
  const line = stdout.split('\n').find((l) => l.startsWith('JSON '));
  if (line === undefined) throw new Error(`wrk printed no summary:\n${stdout}`);
  const raw = JSON.parse(line.slice(5)) as { requests: number; bytes: number; seconds: number; p50: number; p99: number; p999: number; max: number; non2xx: number; errors: number };
  return {
    requestsPerSec: raw.requests / raw.seconds, bytesPerSec: raw.bytes / raw.seconds, p50Ms: raw.p50, p99Ms: raw.p99, p999Ms: raw.p999, maxMs: raw.max,
    requests: raw.requests, errors: raw.non2xx + raw.errors,
  };
}

export function machine(): string {
  return `${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, ${new Date().toISOString()}`;
}

export interface Verdict {
  readonly goal: string;
  readonly figure: string;
  readonly holds: boolean;
}

export function report(title: string, rows: readonly string[], verdicts: readonly Verdict[]): void {
  const lines = [`## ${title}`, '', machine(), '', ...rows, '', '| goal | measured | holds |', '|---|---|---|',
    ...verdicts.map((v) => `| ${v.goal} | ${v.figure} | ${v.holds ? 'yes' : 'NO'} |`), ''];
  process.stdout.write(`${lines.join('\n')}\n`);
}

export const fmt = (n: number, digits = 1): string => n.toFixed(digits);
