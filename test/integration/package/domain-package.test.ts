import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');
const PACKAGE_DIR = join(ROOT, 'packages', 'domain');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

// The same four uses in every module system: rate a model from evidence, build a lineage graph,
// check a license pair, match a version range. Each prints one JSON line the test compares.
const USE = (lib: string): string => `
const card = ${lib}.cardEvidence('# tiny-bert\\n\\nFine-tuned from BERT. Usage: \`pipeline("fill-mask")\`.\\n', { license: 'apache-2.0' });
const evidence = {
  schemaVersion: ${lib}.EVIDENCE_SCHEMA_VERSION,
  collectedAt: '2026-11-30T00:00:00.000Z',
  origin: 'huggingface',
  model: { repo: 'acme/tiny-bert', author: 'acme', downloads: 120000, likes: 40, license: 'apache-2.0' },
  card,
  files: [{ path: 'config.json', size: 600 }, { path: 'model.safetensors', size: 17000000 }],
  config: { model_type: 'bert' },
};
let tick = 0;
const rated = ${lib}.rateModel(evidence, { name: 'tiny-bert' }, { now: () => (tick += 1) });
const gate = ${lib}.gateDecision(rated.rating, rated.explanation, ${lib}.DEFAULT_MIN_SCORE);
const declared = ${lib}.declaredParents({ repo: 'acme/tiny-bert', cardMetadata: { base_model: 'google-bert/bert-base-uncased' } });
const lineage = ${lib}.buildLineageGraph({ id: 'm1', name: 'tiny-bert', type: 'model', declarations: declared.declarations }, () => undefined);
const license = ${lib}.checkLicenseCompatibility(${lib}.normalizeLicense('Apache-2.0'), ${lib}.normalizeLicense('MIT'));
const range = ${lib}.parseVersionRange('^1.2.0');
console.log(JSON.stringify({
  name: rated.rating.name,
  netScoreInRange: rated.rating.net_score >= 0 && rated.rating.net_score <= 1,
  licenseScore: rated.rating.license,
  gateChecked: gate.checked.length > 0,
  edges: lineage.graph.edges.map((edge) => edge.relationship),
  nodes: lineage.graph.nodes.length,
  compatible: license.compatible,
  matches: [range.matches('1.9.0'), range.matches('2.0.0')],
}));
`;

const EXPECTED = {
  name: 'tiny-bert',
  netScoreInRange: true,
  licenseScore: 1,
  gateChecked: true,
  edges: ['finetune'],
  nodes: 2,
  compatible: true,
  matches: [true, false],
};

describe('the domain as an installable package', function () {
  this.timeout(180_000);
  let work: string;
  let consumer: string;
  let tarball: string;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'tmr-domain-package-'));
    await run(process.execPath, [join(ROOT, 'scripts', 'build-domain-package.mjs')], { cwd: ROOT });
    const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: PACKAGE_DIR });
    const [info] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
    tarball = join(work, info.filename);
    consumer = join(work, 'consumer');
    await run('mkdir', ['-p', consumer]);
    await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: consumer });
  });

  after(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('when packed, then it holds only the bundles, their types and the README, and depends on nothing', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.trim().split('\n');
    expect(files).to.include.members(['package/package.json', 'package/README.md', 'package/dist/index.cjs', 'package/dist/index.mjs', 'package/dist/types/index.d.ts']);
    expect(files.filter((file) => !/^package\/(package\.json|README\.md|dist\/.*)$/.test(file))).to.deep.equal([]);
    const manifest = JSON.parse(await readFile(join(consumer, 'node_modules', '@trustworthy-model-registry', 'domain', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.dependencies).to.equal(undefined);
    for (const bundle of ['index.cjs', 'index.mjs']) {
      const text = await readFile(join(consumer, 'node_modules', '@trustworthy-model-registry', 'domain', 'dist', bundle), 'utf8');
      expect(text).not.to.match(/require\(["'](express|@aws-sdk\/[^"']+|better-sqlite3|pino|re2|tsyringe)["']\)|from ["'](express|@aws-sdk|better-sqlite3|pino|re2|tsyringe)/);
      expect(text).not.to.match(/process\.env\.TMR_|node:fs|node:child_process/);
    }
  });

  it('when required from CommonJS, then it rates, builds lineage, checks licenses and matches versions', async () => {
    await writeFile(join(consumer, 'use.cjs'), `const domain = require('@trustworthy-model-registry/domain');\n${USE('domain')}`);
    const { stdout } = await run(process.execPath, ['use.cjs'], { cwd: consumer });
    expect(JSON.parse(stdout)).to.deep.equal(EXPECTED);
  });

  it('when imported as an ES module, then it gives the same answers', async () => {
    await writeFile(join(consumer, 'use.mjs'), `import * as domain from '@trustworthy-model-registry/domain';\n${USE('domain')}`);
    const { stdout } = await run(process.execPath, ['use.mjs'], { cwd: consumer });
    expect(JSON.parse(stdout)).to.deep.equal(EXPECTED);
  });

  it('when used from TypeScript, then the declarations type-check correct use and reject wrong use', async () => {
    const typed = `import * as domain from '@trustworthy-model-registry/domain';
import type { Evidence, ModelRating, LicenseCompatibility, LineageResult } from '@trustworthy-model-registry/domain';
declare const console: { log(text: string): void };
${USE('domain').replace('const evidence = {', 'const evidence: Evidence = {').replace("origin: 'huggingface',", "origin: 'huggingface' as const,")}
const rating: ModelRating = rated.rating;
const verdict: LicenseCompatibility = license;
const graph: LineageResult = lineage;
void rating; void verdict; void graph;
// @ts-expect-error a version range is matched against a string, not a number
range.matches(1);
// @ts-expect-error the evidence must say where it came from
domain.rateModel({ schemaVersion: 1, collectedAt: '', model: { repo: 'x' }, files: [] }, {}, { now: () => 0 });
`;
    await writeFile(join(consumer, 'use.ts'), typed);
    await writeFile(join(consumer, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'node16', moduleResolution: 'node16', target: 'ES2022', lib: ['ES2022'], types: [], skipLibCheck: false },
      files: ['use.ts'],
    }));
    const result = await run(process.execPath, [TSC, '-p', consumer], { cwd: consumer }).then(() => 'ok', (error: { stdout?: string }) => error.stdout ?? String(error));
    expect(result).to.equal('ok');
  });
});
