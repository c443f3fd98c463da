// The load driver's own process: it receives one plan from the registry over IPC, drives the
// registry over HTTP like any client, and reports progress and the result back the same way.
import { Agent } from 'node:http';
import type { RunTarget } from '../../domain/performance/performance-run';
import type { LoadPlan } from '../../ports/performance.port';
import { runDownloads } from './download-load';
import type { DriverMessage, RegistryMessage } from './load-driver-messages';
import { populateRegistry } from './populate-registry';
import { RegistryClient } from './registry-client';

let stopping = false;
const started = performance.now();
const seconds = (): number => Math.round((performance.now() - started) / 100) / 10;

function send(message: DriverMessage): void {
  process.send?.(message);
}

async function drive(plan: LoadPlan): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.settings.clients + 4 });
  const client = new RegistryClient(new URL(plan.baseUrl), agent, plan.user);
  try {
    let target: RunTarget | undefined = plan.target;
    const populate = plan.settings.populate;
    if (populate !== undefined) {
      send({ type: 'progress', progress: { phase: 'populating', elapsedSeconds: seconds(), completed: 0, errors: 0, bytes: 0, models: 0, modelsWanted: populate.models } });
      const made = await populateRegistry(client, populate, (models) => {
        send({ type: 'progress', progress: { phase: 'populating', elapsedSeconds: seconds(), completed: 0, errors: 0, bytes: 0, models, modelsWanted: populate.models } });
      });
      target ??= made;
    }
    if (target === undefined) throw new Error('the run has no artifact to download');
    const known = target;
    send({ type: 'progress', progress: { phase: 'running', elapsedSeconds: 0, completed: 0, errors: 0, bytes: 0 }, target: known });
    const result = await runDownloads(client, known, plan.settings, (progress) => send({ type: 'progress', progress: { phase: 'running', ...progress }, target: known }), () => stopping);
    if (stopping) throw new Error('the run was stopped before it finished');
    send({ type: 'done', outcome: { target: known, result } });
  } finally {
    agent.destroy();
  }
}

process.on('message', (message: RegistryMessage) => {
  if (message.type === 'stop') {
    stopping = true;
    return;
  }
  drive(message.plan).then(
    () => process.disconnect?.(),
    (error: unknown) => {
      send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
      process.disconnect?.();
    },
  );
});
// Without its registry the driver has no one to report to.
process.on('disconnect', () => {
  stopping = true;
  setTimeout(() => process.exit(0), 1000).unref();
});
