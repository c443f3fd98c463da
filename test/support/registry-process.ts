import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { eventually } from './registry-probes';
import { CLOSED_UPSTREAM } from './test-registry';

const ROOT = resolve(__dirname, '../..');
const SERVER = join(ROOT, 'src/adapters/http/server.ts');

export interface RegistryProcess {
  readonly process: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** Native modules stay outside a bundle, as in the Lambda function's (infra/stage-function.mjs). */
const EXTERNAL = ['better-sqlite3', 're2', '@node-rs/argon2', 'swagger-ui-dist'];

export interface ServerBundle {
  readonly entry: string;
  remove(): Promise<void>;
}

/**
 * The server entry point bundled into one file, as the Lambda function is: a process starts from it
 * in a fraction of the time ts-node needs to compile every module, which matters for tests that
 * start several. Written under test-results/ so `openapi/` and `node_modules/` are found above it.
 */
export async function bundleRegistryServer(): Promise<ServerBundle> {
  await mkdir(join(ROOT, 'test-results'), { recursive: true });
  const dir = await mkdtemp(join(ROOT, 'test-results', 'server-'));
  const entry = join(dir, 'server.js');
  await build({ entryPoints: [SERVER], outfile: entry, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: EXTERNAL, logLevel: 'warning' });
  return { entry, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * `npm start`'s last step: the real entry point in a process of its own, run from source by
 * ts-node, or from `entry` (a bundle) when given.
 */
export function startRegistryProcess(env: Record<string, string>, entry?: string): RegistryProcess {
  const args = entry === undefined ? ['-r', 'ts-node/register/transpile-only', SERVER] : [entry];
  const child = spawn(process.execPath, ['--openssl-legacy-provider', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'info', HF_ENDPOINT: CLOSED_UPSTREAM, GITHUB_API_URL: CLOSED_UPSTREAM, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { process: child, output: () => output, exited };
}

/** The URL the process announced once it listens; fails with its output if it exits first. */
export async function listeningUrl(child: RegistryProcess): Promise<string> {
  let url: string | undefined;
  await eventually(async () => {
    url = /registry listening on (http:\/\/[^"\s]+)/.exec(child.output())?.[1];
    if (url === undefined && child.process.exitCode !== null) throw new Error(`the server exited: ${child.output()}`);
    return url !== undefined;
  }, 'the server listens', 1200);
  return url as string;
}
