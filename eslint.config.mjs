// @ts-check
import tseslint from 'typescript-eslint';

const pureLibraries = ['semver', 'spdx-expression-parse', 'spdx-correct', 'spdx-license-ids'];
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** Allows only imports whose specifier starts with one of `allowed`; everything else is an error. */
const allowOnly = (allowed, message) => [
  'error',
  { patterns: [{ regex: `^(?!(${allowed.map(escape).join('|')}))`, message }] },
];

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'web/dist/**', 'src/adapters/http/generated/**', 'data/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-console': 'error',
      eqeqeq: 'error',
    },
  },
  {
    // The dependency rule: the domain is pure, the application sees only the domain and the ports.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': allowOnly(
        ['./', ...pureLibraries],
        `src/domain imports only itself and pure libraries (${pureLibraries.join(', ')})`,
      ),
      'no-restricted-globals': ['error', 'process', 'fetch', 'setTimeout', 'setInterval'],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'pass a Clock instead' }],
    },
  },
  {
    files: ['src/ports/**/*.ts'],
    rules: {
      'no-restricted-imports': allowOnly(['../domain/', './', 'node:stream'], 'src/ports imports only the domain (and stream types)'),
    },
  },
  {
    files: ['src/application/**/*.ts'],
    rules: {
      'no-restricted-imports': allowOnly(
        ['../domain/', '../ports/', './', 'node:stream', 'node:crypto'],
        'src/application imports only the domain, the ports and pure node modules',
      ),
      'no-restricted-globals': ['error', 'process', 'fetch'],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'use the Clock port' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/config.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'only src/config.ts reads the environment' }],
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off', 'no-console': 'off' },
  },
);
