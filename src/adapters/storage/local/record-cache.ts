import type { ArtifactRecord } from '../../../domain/artifact';

/**
 * Parsed records kept while the table's change counter stays where it was when they were read: the
 * frequent reads (an artifact, its rating, a name lookup) then cost a counter lookup instead of
 * reading and parsing some 15 KB of JSON each. Bounded by the size of the JSON the entries came from;
 * the least recently used go first. Records are frozen, so a caller cannot change another's copy.
 */
export class RecordCache {
  private readonly entries = new Map<string, { mark: number; record: ArtifactRecord; bytes: number }>();
  private bytes = 0;

  constructor(private readonly budgetBytes: number) {}

  get(id: string, mark: number): ArtifactRecord | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    this.entries.delete(id);
    if (entry.mark !== mark) {
      this.bytes -= entry.bytes;
      return undefined;
    }
    this.entries.set(id, entry);
    return entry.record;
  }

  /** `mark` must have been read before the row was. */
  put(id: string, mark: number, record: ArtifactRecord, bytes: number): ArtifactRecord {
    const frozen = deepFreeze(record);
    if (bytes > this.budgetBytes / 8) return frozen;
    const previous = this.entries.get(id);
    if (previous !== undefined) {
      this.entries.delete(id);
      this.bytes -= previous.bytes;
    }
    this.entries.set(id, { mark, record: frozen, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.budgetBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
    return frozen;
  }

  get size(): number {
    return this.entries.size;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * The ids a listing query found, kept while the change counter stays where it was: a name looked up
 * again costs neither the query nor a read of the table. Bounded by entry count (keys come from
 * clients); the least recently used go first.
 */
export class ListingCache {
  private readonly entries = new Map<string, { mark: number; ids: readonly string[] }>();

  constructor(private readonly limit: number) {}

  get(key: string, mark: number): readonly string[] | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.mark !== mark) return undefined;
    this.entries.set(key, entry);
    return entry.ids;
  }

  put(key: string, mark: number, ids: readonly string[]): void {
    this.entries.delete(key);
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value ?? '');
    this.entries.set(key, { mark, ids });
  }
}
