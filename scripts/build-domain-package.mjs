// Builds packages/domain from src/domain: one CommonJS and one ES module bundle (semver and the SPDX
// data are bundled in, so the package installs with no dependencies and carries nothing but the
// domain), plus type declarations. `npm run build:domain`; the package test imports buildDomainPackage().
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { copyFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DOMAIN_PACKAGE = join(root, 'packages', 'domain');

export async function buildDomainPackage() {
  const dist = join(DOMAIN_PACKAGE, 'dist');
  await rm(dist, { recursive: true, force: true });
  const common = {
    entryPoints: [join(root, 'src', 'domain', 'index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node18',
    legalComments: 'eof',
    logLevel: 'silent',
  };
  await build({ ...common, format: 'cjs', outfile: join(dist, 'index.cjs') });
  await build({ ...common, format: 'esm', outfile: join(dist, 'index.mjs') });
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', join(DOMAIN_PACKAGE, 'tsconfig.json')], { cwd: root });
  await copyFile(join(root, 'docs', 'domain.md'), join(DOMAIN_PACKAGE, 'README.md'));
  return DOMAIN_PACKAGE;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildDomainPackage();
  console.log(`built ${DOMAIN_PACKAGE}`);
}
