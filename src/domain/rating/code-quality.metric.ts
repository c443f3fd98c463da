import type { CodeEvidence, Evidence, EvidenceFile } from './evidence';
import { fmt, plural, unavailableResult, type MetricResult } from './metric';
import { sourceFiles } from './dataset-and-code.metric';

export const CODE_QUALITY_WEIGHTS = { tests: 0.25, ci: 0.2, readme: 0.15, lint: 0.1, manifest: 0.1, activity: 0.2 } as const;
type Check = keyof typeof CODE_QUALITY_WEIGHTS;
/** A push within this many days earns the full activity points; they fall linearly to 0 at STALE_DAYS. */
export const ACTIVE_DAYS = 365;
export const STALE_DAYS = 1095;

const TESTS = [/(^|\/)(tests?|__tests__|specs?)\//i, /(^|\/)test_[^/]*\.py$/i, /_test\.(py|go)$/i, /\.(test|spec)\.[cm]?[jt]sx?$/i, /(^|\/)conftest\.py$/i, /(^|\/)test\.py$/i];
const CI = [/^\.github\/workflows\/[^/]+\.ya?ml$/i, /^\.travis\.yml$/i, /^\.circleci\//i, /^\.gitlab-ci\.yml$/i, /^azure-pipelines\.yml$/i, /^Jenkinsfile$/, /^\.buildkite\//i, /^bitbucket-pipelines\.yml$/i];
const LINT = new Set([
  '.flake8', '.pylintrc', 'pylintrc', 'ruff.toml', '.ruff.toml', '.pre-commit-config.yaml', 'setup.cfg', 'tox.ini', 'mypy.ini',
  '.mypy.ini', '.eslintrc', '.eslintrc.js', '.eslintrc.cjs', '.eslintrc.json', '.eslintrc.yml', 'eslint.config.js', 'eslint.config.mjs',
  'eslint.config.cjs', '.prettierrc', '.clang-format', '.golangci.yml', 'rustfmt.toml', '.isort.cfg', '.style.yapf',
]);
const MANIFESTS = new Set(['requirements.txt', 'pyproject.toml', 'setup.py', 'package.json', 'environment.yml', 'pipfile', 'cargo.toml', 'go.mod', 'pom.xml', 'build.gradle']);
const README = /^readme(\.[a-z]+)?$/i;
const DAY_MS = 86_400_000;

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const anyMatch = (files: readonly EvidenceFile[], patterns: readonly RegExp[]): string | undefined =>
  files.find((file) => patterns.some((pattern) => pattern.test(file.path)))?.path;
const inSet = (files: readonly EvidenceFile[], names: ReadonlySet<string>): string | undefined =>
  files.find((file) => names.has(basename(file.path).toLowerCase()))?.path;

function activity(code: CodeEvidence, collectedAt: string): { readonly score: number; readonly days: number | null } {
  const pushed = code.pushedAt === undefined ? Number.NaN : Date.parse(code.pushedAt);
  const now = Date.parse(collectedAt);
  if (code.archived || !Number.isFinite(pushed) || !Number.isFinite(now)) return { score: 0, days: Number.isFinite(pushed) && Number.isFinite(now) ? Math.floor((now - pushed) / DAY_MS) : null };
  const days = Math.max(0, Math.floor((now - pushed) / DAY_MS));
  const score = days <= ACTIVE_DAYS ? 1 : Math.max(0, (STALE_DAYS - days) / (STALE_DAYS - ACTIVE_DAYS));
  return { score, days };
}

/**
 * Engineering hygiene of the model's code. For a linked repository: tests, CI, README, lint
 * configuration, a dependency manifest, and recent activity (archived counts as inactive). For code
 * shipped only in the package, the same checks minus CI and activity, re-normalised over those that
 * apply. Not applicable (0) when there is no code at all; not applicable with no value (-1) when the
 * linked repository could not be read.
 */
export function codeQuality(evidence: Evidence): MetricResult {
  const code = evidence.code;
  if (code?.unavailable !== undefined) return unavailableResult(`the linked repository ${code.repo} could not be read (${code.unavailable})`, { repo: code.repo });
  const packaged = sourceFiles(evidence.files);
  if (!code && packaged.length === 0) {
    return { value: 0, applicable: false, inputs: { basis: 'none' }, explanation: ['no code repository is linked and the package ships no source code'] };
  }
  const files = code ? code.files ?? [] : evidence.files;
  const tests = anyMatch(files, TESTS);
  const ci = anyMatch(files, CI);
  const lint = inSet(files, LINT);
  const manifest = inSet(files, MANIFESTS);
  const readme = code ? ((code.readme ?? '').trim() !== '' ? 'README' : files.find((file) => README.test(file.path))?.path) : evidence.card ? 'model card' : undefined;
  const found = Object.fromEntries(Object.entries({ tests, ci, lint, manifest, readme }).filter(([, path]) => path !== undefined)) as Partial<Record<Check, string>>;
  const recency = code ? activity(code, evidence.collectedAt) : undefined;
  const checks: Check[] = code ? ['tests', 'ci', 'readme', 'lint', 'manifest', 'activity'] : ['tests', 'readme', 'lint', 'manifest'];
  const points = checks.reduce((sum, check) => sum + CODE_QUALITY_WEIGHTS[check] * (check === 'activity' ? recency?.score ?? 0 : found[check] ? 1 : 0), 0);
  const available = checks.reduce((sum, check) => sum + CODE_QUALITY_WEIGHTS[check], 0);
  const value = points / available;
  const where = code ? `repository ${code.repo}` : `package (${plural(packaged.length, 'source file')}, no linked repository)`;
  const present = checks.filter((check) => check !== 'activity' && found[check]).map((check) => `${check} (${found[check]})`);
  const missing = checks.filter((check) => check !== 'activity' && !found[check]);
  return {
    value,
    applicable: true,
    inputs: { basis: code ? 'repository' : 'package', found, archived: code?.archived ?? null, daysSincePush: recency?.days ?? null, activity: recency?.score ?? null, filesListed: files.length, filesTruncated: code?.filesTruncated ?? false },
    explanation: [
      `${where}: ${present.length > 0 ? `has ${present.join(', ')}` : 'none of the checks pass'}`,
      ...(missing.length > 0 ? [`missing: ${missing.join(', ')}${code?.filesTruncated ? ' (the file listing was truncated, so some may exist)' : ''}`] : []),
      ...(code ? [code.archived ? 'repository is archived: no maintenance expected (activity 0)' : recency?.days === null ? 'last push unknown (activity 0)' : `last push ${recency?.days} days before collection (activity ${fmt(recency?.score ?? 0)})`] : ['CI and activity cannot be judged without a repository; score re-normalised over the other checks']),
    ],
  };
}
