// @ts-check
import tseslint from 'typescript-eslint';

const pureLibraries = ['semver', 'spdx-expression-parse', 'spdx-correct', 'spdx-license-ids'];
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** Allows only import specifiers matching one of the given regular-expression sources. */
const allowOnly = (allowed, message) => ['error', { patterns: [{ regex: `^(?!(${allowed.join('|')}))`, message }] }];
const prefixes = (...names) => names.map(escape);

const noEnv = { object: 'process', property: 'env', message: 'only src/config.ts reads the environment' };
const noWallClock = { object: 'Date', property: 'now', message: 'time comes from a Clock' };

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'web/dist/**', 'packages/*/dist/**', 'src/adapters/http/generated/**', 'data/**', 'infra/.aws-sam/**', 'infra/.lambda/**', '.bench/**', '.stryker-tmp/**', 'reports/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-console': 'error',
      eqeqeq: 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/config.ts'],
    rules: { 'no-restricted-properties': ['error', noEnv] },
  },
  // The dependency rule. Later blocks win for the files they match, so each repeats what it inherits.
  {
    // The domain is pure: itself and pure libraries only; no process, network, timers or wall clock.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': allowOnly([...prefixes('./'), ...prefixes(...pureLibraries)], `src/domain imports only itself and pure libraries (${pureLibraries.join(', ')})`),
      'no-restricted-globals': ['error', 'process', 'fetch', 'setTimeout', 'setInterval'],
      'no-restricted-properties': ['error', noEnv, noWallClock],
    },
  },
  {
    // One folder down (src/domain/rating, …), "../" still stays inside the domain; "../../" would not.
    files: ['src/domain/*/**/*.ts'],
    rules: {
      'no-restricted-imports': allowOnly([...prefixes('./'), '\\.\\./(?!\\.\\./)', ...prefixes(...pureLibraries)], 'src/domain imports only itself and pure libraries'),
    },
  },
  {
    files: ['src/ports/**/*.ts'],
    rules: {
      'no-restricted-imports': allowOnly(prefixes('../domain/', './', 'node:stream'), 'src/ports imports only the domain (and stream types)'),
    },
  },
  {
    files: ['src/application/**/*.ts'],
    rules: {
      'no-restricted-imports': allowOnly(
        prefixes('../domain/', '../ports/', './', 'node:stream', 'node:crypto'),
        'src/application imports only the domain, the ports and pure node modules',
      ),
      'no-restricted-globals': ['error', 'process', 'fetch'],
      'no-restricted-properties': ['error', noEnv, noWallClock],
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off', 'no-console': 'off' },
  },
);
