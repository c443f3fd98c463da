// The module object itself, not an interop copy: the validator looks `pathToRegexp` up on it per call.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import pathToRegexpModule = require('path-to-regexp');

type Compile = typeof pathToRegexpModule.pathToRegexp;
const MAX_PATTERNS = 1_000;

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
  const cache = new Map<string, ReturnType<Compile>>();
  const memoised: Compile & { memoised?: true } = (path, options) => {
    if (typeof path !== 'string') return compile(path, options);
    const key = `${path}\u0000${JSON.stringify(options ?? {})}`;
    let compiled = cache.get(key);
    if (compiled === undefined) {
      compiled = compile(path, options);
      if (cache.size < MAX_PATTERNS) cache.set(key, compiled);
    }
    return compiled;
  };
  memoised.memoised = true;
  target.pathToRegexp = memoised;
}
