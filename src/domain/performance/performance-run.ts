import type { ArtifactType } from '../artifact';
import type { RunSettings } from './run-settings';
import type { RunResult } from './run-statistics';

export type RunStatus = 'running' | 'completed' | 'failed';
export type RunPhase = 'starting' | 'populating' | 'running' | 'finished';

/** Where the registry ran and on what, recorded with each run so runs on different setups can be compared. */
export interface RunEnvironment {
  readonly storage: 'memory' | 'local' | 's3';
  /** For S3: AWS itself, or an S3-compatible server at a configured endpoint. */
  readonly storageEndpoint?: 'aws' | 'custom';
  readonly compute: 'process';
  readonly nodeVersion: string;
  readonly platform: string;
  readonly cpuCount: number;
  readonly cpuModel: string;
  readonly memoryBytes: number;
  readonly production: boolean;
}

export interface RunTarget {
  readonly id: string;
  readonly type: ArtifactType;
  readonly name: string;
  readonly sizeBytes: number;
}

export interface RunProgress {
  readonly phase: RunPhase;
  readonly elapsedSeconds: number;
  readonly completed: number;
  readonly errors: number;
  readonly bytes: number;
  /** While populating: models the registry holds so far, out of `modelsWanted`. */
  readonly models?: number;
  readonly modelsWanted?: number;
}

export interface PerformanceRun {
  readonly id: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly startedBy: string;
  readonly settings: RunSettings;
  readonly environment: RunEnvironment;
  readonly target?: RunTarget;
  readonly progress: RunProgress;
  readonly result?: RunResult;
  readonly failure?: string;
}

/** Runs kept for comparison; older ones are dropped as new ones finish. */
export const KEPT_RUNS = 50;

/** Newest first, at most KEPT_RUNS: what every run store keeps. */
export const keepNewest = (runs: readonly PerformanceRun[]): PerformanceRun[] =>
  [...runs].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).slice(0, KEPT_RUNS);
