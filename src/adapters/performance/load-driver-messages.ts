import type { RunProgress, RunTarget } from '../../domain/performance/performance-run';
import type { LoadOutcome, LoadPlan } from '../../ports/performance.port';

/** From the registry to the load driver's process. */
export type RegistryMessage = { readonly type: 'start'; readonly plan: LoadPlan } | { readonly type: 'stop' };

/** From the load driver's process to the registry. */
export type DriverMessage =
  | { readonly type: 'progress'; readonly progress: RunProgress; readonly target?: RunTarget }
  | { readonly type: 'done'; readonly outcome: LoadOutcome }
  | { readonly type: 'failed'; readonly message: string };
