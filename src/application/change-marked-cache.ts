import { deepFreeze } from '../domain/immutable';

/**
 * Results computed from several records (a rating with its parents' scores, a lineage), kept while
 * the repository's change mark stays what it was when they were computed: any create, change or
 * delete anywhere moves the mark, and the next read computes afresh. Bounded; the oldest entry goes
 * first. A store without a mark (undefined) caches nothing. Values kept are frozen whole: every
 * reader gets the same one, and none can change it for the others.
 */
export class ChangeMarkedCache<T> {
  private readonly entries = new Map<string, { mark: string; value: T }>();

  constructor(private readonly limit: number) {}

  get(key: string, mark: string | undefined): T | undefined {
    if (mark === undefined) return undefined;
    const entry = this.entries.get(key);
    return entry !== undefined && entry.mark === mark ? entry.value : undefined;
  }

  /** `mark` must have been read before the work that computed `value` began. */
  set(key: string, mark: string | undefined, value: T): void {
    if (mark === undefined) return;
    this.entries.delete(key);
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value ?? '');
    this.entries.set(key, { mark, value: deepFreeze(value) });
  }

  get size(): number {
    return this.entries.size;
  }
}
