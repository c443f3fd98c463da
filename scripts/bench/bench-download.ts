/**
 * Downloading a 52 MB package with 100 concurrent clients from a registry holding 500 models, side
 * by side with a bare Node server streaming the same file with fs.createReadStream.
 * Goal (issue 12): >= 0.95x the bare server's throughput, p99 <= 1.1x its p99, registry peak RSS <= 250 MB.
 *   npm run bench:download        BENCH_SECONDS=20 BENCH_CLIENTS=100 BENCH_MODELS=500 BENCH_MB=52
 */
import { join } from 'node:path';
import { wellFormedWeights } from '../../test/support/fake-upstream/weights';
import { fillerBytes, tinyPackage, zipBuffer } from '../../test/support/hf-packages';
import { ROOT, fmt, report, NODE_FLAGS, startRegistry, startService, tokensFor, wrk, type Verdict, type WrkResult } from './harness';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 100);
const MODELS = Number(process.env.BENCH_MODELS ?? 500);
const MEGABYTES = Number(process.env.BENCH_MB ?? 52);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** Rounds added up: total bytes and requests over total time; latency percentiles as the median round's. */
function combine(rounds: readonly WrkResult[]): WrkResult {
  const median = (pick: (r: WrkResult) => number): number => [...rounds].map(pick).sort((a, b) => a - b)[Math.floor(rounds.length / 2)] ?? 0;
  const bytes = rounds.reduce((sum, r) => sum + r.bytesPerSec * SECONDS, 0);
  const requests = rounds.reduce((sum, r) => sum + r.requests, 0);
  return {
    requestsPerSec: requests / (SECONDS * rounds.length), bytesPerSec: bytes / (SECONDS * rounds.length), p50Ms: median((r) => r.p50Ms), p99Ms: median((r) => r.p99Ms),
    p999Ms: median((r) => r.p999Ms), maxMs: Math.max(...rounds.map((r) => r.maxMs)),
    requests, errors: rounds.reduce((sum, r) => sum + r.errors, 0),
  };
}

async function upload(url: string, token: string, name: string, zip: Buffer): Promise<{ id: string }> {
  const response = await fetch(`${url}/artifact/model?name=${encodeURIComponent(name)}`, {
    method: 'POST', headers: { 'X-Authorization': token, 'Content-Type': 'application/zip' }, body: zip,
  });
  if (response.status !== 201) throw new Error(`upload of ${name} failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { metadata: { id: string } }).metadata;
}

async function main(): Promise<void> {
  const registry = await startRegistry();
  const verdicts: Verdict[] = [];
  const rows = ['| server | req/s | MB/s | p50 ms | p99 ms | errors |', '|---|---|---|---|---|---|'];
  try {
    const tokens = await tokensFor(registry.url, MODELS + 2_000);
    for (let i = 0; i < MODELS - 1; i += 4) {
      await Promise.all([0, 1, 2, 3].filter((k) => i + k < MODELS - 1).map(async (k) => {
        await upload(registry.url, tokens[(i + k) % tokens.length] ?? '', `filler-${i + k}`, await tinyPackage(`filler-${i + k}`));
      }));
    }
    // Weights with a truthful safetensors header: the registry's content scan refuses any other.
    const big = await zipBuffer([{ path: 'model.safetensors', content: wellFormedWeights('model.safetensors', fillerBytes('tiny-llm', MEGABYTES * 1024 * 1024)) }]);
    const { id } = await upload(registry.url, tokens[0] ?? '', 'tiny-llm', big);
    const details = (await (await fetch(`${registry.url}/artifacts/model/${id}/details`, { headers: { 'X-Authorization': tokens[0] ?? '' } })).json()) as { package: { sha256: string } };
    const sha = details.package.sha256;
    const blobPath = join(registry.dataDir, 'blobs', sha.slice(0, 2), sha.slice(2, 4), sha);
    const bare = await startService([...NODE_FLAGS, join(ROOT, 'scripts/bench/bare-server.mjs')], { BARE_FILE: blobPath }, '/health');
    try {
      const path = `/artifacts/model/${id}/download`;
      // Other work on the machine comes and goes: alternate the two servers and add the rounds up.
      const oursRounds: WrkResult[] = [];
      const baseRounds: WrkResult[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        oursRounds.push(await wrk(`${registry.url}${path}`, { connections: CLIENTS, seconds: SECONDS, tokens: tokens.slice(1) }));
        baseRounds.push(await wrk(`${bare.url}${path}`, { connections: CLIENTS, seconds: SECONDS }));
      }
      const ours = combine(oursRounds);
      const base = combine(baseRounds);
      const rss = registry.peakRssMb();
      for (const [label, r] of [['registry', ours], ['bare Node (fs.createReadStream)', base]] as const) {
        rows.push(`| ${label} | ${fmt(r.requestsPerSec)} | ${fmt(r.bytesPerSec / 1e6, 0)} | ${fmt(r.p50Ms, 0)} | ${fmt(r.p99Ms, 0)} | ${r.errors} |`);
      }
      rows.push('', `${big.length} byte zip, ${MODELS} models registered, ${CLIENTS} clients, ${ROUNDS} alternating rounds of ${SECONDS} s per server; registry peak RSS ${fmt(rss, 0)} MB.`);
      const ratio = ours.bytesPerSec / base.bytesPerSec;
      const p99 = ours.p99Ms / base.p99Ms;
      verdicts.push({ goal: 'throughput >= 0.95x bare', figure: `${fmt(ratio, 2)}x`, holds: ratio >= 0.95 && ours.errors === 0 });
      verdicts.push({ goal: 'p99 <= 1.1x bare', figure: `${fmt(p99, 2)}x`, holds: p99 <= 1.1 });
      verdicts.push({ goal: 'peak RSS <= 250 MB', figure: `${fmt(rss, 0)} MB`, holds: rss <= 250 });
    } finally {
      await bare.stop();
    }
  } finally {
    await registry.stop();
  }
  report(`Download of a ${MEGABYTES} MB package, ${CLIENTS} clients (wrk -t2)`, rows, verdicts);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
