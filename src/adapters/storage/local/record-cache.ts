import { LRUCache } from 'lru-cache';
import type { ArtifactRecord } from '../../../domain/artifact';
import { deepFreeze } from '../../../domain/immutable';

/**
 * Values kept while the table's change counter stays where it was when they were read; an entry read
 * under another counter is dropped. Least recently used go first (lru-cache), bounded by entry count
 * or, for records, by the size of the JSON they came from.
 */
class MarkedCache<T extends object> {
  private readonly entries: LRUCache<string, { mark: number; value: T }>;
  private readonly sized: boolean;

  constructor(options: { maxEntries: number } | { maxBytes: number }) {
    this.sized = 'maxBytes' in options;
    this.entries = 'maxBytes' in options
      // One large record may take an eighth of the budget at most; larger ones are not kept.
      ? new LRUCache({ maxSize: options.maxBytes, maxEntrySize: options.maxBytes / 8 })
      : new LRUCache({ max: options.maxEntries });
  }

  get(key: string, mark: number): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.mark === mark) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** `mark` must have been read before the value was; `bytes` counts against a byte budget. */
  put(key: string, mark: number, value: T, bytes = 1): void {
    this.entries.set(key, { mark, value }, this.sized ? { size: Math.max(1, bytes) } : {});
  }
}

/**
 * Parsed records: the frequent reads (an artifact, its rating, a name lookup) then cost a counter
 * lookup instead of reading and parsing some 15 KB of JSON each. Records are frozen, so a caller
 * cannot change another's copy.
 */
export class RecordCache extends MarkedCache<ArtifactRecord> {
  constructor(budgetBytes: number) {
    super({ maxBytes: budgetBytes });
  }

  /** Keeps the record (frozen) when it fits, and returns it frozen either way. */
  keep(id: string, mark: number, record: ArtifactRecord, bytes: number): ArtifactRecord {
    const frozen = deepFreeze(record);
    this.put(id, mark, frozen, bytes);
    return frozen;
  }
}

/** The ids a listing query found: a name looked up again costs neither the query nor a read of the table. Keys come from clients: bounded by count. */
export class ListingCache extends MarkedCache<readonly string[]> {
  constructor(maxEntries: number) {
    super({ maxEntries });
  }
}
