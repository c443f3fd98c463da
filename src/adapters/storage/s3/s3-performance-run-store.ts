import { keepNewest, KEPT_RUNS, type PerformanceRun } from '../../../domain/performance/performance-run';
import type { PerformanceRunStore } from '../../../ports/performance.port';
import { mapLimit, type S3Bucket } from './s3-bucket';

const PREFIX = 'performance-runs/';
const ID = /^[A-Za-z0-9-]{1,64}$/;
const READS_IN_FLIGHT = 8;

/** One JSON object per finished run under `performance-runs/<id>`; ids sort by time, so the oldest go first. */
export class S3PerformanceRunStore implements PerformanceRunStore {
  constructor(private readonly bucket: S3Bucket) {}

  async save(run: PerformanceRun): Promise<void> {
    await this.bucket.putText(`${PREFIX}${run.id}`, JSON.stringify(run));
    const keys = await this.keys();
    if (keys.length > KEPT_RUNS) await this.bucket.deleteKeys(keys.slice(0, keys.length - KEPT_RUNS));
  }

  async get(id: string): Promise<PerformanceRun | undefined> {
    if (!ID.test(id)) return undefined;
    const stored = await this.bucket.getText(`${PREFIX}${id}`);
    return stored === undefined || stored === 'unchanged' ? undefined : (JSON.parse(stored.text) as PerformanceRun);
  }

  async list(): Promise<PerformanceRun[]> {
    const keys = (await this.keys()).slice(-KEPT_RUNS);
    const runs = await mapLimit(keys, READS_IN_FLIGHT, async (key) => this.get(key.slice(PREFIX.length)));
    return keepNewest(runs.filter((run): run is PerformanceRun => run !== undefined));
  }

  /** Every run's key, oldest first. */
  private async keys(): Promise<string[]> {
    const keys: string[] = [];
    for await (const page of this.bucket.pages(PREFIX)) keys.push(...page.objects.map((object) => object.key));
    return keys.sort();
  }
}
