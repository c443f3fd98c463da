#!/usr/bin/env node
/**
 * Fails (exit 1) when openapi/openapi.yaml is not a valid OpenAPI document, or when the committed
 * src/adapters/http/generated/openapi.d.ts differs from what `npm run openapi:types` would write for
 * it now. Exits 0 otherwise. Nothing is written to disk.
 *
 * Types are generated in memory exactly as the openapi-typescript CLI does it (same entry point,
 * same default options, same header), so a byte-for-byte comparison with the committed file is
 * meaningful.
 *
 * Validation: openapi-typescript only fails on unresolvable $refs; its built-in lint runs with an
 * empty rule set. So the document is linted here with the Redocly core that openapi-typescript
 * itself uses, with the `minimal` rules (which include full structural validation) plus the rules
 * listed in LINT_RULES.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SPEC = 'openapi/openapi.yaml';
const TYPES = 'src/adapters/http/generated/openapi.d.ts';
const STALE = 'openapi types are stale: run npm run openapi:types';

const LINT_RULES = {
  // Every operation needs a unique id: the generated `operations` map is keyed by it.
  'operation-operationId': 'error',
  'operation-operationId-unique': 'error',
  'operation-summary': 'error',
  // Examples are documentation clients copy from; they must satisfy their schemas.
  'no-invalid-media-type-examples': { severity: 'error', allowAdditionalProperties: false },
  'no-unused-components': 'error',
  // Deliberate: like the course contract, the token is a required `X-Authorization` header
  // parameter that the server checks itself, not a security scheme.
  'security-defined': 'off',
};

/** The Redocly core that openapi-typescript depends on, resolved from openapi-typescript itself. */
function redoclyCore() {
  const requireFromGenerator = createRequire(import.meta.resolve('openapi-typescript'));
  return requireFromGenerator('@redocly/openapi-core');
}

/** Returns the error count after printing every problem with its line in the document. */
async function lintSpec(specPath) {
  const redocly = redoclyCore();
  const config = await redocly.createConfig({ extends: ['minimal'], rules: LINT_RULES });
  const problems = await redocly.lint({ ref: specPath, config });
  let errors = 0;
  for (const problem of problems) {
    if (problem.severity === 'error') errors += 1;
    const location = problem.location?.[0];
    let where = '';
    if (location !== undefined) {
      const { start } = redocly.getLineColLocation(location);
      where = ` (${SPEC}:${start.line}:${start.col} ${location.pointer ?? ''})`;
    }
    console.error(`${problem.severity}: ${problem.message}${where}`);
  }
  return errors;
}

async function generateTypes(specPath) {
  const ast = await openapiTS(pathToFileURL(specPath), { silent: true });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}

async function readCommitted(typesPath) {
  try {
    return await readFile(typesPath);
  } catch (error) {
    if (error?.code === 'ENOENT') return undefined;
    throw error;
  }
}

async function main() {
  const specPath = path.join(root, SPEC);
  const typesPath = path.join(root, TYPES);

  let errors;
  try {
    errors = await lintSpec(specPath);
  } catch (error) {
    console.error(`${SPEC} could not be read or parsed: ${error?.message ?? error}`);
    return 1;
  }
  if (errors > 0) {
    console.error(`${SPEC} is not a valid OpenAPI document: ${errors} error(s) above`);
    return 1;
  }

  let generated;
  try {
    generated = await generateTypes(specPath);
  } catch (error) {
    console.error(`openapi-typescript could not generate types from ${SPEC}: ${error?.message ?? error}`);
    return 1;
  }

  const committed = await readCommitted(typesPath);
  if (committed === undefined) {
    console.error(`${TYPES} does not exist; ${STALE}`);
    return 1;
  }
  if (!committed.equals(Buffer.from(generated, 'utf8'))) {
    console.error(`${TYPES} does not match ${SPEC}; ${STALE}`);
    return 1;
  }
  console.log(`${TYPES} is up to date with ${SPEC}`);
  return 0;
}

process.exitCode = await main();
