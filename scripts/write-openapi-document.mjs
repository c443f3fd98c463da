#!/usr/bin/env node
/**
 * Writes openapi/openapi.parsed.json: the contract parsed from openapi/openapi.yaml, with the sha256
 * of the YAML it came from. The server reads it instead of parsing the YAML at every start (the
 * parse was a sixth of the start-up), and only when the hash still matches the YAML beside it, so a
 * stale file is never used. Run by `npm run openapi:types`; `npm run openapi:check` fails when stale.
 *   node scripts/write-openapi-document.mjs [--check]
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SPEC = path.join(root, 'openapi/openapi.yaml');
const PARSED = path.join(root, 'openapi/openapi.parsed.json');

export function parsedDocument() {
  const source = readFileSync(SPEC);
  const document = parse(source.toString('utf8'));
  return `${JSON.stringify({ source_sha256: createHash('sha256').update(source).digest('hex'), document }, null, 1)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const expected = parsedDocument();
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(PARSED, 'utf8');
    } catch (error) {
      if (error?.code !== 'ENOENT') throw error;
    }
    if (committed !== expected) {
      console.error('openapi/openapi.parsed.json does not match openapi/openapi.yaml; run npm run openapi:types');
      process.exitCode = 1;
    } else {
      console.log('openapi/openapi.parsed.json is up to date with openapi/openapi.yaml');
    }
  } else {
    writeFileSync(PARSED, expected);
  }
}
