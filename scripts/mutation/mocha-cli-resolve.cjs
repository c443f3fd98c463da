/**
 * Preloaded (node --require) into Stryker and its test-runner workers, never into `npm test`.
 *
 * Mocha 12 ships its CLI internals as `lib/cli/*.cjs`; @stryker-mutator/mocha-runner 9.6 reaches them
 * with extension-less require() calls (run-helpers, options, collect-files), which Node's resolver only
 * tries with the extensions it has registered. Stryker 10, whose runner handles this, needs Node 22; the
 * fix for Mocha 12 stable is still an open pull request upstream (stryker-js#6205). Registering `.cjs`
 * with the ordinary CommonJS loader lets those requires resolve until then.
 */
const Module = process.getBuiltinModule('node:module');

if (!Object.prototype.hasOwnProperty.call(Module._extensions, '.cjs')) {
  Module._extensions['.cjs'] = Module._extensions['.js'];
}
