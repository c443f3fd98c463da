import type { PerformanceRun, RunProgress, RunTarget } from '../domain/performance/performance-run';
import type { RunSettings } from '../domain/performance/run-settings';
import type { RunResult } from '../domain/performance/run-statistics';

/** Finished performance runs, newest first, bounded (KEPT_RUNS): saving one may drop the oldest. */
export interface PerformanceRunStore {
  save(run: PerformanceRun): Promise<void>;
  get(id: string): Promise<PerformanceRun | undefined>;
  list(): Promise<PerformanceRun[]>;
}

/** Everything a load driver needs to reach the registry as an ordinary client. */
export interface LoadPlan {
  /** The registry's own address, as seen from this machine. */
  readonly baseUrl: string;
  readonly user: { readonly name: string; readonly password: string };
  readonly settings: RunSettings;
  /** Known unless the run populates the registry and downloads the package it made. */
  readonly target?: RunTarget;
}

export interface LoadOutcome {
  readonly target: RunTarget;
  readonly result: RunResult;
}

export interface LoadRun {
  readonly done: Promise<LoadOutcome>;
  /** Ends the run early; `done` then rejects. */
  stop(): void;
}

/**
 * Drives the registry over HTTP from outside the event loop that serves it (another process), so the
 * clients' own work does not slow the server down.
 */
export interface LoadDriver {
  start(plan: LoadPlan, onProgress: (progress: RunProgress, target?: RunTarget) => void): LoadRun;
}
