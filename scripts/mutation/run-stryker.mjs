#!/usr/bin/env node
/**
 * `npm run mutation`: StrykerJS over the pure domain (stryker.config.json). Stryker starts checker and
 * test-runner workers of its own; each must load mocha-cli-resolve.cjs before the mocha runner plugin,
 * and NODE_OPTIONS is the one setting every one of those processes inherits.
 *
 * `npm run mutation -- AREA [stryker options]`: AREA (rating, lineage, licensing, version, or domain,
 * the default) picks the files mutated and the spec files run (stryker.config.mjs).
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

const [first, ...rest] = process.argv.slice(2);
const area = first !== undefined && !first.startsWith('-') ? first : undefined;
const strykerArgs = area === undefined ? process.argv.slice(2) : rest;

const child = spawn(process.execPath, [stryker, 'run', ...strykerArgs], {
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: nodeOptions, ...(area === undefined ? {} : { MUTATION_AREA: area }) },
});
child.on('error', (error) => {
  console.error(error.message);
  process.exit(1);
});
child.on('close', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
