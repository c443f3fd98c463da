// Builds the web UI into web/dist: one minified bundle of JS and one of CSS, named by content hash,
// and an index.html that loads them. `node web/build.mjs` runs it; the UI tests import buildWeb().
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const webRoot = dirname(fileURLToPath(import.meta.url));
export const WEB_DIST = join(webRoot, 'dist');

/**
 * Source maps are off unless asked for (`node web/build.mjs --sourcemap`, for debugging): what is
 * built here is what `npm start` serves and the deploy publishes, and a published map hands out the
 * UI's full source.
 * @param {{ outdir?: string, minify?: boolean, sourcemap?: boolean }} [options]
 */
export async function buildWeb(options = {}) {
  const outdir = options.outdir ?? WEB_DIST;
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const result = await build({
    entryPoints: [join(webRoot, 'src', 'main.tsx')],
    outdir,
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: options.minify ?? true,
    sourcemap: options.sourcemap === true ? 'linked' : false,
    format: 'esm',
    target: ['chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
  const script = outputs.find((file) => file.endsWith('.js'));
  const style = outputs.find((file) => file.endsWith('.css'));
  if (script === undefined || style === undefined) throw new Error(`web build produced ${outputs.join(', ')}`);
  const template = await readFile(join(webRoot, 'index.html'), 'utf8');
  const html = template.replace('%STYLE%', `/${style}`).replace('%SCRIPT%', `/${script}`);
  await writeFile(join(outdir, 'index.html'), html);
  return { outdir, files: [...outputs, 'index.html'] };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildWeb({ sourcemap: process.argv.includes('--sourcemap') }).then(
    ({ outdir, files }) => process.stdout.write(`web UI built into ${outdir}: ${files.join(', ')}\n`),
    (error) => {
      process.stderr.write(`web UI build failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
