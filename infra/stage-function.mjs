// Assembles infra/.lambda, the function's CodeUri: the handler bundled by esbuild into one minified
// file (a cold start then reads one file instead of resolving thousands of modules), the OpenAPI
// document the app validates against, a package.json naming only the modules left out of the bundle
// (native addons, and swagger-ui-dist whose static files are found beside it) at the versions the
// lock file holds, and the Makefile that `sam build --use-container` runs inside the Lambda build
// image to install them. `npm run lambda:stage` type-checks with the build first.
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { build } from 'esbuild';
import { writeParsedDocument } from '../scripts/write-openapi-document.mjs';

const root = new URL('../', import.meta.url);
const out = new URL('.lambda/', import.meta.url);
const from = (path) => new URL(path, root);
export const EXTERNAL = ['better-sqlite3', 're2', '@node-rs/argon2', 'swagger-ui-dist'];

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
// The path matches the template's Handler (dist/src/adapters/lambda/handler.handler).
const result = await build({
  entryPoints: [from('src/adapters/lambda/handler.ts').pathname],
  outfile: new URL('dist/src/adapters/lambda/handler.js', out).pathname,
  bundle: true, platform: 'node', target: 'node22', format: 'cjs', minify: true, keepNames: true, sourcemap: 'linked',
  external: EXTERNAL, metafile: true, logLevel: 'warning',
});
writeParsedDocument();
await cp(from('openapi'), new URL('openapi', out), { recursive: true });
const lock = JSON.parse(await readFile(from('package-lock.json'), 'utf8'));
const manifest = JSON.parse(await readFile(from('package.json'), 'utf8'));
const versionOf = (name) => lock.packages[`node_modules/${name}`]?.version ?? manifest.dependencies[name];
await writeFile(new URL('package.json', out), `${JSON.stringify({
  name: `${manifest.name}-function`, version: manifest.version, private: true, license: manifest.license, engines: manifest.engines,
  dependencies: Object.fromEntries(EXTERNAL.map((name) => [name, versionOf(name)])),
  allowScripts: manifest.allowScripts,
}, null, 2)}\n`);
await cp(new URL('lambda.Makefile', import.meta.url), new URL('Makefile', out));
const bytes = Object.values(result.metafile.outputs).filter((o) => o.entryPoint !== undefined).reduce((sum, o) => sum + o.bytes, 0);
process.stdout.write(`staged the function in ${out.pathname} (bundle ${(bytes / 1e6).toFixed(1)} MB; external: ${EXTERNAL.join(', ')})\n`);
