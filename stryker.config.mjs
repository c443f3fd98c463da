// @ts-check
/**
 * StrykerJS over the pure domain (`npm run mutation [-- AREA]`, see docs/mutation-testing.md).
 *
 * Each mutant's test run reloads every spec file of the run through ts-node, which is most of its
 * cost; an area therefore pairs the files it mutates with the spec files that import them, and one
 * area at a time finishes in minutes where the whole domain at once takes hours on two cores.
 * MUTATION_AREA is set by scripts/mutation/run-stryker.mjs from its first argument.
 */
const AREAS = {
  rating: { mutate: ['src/domain/rating/**/*.ts'], spec: ['test/unit/domain/rating/*.test.ts'] },
  // The scoring core of rating: how metric values become a net score and a gate verdict.
  scoring: {
    mutate: ['src/domain/rating/{net-score,gate,metric,size-score.metric,bus-factor.metric,license.metric}.ts'],
    spec: ['net-score', 'gate', 'size-score', 'bus-factor', 'license', 'rate-model', 'scoring-detail', 'size-score-detail', 'bus-factor-detail', 'license-detail'].map((name) => `test/unit/domain/rating/${name}.test.ts`),
  },
  lineage: {
    mutate: ['src/domain/lineage/**/*.ts'],
    spec: ['test/unit/domain/lineage/*.test.ts', 'test/unit/domain/cost/*.test.ts'],
  },
  licensing: {
    mutate: ['src/domain/licensing/**/*.ts'],
    spec: ['test/unit/domain/licensing/*.test.ts', 'test/unit/domain/artifact-license.test.ts', 'test/unit/domain/rating/license.test.ts'],
  },
  version: { mutate: ['src/domain/version.ts'], spec: ['test/unit/domain/version.test.ts'] },
  domain: { mutate: ['src/domain/**/*.ts', '!src/domain/index.ts'], spec: ['test/unit/domain/**/*.test.ts'] },
};

const name = process.env.MUTATION_AREA ?? 'domain';
const area = AREAS[/** @type {keyof typeof AREAS} */ (name)];
if (area === undefined) throw new Error(`unknown mutation area "${name}"; one of ${Object.keys(AREAS).join(', ')}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'mocha',
  mochaOptions: {
    config: '.mocharc.json',
    require: ['ts-node/register/transpile-only', 'test/support/setup.ts'],
    spec: area.spec,
  },
  // The TypeScript checker (MUTATION_CHECK=1) drops mutants that do not compile instead of running
  // them; on two shared cores it made a run six times slower (version.ts: 4 min 42 s against 47 s), so
  // by default they run, and a mutant that breaks the types must still be caught by a test. The domain
  // compiles on its own, so the checker's program is the domain's 70 files, not the repository's 450.
  checkers: process.env.MUTATION_CHECK === '1' ? ['typescript'] : [],
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: area.mutate,
  // Static mutants (constant tables: licence lists, aliases, pickle globals) would each rerun every test.
  ignoreStatic: true,
  coverageAnalysis: 'perTest',
  concurrency: 2,
  // A mutant that loops forever is cut 3 s after the tests' own time; every timeout restarts a worker.
  timeoutMS: 3000,
  incremental: true,
  incrementalFile: `reports/mutation/${name}-incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  ignorePatterns: ['web/dist', 'coverage', 'data', 'dist', 'reports', '.bench'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
