#!/usr/bin/env node
/**
 * `npm test`: lint, type check, OpenAPI type check, then every test under coverage — one step after
 * another, stopping at the first failure. The unit tests run first as a c8 run of their own, which
 * gates the unit-only line coverage (90 %); the other tests then add their raw coverage to the same
 * directory (c8 --no-clean), so the second report gates all tests together (95 %) without running the
 * unit tests twice. While the tests run, every error code src/ raises is recorded (TMR_ERROR_CODES_FILE)
 * and the last step fails when a code of the domain's table was produced by no test.
 *
 * ESLint and tsc print nothing while they work (one and a half to three and a half minutes together on
 * two busy cores), so each step is announced before it starts and timed when it ends: a person
 * watching knows what is running and that it has not hung.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import process from 'node:process';

const ERROR_CODES_FILE = 'coverage/error-codes.tsv';
const recordCodes = { TMR_ERROR_CODES_FILE: ERROR_CODES_FILE };

const STEPS = [
  { name: 'lint', script: 'lint', about: 'ESLint over the whole repository, including the layer rules' },
  { name: 'type check', script: 'typecheck', about: 'tsc --noEmit for the service and for the web UI' },
  { name: 'OpenAPI types', script: 'openapi:check', about: 'the generated HTTP types match openapi/openapi.yaml' },
  { name: 'unit tests', script: 'test:coverage:unit', about: 'unit tests under c8, at least 90 % of lines', env: recordCodes },
  { name: 'other tests', script: 'test:coverage:rest', about: 'integration, API and browser tests under c8, at least 95 % of lines with the unit tests', env: recordCodes },
  { name: 'error codes', script: 'test:error-codes', about: 'every error code of the domain was raised by some test' },
];

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const seconds = (since) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

function run(script, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(npm, ['run', '--silent', script], { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', (error) => {
      console.error(error.message);
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}

rmSync(ERROR_CODES_FILE, { force: true });
mkdirSync('coverage', { recursive: true });
const started = performance.now();
for (const [index, step] of STEPS.entries()) {
  const stepStarted = performance.now();
  console.log(`\n▶ [${index + 1}/${STEPS.length}] ${step.name}: ${step.about} …`);
  const code = await run(step.script, step.env);
  if (code !== 0) {
    console.error(`✖ ${step.name} failed after ${seconds(stepStarted)} (exit ${code})`);
    process.exit(code);
  }
  console.log(`✔ ${step.name} passed in ${seconds(stepStarted)}`);
}
console.log(`\n✔ all ${STEPS.length} steps passed in ${seconds(started)}`);
