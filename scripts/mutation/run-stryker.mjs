#!/usr/bin/env node
/**
 * `npm run mutation`: StrykerJS over the pure domain (stryker.config.json). Stryker starts checker and
 * test-runner workers of its own; each must load mocha-cli-resolve.cjs before the mocha runner plugin,
 * and NODE_OPTIONS is the one setting every one of those processes inherits. Extra arguments go to
 * `stryker run` (e.g. `npm run mutation -- --mutate src/domain/version.ts`).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';

const preload = fileURLToPath(new URL('./mocha-cli-resolve.cjs', import.meta.url));
const corePackage = createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json');
const stryker = join(dirname(corePackage), 'bin', 'stryker.js');
const nodeOptions = [process.env.NODE_OPTIONS ?? '', `--require=${JSON.stringify(preload)}`].join(' ').trim();

const child = spawn(process.execPath, [stryker, 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: nodeOptions },
});
child.on('error', (error) => {
  console.error(error.message);
  process.exit(1);
});
child.on('close', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
