/**
 * Local storage at scale: loads N artifact records (default 100,000) into a fresh data directory and
 * times the operations the API performs. Prints a Markdown table for docs/performance.md.
 *   npm run bench:storage            # 100,000 records
 *   BENCH_RECORDS=20000 npm run bench:storage
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monotonicFactory } from 'ulid';
import RE2 from 're2';
import type { ArtifactRecord } from '../src/domain/artifact';
import { openLocalDatabase } from '../src/adapters/storage/local/local-database';
import { LocalArtifactRepository } from '../src/adapters/storage/local/local-artifact-repository';

const TOTAL = Number(process.argv[2] ?? 100_000);
const DURABLE_SAMPLE = 1_000;
const NAMES = 5_000;
const ulid = monotonicFactory();
const hex = (n: number): string => n.toString(16).padStart(64, '0');

function record(i: number): ArtifactRecord {
  const id = ulid();
  const name = `org-${i % 97}/model-${i % NAMES}`;
  return {
    id,
    type: (['model', 'dataset', 'code'] as const)[i % 3] ?? 'model',
    name,
    version: `${i % 4}.${i % 10}.${i % 7}`,
    source: { kind: 'upload' },
    package: {
      full: { sha256: hex(i * 2), size: 1_000_000 + i, fileCount: 6 },
      parts: { weights: { sha256: hex(i * 2 + 1), size: 900_000, fileCount: 1 } },
      files: ['README.md', 'config.json', 'tokenizer.json', 'vocab.txt', 'special_tokens_map.json', 'model.safetensors'].map((path) => ({ path, size: 1000, part: 'code' as const })),
    },
    card: { text: `# ${name}\n\nA ${i % 2 === 0 ? 'text-classification' : 'speech'} model fine-tuned on dataset-${i % 311}.\n${'Lorem ipsum dolor sit amet. '.repeat(30)}`, metadata: { license: 'apache-2.0' } },
    createdAt: new Date(0).toISOString(),
    createdBy: 'bench',
    updatedAt: new Date(0).toISOString(),
    revision: 1,
  };
}

async function time(label: string, runs: number, op: (i: number) => Promise<unknown>): Promise<string> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    await op(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const pick = (q: number): string => (samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0).toFixed(3);
  return `| ${label} | ${runs} | ${pick(0.5)} | ${pick(0.99)} |`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tmr-bench-'));
  const db = openLocalDatabase(dir);
  const repo = new LocalArtifactRepository(db);
  const rows: string[] = [];
  try {
    rows.push(await time(`create, durable commit each (first ${DURABLE_SAMPLE})`, DURABLE_SAMPLE, (i) => repo.create(record(i))));
    const bulkStart = process.hrtime.bigint();
    // The remainder goes in a few large transactions: the point is the size of the table, not load speed.
    for (let i = DURABLE_SAMPLE; i < TOTAL; i += 10_000) {
      const batch = Array.from({ length: Math.min(10_000, TOTAL - i) }, (_, k) => record(i + k));
      db.exec('BEGIN');
      for (const r of batch) await repo.create(r);
      db.exec('COMMIT');
    }
    const loadSeconds = Number(process.hrtime.bigint() - bulkStart) / 1e9;
    const all = db.prepare<[], { id: string }>('SELECT id FROM artifacts ORDER BY id').all().map((r) => r.id);
    const at = (fraction: number): string => all[Math.floor(fraction * (all.length - 1))] ?? '';
    rows.push(await time('get by id', 2000, (i) => repo.get(at((i * 7919) % 1000 / 1000))));
    rows.push(await time('list "*" first page (100)', 200, () => repo.list({}, undefined, 100)));
    rows.push(await time('list "*" page at 90% depth', 200, () => repo.list({}, at(0.9), 100)));
    rows.push(await time('list by exact name', 500, (i) => repo.list({ name: `org-${i % 97}/model-${i % NAMES}` }, undefined, 101)));
    rows.push(await time('list by type, page at 50% depth', 200, () => repo.list({ types: ['dataset'] }, at(0.5), 100)));
    rows.push(await time('isBlobReferenced', 2000, (i) => repo.isBlobReferenced(hex(i * 37))));
    rows.push(await time('count', 50, () => repo.count()));
    const pattern = new RE2('dataset-(17|42)\\b');
    rows.push(await time(`regex scan of all ${TOTAL} names + cards (RE2)`, 3, async () => {
      let after: string | undefined;
      let matched = 0;
      for (;;) {
        const batch = await repo.scanText(after, 1000);
        for (const t of batch) if (pattern.test(t.name) || pattern.test(t.cardText)) matched += 1;
        if (batch.length < 1000) return matched;
        after = batch[batch.length - 1]?.id;
      }
    }));
    const sizeMb = (db.prepare<[], { s: number }>('SELECT page_count * page_size AS s FROM pragma_page_count(), pragma_page_size()').get()?.s ?? 0) / 1e6;
    process.stdout.write(`Local storage with ${TOTAL} artifact records (database ${sizeMb.toFixed(0)} MB; bulk load of the rest ${loadSeconds.toFixed(1)} s)\n\n`);
    process.stdout.write('| operation | runs | p50 ms | p99 ms |\n|---|---|---|---|\n');
    process.stdout.write(`${rows.join('\n')}\n`);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
