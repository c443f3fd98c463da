import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { CONTRACT_ADMIN_PASSWORD } from '../../../src/config';

const ROOT = resolve(__dirname, '../../..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

describe('A new user\'s first hour: README, LICENSE and npm test', () => {
  const readme = read('README.md');

  it('when package.json promises Apache-2.0, then LICENSE holds the Apache License 2.0 text', () => {
    expect((JSON.parse(read('package.json')) as { license: string }).license).to.equal('Apache-2.0');
    const license = read('LICENSE');
    expect(license).to.match(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(license).to.include('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
    expect(license).to.include('END OF TERMS AND CONDITIONS');
    expect(license.split('\n').length).to.be.at.least(200);
  });

  it('when someone signs in for the first time, then the README shows the default password as typed, on a line of its own', () => {
    expect(readme.split('\n')).to.include(CONTRACT_ADMIN_PASSWORD);
    expect(readme).to.include('`ece30861defaultadminuser`');
  });

  it('when someone installs on a bare machine or in a container, then the README lists the tool chain, the slow first install and HOST=0.0.0.0', () => {
    for (const needed of ['python3', 'make', 'g++', 'several minutes', 'HOST=0.0.0.0 npm start']) expect(readme, needed).to.include(needed);
  });

  it('when the README is read, then it links every document under docs/ and the LICENSE', () => {
    const documents = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md'));
    expect(documents).to.include.members(['metrics.md', 'performance.md', 'hostile-input.md']);
    for (const name of documents) expect(readme, name).to.include(`](docs/${name})`);
    expect(readme).to.include('](LICENSE)');
  });

  describe('npm test', function () {
    // Each case runs the real script over npm with stand-in steps: a few seconds of npm start-up.
    this.timeout(60_000);
    let dir: string;
    const runWith = (scripts: Record<string, string>) => {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'stand-in', private: true, scripts }));
      return spawnSync('node', [join(ROOT, 'scripts/run-tests.mjs')], { cwd: dir, encoding: 'utf8' });
    };

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'tmr-run-tests-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('when npm test is the entry point, then it runs the step-naming script', () => {
      expect((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.test).to.equal('node scripts/run-tests.mjs');
    });

    it('when every step passes, then each is named before it runs and timed after, in order', () => {
      const result = runWith({
        lint: 'echo linting', typecheck: 'echo typing', 'openapi:check': 'echo checking',
        'test:coverage:unit': 'echo unit', 'test:coverage:rest': 'echo rest', 'test:error-codes': 'echo codes',
      });

      expect(result.status, result.stderr).to.equal(0);
      const lines = result.stdout.split('\n').filter((line) => line.trim() !== '');
      expect(lines.filter((line) => /^(▶|✔)/.test(line)).map((line) => line.replace(/[\d.]+ s$/, 'N s').replace(/:.*…$/, ''))).to.deep.equal([
        '▶ [1/6] lint', '✔ lint passed in N s',
        '▶ [2/6] type check', '✔ type check passed in N s',
        '▶ [3/6] OpenAPI types', '✔ OpenAPI types passed in N s',
        '▶ [4/6] unit tests', '✔ unit tests passed in N s',
        '▶ [5/6] other tests', '✔ other tests passed in N s',
        '▶ [6/6] error codes', '✔ error codes passed in N s',
        '✔ all 6 steps passed in N s',
      ]);
      expect(lines.indexOf('linting')).to.be.greaterThan(lines.indexOf(lines.find((line) => line.startsWith('▶ [1/6]')) ?? ''));
    });

    it('when a step fails, then the run stops there with that step named and its exit code', () => {
      const result = runWith({ lint: 'exit 0', typecheck: 'exit 3', 'openapi:check': 'echo never', 'test:coverage:unit': 'echo never' });

      expect(result.status).to.equal(3);
      expect(result.stderr).to.match(/✖ type check failed after [\d.]+ s \(exit 3\)/);
      expect(result.stdout).to.not.include('never');
      expect(result.stdout).to.not.include('[3/6]');
    });
  });
});
