/**
 * Authenticated small JSON reads under 50 clients against a bare Node server answering the same body.
 * Goal (issue 12): each read at least 0.1x the bare server's throughput, p99 within 10x its p99.
 *   npm run bench:reads        BENCH_SECONDS=5 BENCH_ROUNDS=3 BENCH_CLIENTS=50 BENCH_WARMUP_SECONDS=3 BENCH_NODE_FLAGS=
 *
 * This machine's speed drifts by up to 2x within a minute, so the two servers are measured in
 * alternating rounds (registry, bare, bare, registry, ...) and each figure is the median of its
 * rounds; a ratio is the median of the rounds' ratios. A third server, bare Node spinning the
 * registry's CPU time per request before answering, shows the tail latency any server that busy
 * has here: the registry's p99 over its p99 is what the registry adds beyond its CPU cost.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { referencePackage } from '../../test/support/hf-packages';
import { BENCH_DIR, ROOT, fmt, login, report, NODE_FLAGS, startRegistry, startService, tokensFor, wrk, type Service, type Verdict, type WrkResult } from './harness';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
// Both servers are driven this long before each measured run: the JIT has compiled their hot paths
// then, and the figures compare steady states rather than warm-ups.
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
// Tokens are issued for this many calls a second (1,000 uses each): a run that spends them all
// measures refusals, which the error count then shows.
const CALLS_PER_SECOND = 30_000;

interface Round {
  readonly result: WrkResult;
  readonly cpuUs: number;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** One measured run, with the server's own CPU time per request (other load on the machine moves it less). */
async function measure(service: Service, url: string, tokens?: readonly string[]): Promise<Round> {
  const cpu = service.cpuMs();
  const result = await wrk(url, { connections: CLIENTS, seconds: SECONDS, ...(tokens === undefined ? {} : { tokens }) });
  return { result, cpuUs: ((service.cpuMs() - cpu) * 1000) / Math.max(1, result.requests) };
}

async function main(): Promise<void> {
  const registry = await startRegistry();
  const rows = [
    '| read | registry req/s | p50 / p99 ms | CPU µs/req | bare req/s | p50 / p99 ms | CPU µs/req | ratio | p99 ratio | bare at the registry\'s CPU: p99 ms | registry p99 / that |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const verdicts: Verdict[] = [];
  try {
    const token = await login(registry.url);
    const zip = await referencePackage('google-bert/bert-base-uncased');
    const created = await fetch(`${registry.url}/artifact/model?name=bert-base-uncased`, {
      method: 'POST', headers: { 'X-Authorization': token, 'Content-Type': 'application/zip' }, body: zip,
    });
    if (created.status !== 201) throw new Error(`upload failed: ${created.status} ${await created.text()}`);
    const id = ((await created.json()) as { metadata: { id: string } }).metadata.id;
    const reads: [string, string][] = [
      ['rating', `/artifact/model/${id}/rate`],
      ['artifact', `/artifacts/model/${id}`],
      ['by name', '/artifact/byName/bert-base-uncased'],
      ['lineage', `/artifact/model/${id}/lineage`],
    ];
    for (const [label, path] of reads) {
      const sample = await fetch(`${registry.url}${path}`, { headers: { 'X-Authorization': token } });
      const body = Buffer.from(await sample.arrayBuffer());
      if (sample.status !== 200) throw new Error(`${label}: ${sample.status} ${body.toString()}`);
      const bodyFile = join(BENCH_DIR, `body-${label.replace(/\W/g, '')}.json`);
      writeFileSync(bodyFile, body);
      const bare = await startService([...NODE_FLAGS, join(ROOT, 'scripts/bench/bare-server.mjs')], { BARE_BODY: bodyFile }, '/');
      const ours: Round[] = [];
      const base: Round[] = [];
      try {
        if (WARMUP_SECONDS > 0) {
          await wrk(`${registry.url}${path}`, { connections: CLIENTS, seconds: WARMUP_SECONDS, tokens: await tokensFor(registry.url, CALLS_PER_SECOND * WARMUP_SECONDS) });
          await wrk(`${bare.url}${path}`, { connections: CLIENTS, seconds: WARMUP_SECONDS });
        }
        for (let round = 0; round < ROUNDS; round += 1) {
          const tokens = await tokensFor(registry.url, CALLS_PER_SECOND * SECONDS);
          if (round % 2 === 0) {
            ours.push(await measure(registry, `${registry.url}${path}`, tokens));
            base.push(await measure(bare, `${bare.url}${path}`));
          } else {
            base.push(await measure(bare, `${bare.url}${path}`));
            ours.push(await measure(registry, `${registry.url}${path}`, tokens));
          }
        }
      } finally {
        await bare.stop();
      }
      const oursUs = median(ours.map((r) => r.cpuUs));
      const baseUs = median(base.map((r) => r.cpuUs));
      const busy = await startService([...NODE_FLAGS, join(ROOT, 'scripts/bench/bare-server.mjs')], { BARE_BODY: bodyFile, BARE_SPIN_US: String(Math.max(0, Math.round(oursUs - baseUs))) }, '/');
      let matched: Round;
      try {
        await wrk(`${busy.url}${path}`, { connections: CLIENTS, seconds: Math.max(1, WARMUP_SECONDS) });
        matched = await measure(busy, `${busy.url}${path}`);
      } finally {
        await busy.stop();
      }
      const ratio = median(ours.map((r, i) => r.result.requestsPerSec / (base[i]?.result.requestsPerSec ?? Number.NaN)));
      const p99Ratio = median(ours.map((r, i) => r.result.p99Ms / (base[i]?.result.p99Ms ?? Number.NaN)));
      const errors = ours.reduce((sum, r) => sum + r.result.errors, 0);
      const oursP99 = median(ours.map((r) => r.result.p99Ms));
      rows.push(`| ${label} (${body.length} B) | ${fmt(median(ours.map((r) => r.result.requestsPerSec)), 0)}${errors > 0 ? ` (${errors} errors)` : ''} | ${fmt(median(ours.map((r) => r.result.p50Ms)))} / ${fmt(oursP99)} | ${fmt(oursUs, 0)} | ${fmt(median(base.map((r) => r.result.requestsPerSec)), 0)} | ${fmt(median(base.map((r) => r.result.p50Ms)))} / ${fmt(median(base.map((r) => r.result.p99Ms)))} | ${fmt(baseUs, 0)} | ${fmt(ratio, 3)}x | ${fmt(p99Ratio)}x | ${fmt(matched.result.p99Ms)} (${fmt(matched.cpuUs, 0)} µs) | ${fmt(oursP99 / matched.result.p99Ms, 2)}x |`);
      verdicts.push({ goal: `${label}: >= 0.1x bare throughput`, figure: `${fmt(ratio, 3)}x`, holds: ratio >= 0.1 && errors === 0 });
      verdicts.push({ goal: `${label}: p99 <= 10x bare p99`, figure: `${fmt(p99Ratio)}x`, holds: p99Ratio <= 10 });
    }
  } finally {
    await registry.stop();
  }
  report(`Authenticated small JSON reads, ${CLIENTS} clients, ${ROUNDS} alternating rounds of ${SECONDS} s per server after ${WARMUP_SECONDS} s of warm-up (wrk -t2); medians`, rows, verdicts);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
