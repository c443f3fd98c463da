/**
 * Authenticated small JSON reads under 50 clients against a bare Node server answering the same body.
 * Goal (issue 12): each read at least 0.1x the bare server's throughput, p99 within 10x its p99.
 *   npm run bench:reads        BENCH_SECONDS=10 BENCH_CLIENTS=50 BENCH_WARMUP_SECONDS=3
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { referencePackage } from '../../test/support/hf-packages';
import { BENCH_DIR, ROOT, fmt, login, report, startRegistry, startService, tokensFor, wrk, type Verdict } from './harness';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
// Both servers are driven this long before each measured run: the JIT has compiled their hot paths
// then, and the figures compare steady states rather than warm-ups.
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);

async function main(): Promise<void> {
  const registry = await startRegistry();
  const rows = ['| read | registry req/s | p50 / p99 ms | CPU µs/req | bare req/s | p50 / p99 ms | CPU µs/req | ratio | p99 ratio |', '|---|---|---|---|---|---|---|---|---|'];
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
      const bare = await startService([join(ROOT, 'scripts/bench/bare-server.mjs')], { BARE_BODY: bodyFile }, '/');
      try {
        if (WARMUP_SECONDS > 0) {
          await wrk(`${registry.url}${path}`, { connections: CLIENTS, seconds: WARMUP_SECONDS, tokens: await tokensFor(registry.url, 12_000 * WARMUP_SECONDS) });
          await wrk(`${bare.url}${path}`, { connections: CLIENTS, seconds: WARMUP_SECONDS });
        }
        const tokens = await tokensFor(registry.url, 12_000 * SECONDS);
        // CPU per request, from each server's own CPU time: a second view that other load on the machine moves less.
        const oursCpu = registry.cpuMs();
        const ours = await wrk(`${registry.url}${path}`, { connections: CLIENTS, seconds: SECONDS, tokens });
        const oursUs = ((registry.cpuMs() - oursCpu) * 1000) / Math.max(1, ours.requests);
        const baseCpu = bare.cpuMs();
        const base = await wrk(`${bare.url}${path}`, { connections: CLIENTS, seconds: SECONDS });
        const baseUs = ((bare.cpuMs() - baseCpu) * 1000) / Math.max(1, base.requests);
        const ratio = ours.requestsPerSec / base.requestsPerSec;
        const p99Ratio = ours.p99Ms / base.p99Ms;
        rows.push(`| ${label} (${body.length} B) | ${fmt(ours.requestsPerSec, 0)}${ours.errors > 0 ? ` (${ours.errors} errors)` : ''} | ${fmt(ours.p50Ms)} / ${fmt(ours.p99Ms)} | ${fmt(oursUs, 0)} | ${fmt(base.requestsPerSec, 0)} | ${fmt(base.p50Ms)} / ${fmt(base.p99Ms)} | ${fmt(baseUs, 0)} | ${fmt(ratio, 3)}x | ${fmt(p99Ratio)}x |`);
        verdicts.push({ goal: `${label}: >= 0.1x bare throughput`, figure: `${fmt(ratio, 3)}x`, holds: ratio >= 0.1 && ours.errors === 0 });
        verdicts.push({ goal: `${label}: p99 <= 10x bare p99`, figure: `${fmt(p99Ratio)}x`, holds: p99Ratio <= 10 });
      } finally {
        await bare.stop();
      }
    }
  } finally {
    await registry.stop();
  }
  report(`Authenticated small JSON reads, ${CLIENTS} clients, ${SECONDS} s each after ${WARMUP_SECONDS} s of warm-up (wrk -t2)`, rows, verdicts);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
