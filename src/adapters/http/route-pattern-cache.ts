// The module object itself, not an interop copy: the validator looks `pathToRegexp` up on it per call.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import pathToRegexpModule = require('path-to-regexp');

type Compile = typeof pathToRegexpModule.pathToRegexp;
type Options = Parameters<Compile>[1];
const MAX_PATTERNS = 1_000;
const MAX_OPTION_SETS = 8;

const sameOptions = (a: Options, b: Options): boolean => a?.sensitive === b?.sensitive && a?.end === b?.end && a?.trailing === b?.trailing && a?.delimiter === b?.delimiter;

/**
 * express-openapi-validator 5.6 finds a request's operation by compiling every route template of the
 * document with path-to-regexp, on every request, until one matches: at 30 routes that was the
 * largest single cost of a small authenticated read. The templates come from our own document, so
 * the compiled patterns are memoised (bounded all the same) in the module the validator calls through.
 * Compiled results are immutable for the validator's use: it only calls `regexp.exec` and reads `keys`.
 */
export function memoiseRoutePatterns(): void {
  const target = pathToRegexpModule as { pathToRegexp: Compile & { memoised?: true } };
  if (target.pathToRegexp.memoised === true) return;
  const compile = target.pathToRegexp;
  // Per template, the few option sets it was compiled with; compared field by field, because the
  // validator passes a fresh options object for every route on every request.
  const cache = new Map<string, { options: Options | undefined; compiled: ReturnType<Compile> }[]>();
  const memoised: Compile & { memoised?: true } = (path, options) => {
    if (typeof path !== 'string' || options?.encodePath !== undefined) return compile(path, options);
    let entries = cache.get(path);
    const hit = entries?.find((entry) => sameOptions(entry.options, options));
    if (hit !== undefined) return hit.compiled;
    const compiled = compile(path, options);
    if (entries === undefined && cache.size < MAX_PATTERNS) cache.set(path, (entries = []));
    if (entries !== undefined && entries.length < MAX_OPTION_SETS) entries.push({ options: options === undefined ? undefined : { ...options }, compiled });
    return compiled;
  };
  memoised.memoised = true;
  target.pathToRegexp = memoised;
}
