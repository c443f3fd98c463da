import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createWriteStream, readFileSync } from 'node:fs';
import type { BlobStore } from '../../ports/blob-store.port';
import type { HookRun, HookRunner, HookVerdict } from '../../ports/hook-runner.port';
import type { Logger } from '../../ports/system.port';

export interface HookLimits {
  readonly timeoutMs: number;
  readonly memoryMb: number;
  /** Bytes of standard output kept for the verdict. */
  readonly outputBytes: number;
  /** Where each run's private directory is made: the instance's scratch area, swept after a crash. */
  readonly workRoot?: string;
}

export const HOOK_OUTPUT_BYTES = 16 * 1024;
export const DEFAULT_HOOK_LIMITS: HookLimits = { timeoutMs: 5_000, memoryMb: 64, outputBytes: HOOK_OUTPUT_BYTES };
// Printing past this many bytes (kept or not) ends the program: a flood is a refusal, not a memory problem.
const OUTPUT_KILL_FACTOR = 16;
const RSS_POLL_MS = 25;

// Loaded before the program (--require) as a second wall behind the network namespace: every way
// Node opens a socket fails, for runtimes where a namespace cannot be had. The permission model
// already denies process.binding, child processes, workers, addons, WASI and all writes.
const NETWORK_GUARD = `'use strict';
const deny = (what) => function () { throw new Error('network access is not allowed in a pre-download hook (' + what + ')'); };
const net = require('net');
net.Socket.prototype.connect = deny('net.connect');
net.Server.prototype.listen = deny('net.listen');
require('dgram').createSocket = deny('dgram');
const dns = require('dns');
for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) dns[name] = deny('dns.' + name);
globalThis.fetch = deny('fetch');
globalThis.WebSocket = undefined;
`;

/**
 * Runs a model's pre-download program as its own Node process under Node's permission model: it may
 * read its own source and the package and nothing else, write nothing, start no process or worker.
 * It gets an empty environment, a new network namespace with no interfaces (when the platform allows
 * one; see docs/security.md) plus the in-process guard above, a heap limit and a resident-memory
 * watchdog, a wall-clock limit, and capped output. Every outcome that is not exit 0 refuses.
 */
export class NodeHookRunner implements HookRunner {
  /** Probed at the first run, not at start-up: the probe is a process spawn, a third of a second under load. */
  private isolateNetwork: Promise<boolean> | undefined;

  constructor(
    private readonly blobs: BlobStore & { localPath?(sha256: string): string | undefined },
    private readonly logger: Logger,
    private readonly limits: HookLimits = DEFAULT_HOOK_LIMITS,
  ) {}

  async run(run: HookRun): Promise<HookVerdict> {
    const started = Date.now();
    const root = this.limits.workRoot ?? tmpdir();
    await mkdir(root, { recursive: true });
    const workDir = await mkdtemp(join(root, 'hook-'));
    try {
      const hookPath = join(workDir, 'hook.js');
      const guardPath = join(workDir, 'guard.js');
      await writeFile(hookPath, run.source, { mode: 0o400 });
      await writeFile(guardPath, NETWORK_GUARD, { mode: 0o400 });
      const packagePath = await this.packagePath(run.package.sha256, workDir);
      this.isolateNetwork ??= canUnshareNetwork();
      return await this.execute([hookPath, guardPath, packagePath], [...run.args, packagePath], started, await this.isolateNetwork);
    } catch (error) {
      this.logger.error('pre-download hook could not be run', { error: error instanceof Error ? error.message : String(error) });
      return { outcome: 'failed', reason: 'the registry could not run the pre-download program', output: '', durationMs: Date.now() - started };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  /** The stored file itself where the store keeps one on this disk; a private copy otherwise. */
  private async packagePath(sha256: string, workDir: string): Promise<string> {
    const stored = this.blobs.localPath?.(sha256);
    if (stored !== undefined) return stored;
    const copy = join(workDir, 'package.zip');
    await pipeline(await this.blobs.get(sha256), createWriteStream(copy, { mode: 0o400 }));
    await chmod(copy, 0o400);
    return copy;
  }

  private execute(readable: readonly string[], args: readonly string[], started: number, isolateNetwork: boolean): Promise<HookVerdict> {
    const [hookPath, guardPath] = readable;
    const nodeArgs = [
      permissionFlag(),
      ...readable.map((path) => `--allow-fs-read=${path}`),
      `--max-old-space-size=${this.limits.memoryMb}`,
      '--max-semi-space-size=4',
      '--no-warnings',
      '--disallow-code-generation-from-strings',
      '--require', guardPath ?? '',
      hookPath ?? '',
      ...args,
    ];
    const [command, commandArgs] = isolateNetwork
      ? ['unshare', ['--net', '--', process.execPath, ...nodeArgs]]
      : [process.execPath, nodeArgs];
    return new Promise((resolve) => {
      const child = spawn(command, commandArgs, { env: {}, stdio: ['ignore', 'pipe', 'ignore'], cwd: tmpdir() });
      let output = Buffer.alloc(0);
      let printed = 0;
      let killedFor: string | undefined;
      const kill = (reason: string): void => {
        killedFor ??= reason;
        child.kill('SIGKILL');
      };
      const timer = setTimeout(() => kill(`killed after ${this.limits.timeoutMs} ms`), this.limits.timeoutMs);
      const watchdog = setInterval(() => {
        const rss = residentMb(child.pid);
        if (rss !== undefined && rss > this.limits.memoryMb * 2) kill(`used more than ${this.limits.memoryMb * 2} MB of memory`);
      }, RSS_POLL_MS);
      child.stdout.on('data', (chunk: Buffer) => {
        printed += chunk.length;
        if (output.length < this.limits.outputBytes) output = Buffer.concat([output, chunk.subarray(0, this.limits.outputBytes - output.length)]);
        if (printed > this.limits.outputBytes * OUTPUT_KILL_FACTOR) kill(`printed more than ${this.limits.outputBytes * OUTPUT_KILL_FACTOR} bytes`);
      });
      child.stdout.on('error', () => undefined);
      const finish = (verdict: Omit<HookVerdict, 'output' | 'durationMs'>): void => {
        clearTimeout(timer);
        clearInterval(watchdog);
        resolve({ ...verdict, output: output.toString('utf8'), durationMs: Date.now() - started });
      };
      child.once('error', (error) => finish({ outcome: 'failed', reason: `the program could not be started: ${error.message}` }));
      child.once('close', (code, signal) => {
        if (killedFor !== undefined) finish({ outcome: 'refused', reason: killedFor });
        else if (code === 0) finish({ outcome: 'allowed', reason: 'exited with 0', exitCode: 0 });
        else if (code !== null) finish({ outcome: 'refused', reason: `exited with ${code}`, exitCode: code });
        else finish({ outcome: 'refused', reason: `crashed (${signal ?? 'signal'})` });
      });
    });
  }
}

const permissionFlag = (): string => (Number(process.versions.node.split('.')[0]) >= 22 ? '--permission' : '--experimental-permission');

/** A new, empty network namespace needs root or unprivileged user namespaces; Lambda has neither. */
function canUnshareNetwork(): Promise<boolean> {
  if (process.platform !== 'linux') return Promise.resolve(false);
  return new Promise((resolve) => {
    const probe = spawn('unshare', ['--net', '--', 'true'], { stdio: 'ignore', timeout: 2_000 });
    probe.once('error', () => resolve(false));
    probe.once('close', (code) => resolve(code === 0));
  });
}

function residentMb(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  try {
    // Synchronous on purpose: a procfs read is a few microseconds and never blocks on a disk.
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match?.[1] === undefined ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}
