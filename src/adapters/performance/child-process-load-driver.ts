import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunProgress, RunTarget } from '../../domain/performance/performance-run';
import type { LoadDriver, LoadOutcome, LoadPlan, LoadRun } from '../../ports/performance.port';
import type { DriverMessage, RegistryMessage } from './load-driver-messages';

const STOP_GRACE_MS = 5_000;

/** The compiled entry point next to this file, or its TypeScript source when running under ts-node. */
function entryPoint(): { file: string; execArgv: string[] } {
  const compiled = join(__dirname, 'load-driver.process.js');
  if (existsSync(compiled)) return { file: compiled, execArgv: [] };
  return { file: join(__dirname, 'load-driver.process.ts'), execArgv: ['-r', 'ts-node/register/transpile-only'] };
}

/**
 * Runs the load in a child process: its clients then compete with the registry for CPU cores, as
 * real clients on the same machine would, but never for the registry's event loop.
 */
export class ChildProcessLoadDriver implements LoadDriver {
  start(plan: LoadPlan, onProgress: (progress: RunProgress, target?: RunTarget) => void): LoadRun {
    const { file, execArgv } = entryPoint();
    const child = fork(file, [], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
    const stderr: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.join('').length < 4_000) stderr.push(chunk.toString('utf8'));
    });
    const done = new Promise<LoadOutcome>((resolve, reject) => {
      let outcome: LoadOutcome | undefined;
      let failure: string | undefined;
      child.on('message', (message: DriverMessage) => {
        if (message.type === 'progress') onProgress(message.progress, message.target);
        else if (message.type === 'done') outcome = message.outcome;
        else failure = message.message;
      });
      child.on('error', (error) => reject(error));
      child.on('exit', (code, signal) => {
        if (outcome !== undefined) resolve(outcome);
        else reject(new Error(failure ?? `the load driver stopped (${signal ?? `exit code ${String(code)}`}) without a result${stderr.length > 0 ? `: ${stderr.join('').trim().slice(0, 500)}` : ''}`));
      });
    });
    send(child, { type: 'start', plan });
    return {
      done,
      stop: () => {
        send(child, { type: 'stop' });
        setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS).unref();
      },
    };
  }
}

function send(child: ChildProcess, message: RegistryMessage): void {
  if (child.connected) child.send(message);
}
