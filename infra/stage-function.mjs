// Assembles infra/.lambda, the function's CodeUri: the compiled JavaScript, the OpenAPI document the
// app validates against, the manifests to install production dependencies from, and the Makefile
// that `sam build --use-container` runs inside the Lambda build image. Run `npm run build` first
// (`npm run lambda:stage` does both).
import { access, cp, mkdir, rm } from 'node:fs/promises';

const root = new URL('../', import.meta.url);
const out = new URL('.lambda/', import.meta.url);
const from = (path) => new URL(path, root);

try {
  await access(from('dist/src/adapters/lambda/handler.js'));
} catch {
  process.stderr.write('dist/src/adapters/lambda/handler.js is missing: run `npm run build` first\n');
  process.exit(1);
}
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await cp(from('dist/src'), new URL('dist/src', out), { recursive: true });
await cp(from('openapi'), new URL('openapi', out), { recursive: true });
for (const file of ['package.json', 'package-lock.json']) await cp(from(file), new URL(file, out));
await cp(new URL('lambda.Makefile', import.meta.url), new URL('Makefile', out));
process.stdout.write(`staged the function in ${out.pathname}\n`);
