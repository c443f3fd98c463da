import { keepNewest, type PerformanceRun } from '../../../domain/performance/performance-run';
import type { PerformanceRunStore } from '../../../ports/performance.port';

export class MemoryPerformanceRunStore implements PerformanceRunStore {
  private runs: PerformanceRun[] = [];

  async save(run: PerformanceRun): Promise<void> {
    this.runs = keepNewest([run, ...this.runs.filter((kept) => kept.id !== run.id)]);
  }

  async get(id: string): Promise<PerformanceRun | undefined> {
    return this.runs.find((run) => run.id === id);
  }

  async list(): Promise<PerformanceRun[]> {
    return [...this.runs];
  }
}
