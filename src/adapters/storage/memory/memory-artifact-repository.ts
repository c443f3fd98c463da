import { blobsOf, type ArtifactRecord } from '../../../domain/artifact';
import { DomainError, ErrorCode } from '../../../domain/errors';
import type { ArtifactFilter, ArtifactRepository, GroupChange, SearchableText } from '../../../ports/artifact-repository.port';
import { checkDistinct } from '../group-change';

const clone = <T>(value: T): T => structuredClone(value);

/** Records in a Map, copied in and out so callers can never mutate stored state. For tests. */
export class MemoryArtifactRepository implements ArtifactRepository {
  private readonly records = new Map<string, ArtifactRecord>();
  private changes = 0;

  /** The records, for a change: counted for `changeMark`. */
  private changed(): Map<string, ArtifactRecord> {
    this.changes += 1;
    return this.records;
  }

  async get(id: string): Promise<ArtifactRecord | undefined> {
    const record = this.records.get(id);
    return record === undefined ? undefined : clone(record);
  }

  async create(record: ArtifactRecord): Promise<void> {
    if (this.records.has(record.id)) throw new DomainError(ErrorCode.ArtifactConflict, `artifact ${record.id} exists already`);
    this.changed().set(record.id, clone(record));
  }

  async update(record: ArtifactRecord, expectedRevision: number): Promise<void> {
    const stored = this.records.get(record.id);
    if (stored === undefined) throw new DomainError(ErrorCode.ArtifactNotFound, `artifact ${record.id} does not exist`);
    if (stored.revision !== expectedRevision) {
      throw new DomainError(ErrorCode.ArtifactConflict, `artifact ${record.id} was changed by someone else; retry`);
    }
    this.changed().set(record.id, clone(record));
  }

  async delete(id: string): Promise<boolean> {
    return this.changed().delete(id);
  }

  async commitGroup(change: GroupChange): Promise<void> {
    checkDistinct(change);
    // Checked in full before anything is written: one synchronous pass cannot be interleaved or cut.
    for (const record of change.creates) {
      if (this.records.has(record.id)) throw conflict(record.id, `artifact ${record.id} exists already`);
    }
    for (const { id, expectedRevision } of [...change.updates.map((u) => ({ id: u.record.id, expectedRevision: u.expectedRevision })), ...change.deletes]) {
      const stored = this.records.get(id);
      if (stored === undefined) throw new DomainError(ErrorCode.ArtifactNotFound, `artifact ${id} does not exist`, { artifact_id: id });
      if (stored.revision !== expectedRevision) throw conflict(id, `artifact ${id} was changed by someone else; retry`);
    }
    change.creates.forEach((record) => this.changed().set(record.id, clone(record)));
    change.updates.forEach(({ record }) => this.changed().set(record.id, clone(record)));
    change.deletes.forEach(({ id }) => this.changed().delete(id));
  }

  async recoverGroups(): Promise<number> {
    return 0;
  }

  async list(filter: ArtifactFilter, after: string | undefined, limit: number): Promise<ArtifactRecord[]> {
    return this.ordered(after)
      .filter((record) => filter.name === undefined || record.name === filter.name)
      .filter((record) => filter.types === undefined || filter.types.length === 0 || filter.types.includes(record.type))
      .filter((record) => filter.sourceKey === undefined || record.sourceKey === filter.sourceKey)
      .slice(0, limit)
      .map(clone);
  }

  async scanText(after: string | undefined, limit: number): Promise<SearchableText[]> {
    return this.ordered(after)
      .slice(0, limit)
      .map(({ id, name, type, card }) => ({ id, name, type, cardText: card?.text ?? '' }));
  }

  async isBlobReferenced(sha256: string): Promise<boolean> {
    return [...this.records.values()].some((record) => blobsOf(record).includes(sha256));
  }

  async count(): Promise<number> {
    return this.records.size;
  }

  async changeMark(): Promise<string> {
    return String(this.changes);
  }

  async clear(): Promise<void> {
    this.changed().clear();
  }

  private ordered(after: string | undefined): ArtifactRecord[] {
    return [...this.records.values()]
      .filter((record) => after === undefined || record.id > after)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }
}

function conflict(id: string, message: string): DomainError {
  return new DomainError(ErrorCode.ArtifactConflict, message, { artifact_id: id });
}
