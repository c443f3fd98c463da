/**
 * Rating speed, measured end to end over HTTP against the fake upstream on loopback:
 *  - cold: registering each model by URL (metadata, mirroring, evidence collection, rating, gate),
 *    and the rating metrics' own latencies as the rating reports them;
 *  - warm: p50/p99 of `GET /artifact/model/{id}/rate` under 50 concurrent clients.
 *   npm run bench:rating        # prints a Markdown report for docs/performance.md
 */
import { startFakeUpstream } from '../test/support/fake-upstream/server';
import { ADMIN, ADMIN_PASSWORD, login, startTestRegistry } from '../test/support/test-registry';

const MODELS = [
  'google-bert/bert-base-uncased', 'openai/whisper-tiny', 'distilbert/distilbert-base-uncased', 'FacebookAI/roberta-base',
  'google/flan-t5-small', 'albert/albert-base-v2', 'facebook/bart-base', 'acme-test/tiny-lora',
];
const CLIENTS = 50;
const READS_PER_CLIENT = 40;

const pct = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

async function main(): Promise<void> {
  const fake = await startFakeUpstream();
  const registry = await startTestRegistry({ env: { HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl, HF_TOKEN: fake.hfToken, TMR_INGEST_MIN_SCORE: '0' }, validateResponses: false });
  try {
    const token = await registry.token();
    const lines = ['| model | register (ms) | net score | sum of metric latencies (s) |', '|---|---|---|---|'];
    const ids: string[] = [];
    for (const repo of MODELS) {
      const started = performance.now();
      const created = await registry.request<{ metadata: { id: string } }>('POST', '/artifact/model', { json: { url: `https://huggingface.co/${repo}` }, token });
      const elapsed = performance.now() - started;
      if (created.status !== 201) throw new Error(`${repo}: ${created.status} ${created.raw.toString()}`);
      ids.push(created.body.metadata.id);
      const rating = await registry.request<Record<string, number>>('GET', `/artifact/model/${created.body.metadata.id}/rate`, { token });
      const latency = Object.entries(rating.body).filter(([key]) => key.endsWith('_latency') && key !== 'net_score_latency').reduce((sum, [, value]) => sum + value, 0);
      lines.push(`| ${repo} | ${elapsed.toFixed(0)} | ${rating.body.net_score} | ${latency.toFixed(3)} |`);
    }
    const samples: number[] = [];
    // Each client logs in once, as a real client would (a token is good for 1,000 calls).
    const tokens = await Promise.all(Array.from({ length: CLIENTS }, () => login(registry.url, ADMIN, ADMIN_PASSWORD)));
    const warmStart = performance.now();
    await Promise.all(tokens.map(async (clientToken, client) => {
      for (let i = 0; i < READS_PER_CLIENT; i += 1) {
        const id = ids[(client + i) % ids.length] ?? '';
        const started = performance.now();
        const response = await registry.request('GET', `/artifact/model/${id}/rate`, { token: clientToken });
        samples.push(performance.now() - started);
        if (response.status !== 200) throw new Error(`rate ${id}: ${response.status}`);
      }
    }));
    const seconds = (performance.now() - warmStart) / 1000;
    samples.sort((a, b) => a - b);
    process.stdout.write(`${lines.join('\n')}\n\n`);
    process.stdout.write(`Warm \`GET …/rate\`, ${CLIENTS} concurrent clients, ${samples.length} requests in ${seconds.toFixed(1)} s (${(samples.length / seconds).toFixed(0)} req/s): `);
    process.stdout.write(`p50 ${pct(samples, 0.5).toFixed(1)} ms, p99 ${pct(samples, 0.99).toFixed(1)} ms, max ${(samples[samples.length - 1] ?? 0).toFixed(1)} ms\n`);
  } finally {
    await registry.close();
    await fake.close();
  }
}

void main();
