#!/usr/bin/env node
/**
 * `npm test`: lint, type check, OpenAPI type check, then every test under coverage — one step after
 * another, stopping at the first failure. ESLint and tsc print nothing while they work (one and a
 * half to three and a half minutes together on two busy cores), so each step is announced before it starts and timed when
 * it ends: a person watching knows what is running and that it has not hung.
 */
import { spawn } from 'node:child_process';
import process from 'node:process';

const STEPS = [
  { name: 'lint', script: 'lint', about: 'ESLint over the whole repository, including the layer rules' },
  { name: 'type check', script: 'typecheck', about: 'tsc --noEmit for the service and for the web UI' },
  { name: 'OpenAPI types', script: 'openapi:check', about: 'the generated HTTP types match openapi/openapi.yaml' },
  { name: 'tests', script: 'test:coverage', about: 'unit, integration, API and browser tests under c8' },
];

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const seconds = (since) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

function run(script) {
  return new Promise((resolve) => {
    const child = spawn(npm, ['run', '--silent', script], { stdio: 'inherit' });
    child.on('error', (error) => {
      console.error(error.message);
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}

const started = performance.now();
for (const [index, step] of STEPS.entries()) {
  const stepStarted = performance.now();
  console.log(`\n▶ [${index + 1}/${STEPS.length}] ${step.name}: ${step.about} …`);
  const code = await run(step.script);
  if (code !== 0) {
    console.error(`✖ ${step.name} failed after ${seconds(stepStarted)} (exit ${code})`);
    process.exit(code);
  }
  console.log(`✔ ${step.name} passed in ${seconds(stepStarted)}`);
}
console.log(`\n✔ all ${STEPS.length} steps passed in ${seconds(started)}`);
