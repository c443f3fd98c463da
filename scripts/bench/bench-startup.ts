/**
 * Start-up: a local server from process start to its first answered request, and the Lambda cold
 * start of the bundled handler (a fresh node process requires it and answers one API Gateway event),
 * beside the same handler loaded module by module.
 * Goal (issue 12): local start to first answer <= 1 s; Lambda cold start reported.
 *   npm run bench:startup        BENCH_RUNS=5
 */
import { execFile } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { BENCH_DIR, ADMIN_PASSWORD, ROOT, bundleServer, fmt, report, startService, type Verdict } from './harness';
import { execFileSync } from 'node:child_process';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const run = promisify(execFile);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

interface ColdStart {
  readonly status: number;
  readonly requireMs: number;
  readonly firstInvokeMs: number;
  readonly totalMs: number;
}

async function coldStart(module: string, env: Record<string, string>): Promise<ColdStart> {
  const started = performance.now();
  const { stdout } = await run(process.execPath, [join(ROOT, 'scripts/bench/cold-start.js'), module, '/tracks'], { env: { ...process.env, ...env } });
  const totalMs = performance.now() - started;
  const parsed = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { status: number; requireMs: number; firstInvokeMs: number };
  return { ...parsed, totalMs };
}

async function main(): Promise<void> {
  const server = await bundleServer();
  const local: number[] = [];
  const localCpu: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const dataDir = join(tmpdir(), `tmr-bench-start-${process.pid}-${i}`);
    const service = await startService([server], { NODE_ENV: 'production', TMR_ADMIN_PASSWORD: ADMIN_PASSWORD, TMR_STORAGE: 'local', TMR_DATA_DIR: dataDir, LOG_LEVEL: 'info' }, '/tracks');
    local.push(service.startMs);
    // CPU the process used until it answered: unlike the wall clock, barely moved by other work on the machine.
    localCpu.push(service.cpuMs());
    await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  // The bundle exactly as `npm run lambda:stage` makes it for the function.
  execFileSync(process.execPath, [join(ROOT, 'infra/stage-function.mjs')], { stdio: 'ignore' });
  const bundled = join(ROOT, 'infra/.lambda/dist/src/adapters/lambda/handler.js');
  const unbundled = join(BENCH_DIR, 'lambda-modules/handler.js');
  await build({ entryPoints: [join(ROOT, 'src/adapters/lambda/handler.ts')], outfile: unbundled, bundle: true, packages: 'external', platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
  const lambdaEnv = { NODE_ENV: 'production', TMR_ADMIN_PASSWORD: ADMIN_PASSWORD, TMR_STORAGE: 'memory', LOG_LEVEL: 'info' };
  const rows = ['| what | median of runs | detail |', '|---|---|---|', `| local server (local storage): spawn to first answered \`GET /tracks\` | ${fmt(median(local), 0)} ms | runs: ${local.map((v) => fmt(v, 0)).join(', ')} ms |`,
    `| local server: CPU time (user + system) it used until that answer | ${fmt(median(localCpu), 0)} ms | runs: ${localCpu.map((v) => fmt(v, 0)).join(', ')} ms; load average ${loadavg().map((v) => v.toFixed(1)).join(' / ')} |`];
  const colds: Record<string, ColdStart[]> = { bundled: [], 'module by module': [] };
  for (let i = 0; i < RUNS; i += 1) {
    colds.bundled?.push(await coldStart(bundled, lambdaEnv));
    colds['module by module']?.push(await coldStart(unbundled, lambdaEnv));
  }
  for (const [label, samples] of Object.entries(colds)) {
    const size = label === 'bundled' ? ` (${fmt(statSync(bundled).size / 1e6)} MB, natives external)` : '';
    rows.push(`| Lambda handler ${label}${size}: require | ${fmt(median(samples.map((s) => s.requireMs)), 0)} ms | |`);
    rows.push(`| Lambda handler ${label}: first invocation (container, app, admin seed, answer) | ${fmt(median(samples.map((s) => s.firstInvokeMs)), 0)} ms | status ${samples[0]?.status} |`);
    rows.push(`| Lambda handler ${label}: whole fresh process, node boot included | ${fmt(median(samples.map((s) => s.totalMs)), 0)} ms | |`);
  }
  const verdicts: Verdict[] = [{ goal: 'local start to first answered request <= 1 s', figure: `${fmt(median(local), 0)} ms`, holds: median(local) <= 1000 }];
  const bundledTotal = median((colds.bundled ?? []).map((s) => s.totalMs));
  verdicts.push({ goal: 'Lambda cold start of the bundled function (reported; memory storage, no network)', figure: `${fmt(bundledTotal, 0)} ms`, holds: true });
  report(`Start-up, ${RUNS} runs each`, rows, verdicts);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
