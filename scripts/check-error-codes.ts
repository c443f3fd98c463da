/**
 * Fails when an error code of the domain's table (src/domain/errors.ts) was raised by no test.
 *
 * The evidence is what the tests did, not what the source says: test/support/error-code-recorder.ts
 * appends "CODE<TAB>producing file" for every DomainError that src/ constructed during the run whose
 * file is named by TMR_ERROR_CODES_FILE (scripts/run-tests.mjs sets it). Usage:
 *   ts-node --transpile-only scripts/check-error-codes.ts <recorded-codes-file>
 */
import { existsSync, readFileSync } from 'node:fs';
import { ErrorCode } from '../src/domain/errors';

interface Observed {
  code: string;
  producer: string;
}

function readObserved(file: string): Observed[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [code = '', producer = ''] = line.split('\t');
      return { code, producer };
    });
}

function main(file: string | undefined): number {
  if (file === undefined || !existsSync(file)) {
    console.error(`check-error-codes: no recorded codes at ${file ?? '(no file given)'}; run the tests with TMR_ERROR_CODES_FILE set`);
    return 2;
  }
  const observed = readObserved(file);
  const produced = new Set(observed.map((entry) => entry.code));
  const table = Object.entries(ErrorCode);
  const missing = table.filter(([, code]) => !produced.has(code));
  const unknown = [...produced].filter((code) => !table.some(([, known]) => known === code));

  console.log(`error codes: ${table.length - missing.length}/${table.length} of the domain's table raised by src/ during the tests`);
  for (const [name, code] of missing) console.error(`  ✖ ${code} (ErrorCode.${name}) was produced by no test`);
  for (const code of unknown) console.error(`  ✖ ${code} was produced but is not in the domain's table`);
  return missing.length === 0 && unknown.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv[2]);
