#!/usr/bin/env node
/**
 * Writes openapi/openapi.parsed.json: the contract parsed from openapi/openapi.yaml, with the sha256
 * of the YAML it came from. The server reads it instead of parsing the YAML at every start (the
 * parse was a sixth of the start-up), and only when the hash still matches the YAML beside it, so a
 * stale file is never used. A build output, like dist/: written by `npm run build` and by the Lambda
 * staging, never committed.
 *   node scripts/write-openapi-document.mjs
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

export function writeParsedDocument() {
  writeFileSync(PARSED, parsedDocument());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeParsedDocument();
