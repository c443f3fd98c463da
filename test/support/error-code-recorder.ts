import { appendFileSync } from 'node:fs';
import path from 'node:path';
import * as errors from '../../src/domain/errors';

/**
 * Records, while the tests run, every error code the registry's own code (src/) raises, so
 * scripts/check-error-codes.ts can fail when a code of the domain's table is produced by no test.
 *
 * Only errors constructed by src/ count: a test that builds `new DomainError(...)` itself, or a fake
 * that throws one, proves nothing about the registry. The module's exports are swapped for recording
 * versions; compiled CommonJS reads `errors_1.DomainError` at each use, so every importer sees them.
 */

const SRC = `${path.sep}src${path.sep}`;
const THIS_FILE = path.basename(__filename, path.extname(__filename));
const ERRORS_FILE = `${path.sep}src${path.sep}domain${path.sep}errors.`;

type Exports = Record<string, unknown> & { DomainError: typeof errors.DomainError };

/** The first stack frame outside this file and errors.ts: the code that asked for the error. */
export function producerOf(stack: string): string | undefined {
  const frames = stack.split('\n').slice(1);
  const caller = frames.find((frame) => !frame.includes(THIS_FILE) && !frame.includes(ERRORS_FILE));
  const file = caller?.match(/(?:\(|at )((?:[A-Za-z]:)?[^():]+):\d+:\d+\)?$/)?.[1];
  return file;
}

function recorderFor(file: string): (code: string, stack: string) => void {
  const seen = new Set<string>();
  return (code, stack) => {
    const producer = producerOf(stack);
    if (producer === undefined || !producer.includes(SRC)) return;
    const relative = path.relative(process.cwd(), producer);
    const key = `${code}\t${relative}`;
    if (seen.has(key)) return;
    seen.add(key);
    // Synchronous: mocha runs with --exit, so a buffered write could be lost at the end of the run.
    appendFileSync(file, `${key}\n`);
  };
}

/** Swaps the errors module's exports for recording ones; codes raised by src/ are appended to `file`. */
export function recordErrorCodes(file: string): void {
  const record = recorderFor(file);
  const exportsObject = errors as unknown as Exports;
  const Original = exportsObject.DomainError;

  class RecordedDomainError extends Original {
    constructor(...args: ConstructorParameters<typeof Original>) {
      super(...args);
      record(this.code, new Error().stack ?? '');
    }
  }
  Object.defineProperty(RecordedDomainError, 'name', { value: Original.name });
  // Errors built through the original class (helpers, errors made before the swap) still pass
  // `instanceof DomainError` in the tests, whichever of the two classes they imported.
  Object.defineProperty(RecordedDomainError, Symbol.hasInstance, { value: (value: unknown) => value instanceof Original });
  exportsObject.DomainError = RecordedDomainError;

  // Helpers in errors.ts (invalidInput, …) build the original class through their local binding.
  for (const [name, value] of Object.entries(exportsObject)) {
    if (typeof value !== 'function' || value === RecordedDomainError || name === 'isDomainError') continue;
    const helper = value as (...args: unknown[]) => unknown;
    exportsObject[name] = (...args: unknown[]): unknown => {
      const result = helper(...args);
      if (result instanceof Original) record(result.code, new Error().stack ?? '');
      return result;
    };
  }
}
