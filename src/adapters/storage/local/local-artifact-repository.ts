import type Database from 'better-sqlite3';
import { blobsOf, type ArtifactRecord } from '../../../domain/artifact';
import { DomainError, ErrorCode } from '../../../domain/errors';
import type { ArtifactFilter, ArtifactRepository, GroupChange, ReadOptions, SearchableText, TextIndex } from '../../../ports/artifact-repository.port';
import { checkDistinct } from '../group-change';
import { ListingCache, RecordCache } from './record-cache';
import { TrigramTextIndex } from './trigram-text-index';
import { turnOf, type TurnTransaction } from './turn-transaction';

// Writes to artifacts by any repository of this process (several may share a data directory), so a
// change counter kept for the turn is never served after one.
let writesInProcess = 0;

interface Row {
  record: string;
  card_text: string;
}

interface FullRow extends Row {
  assessment: string | null;
}

/** Artifact records in SQLite: the full record as JSON beside the indexed columns queries need. */
export class LocalArtifactRepository implements ArtifactRepository {
  private readonly statements;
  private readonly listStatements = new Map<string, Database.Statement<(string | number)[], string>>();
  private readonly light = new RecordCache(RECORD_CACHE_BYTES);
  private readonly whole = new RecordCache(RECORD_CACHE_BYTES);
  private readonly listings = new ListingCache(LISTING_CACHE_ENTRIES);
  private readonly search: TrigramTextIndex;

  private readonly changes: Database.Statement<[], { n: number }>;
  private readonly turn: TurnTransaction;
  private counted: { readonly turn: number; readonly writes: number; readonly mark: number } | undefined;

  /**
   * `counters`: the connection the change counter is read through, by default `db`. The server
   * passes the connection every request writes its token use through: a read on another connection
   * after such a write must first revalidate that connection's page cache (a third of a small
   * read's time), while the writing connection's own view is current.
   */
  constructor(private readonly db: Database.Database, counters: Database.Database = db) {
    this.search = new TrigramTextIndex(db);
    this.changes = counters.prepare<[], { n: number }>('SELECT n FROM artifact_changes');
    this.turn = turnOf(counters);
    this.statements = {
      get: db.prepare<[string], FullRow>('SELECT record, card_text, assessment FROM artifacts WHERE id = ?'),
      getLight: db.prepare<[string], Row>('SELECT record, card_text FROM artifacts WHERE id = ?'),
      insert: db.prepare(
        'INSERT INTO artifacts (id, name, type, revision, card_text, record, assessment, source_key) VALUES (@id, @name, @type, @revision, @cardText, @record, @assessment, @sourceKey)',
      ),
      update: db.prepare(
        'UPDATE artifacts SET name = @name, type = @type, revision = @revision, card_text = @cardText, record = @record, assessment = @assessment, source_key = @sourceKey WHERE id = @id AND revision = @expected',
      ),
      exists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM artifacts WHERE id = ?'),
      revision: db.prepare<[string], { revision: number }>('SELECT revision FROM artifacts WHERE id = ?'),
      delete: db.prepare('DELETE FROM artifacts WHERE id = ?'),
      deleteRefs: db.prepare('DELETE FROM artifact_blobs WHERE artifact_id = ?'),
      insertRef: db.prepare('INSERT OR IGNORE INTO artifact_blobs (sha256, artifact_id) VALUES (?, ?)'),
      referenced: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM artifact_blobs WHERE sha256 = ? LIMIT 1'),
      scan: db.prepare<[string, number], SearchableText>(
        'SELECT id, name, type, card_text AS cardText FROM artifacts WHERE id > ? ORDER BY id LIMIT ?',
      ),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM artifacts'),
    };
  }

  async get(id: string, options: ReadOptions = {}): Promise<ArtifactRecord | undefined> {
    // Read before the row: a change landing in between leaves the entry marked stale.
    const mark = this.mark();
    if (options.assessment === false) {
      const cached = this.light.get(id, mark);
      if (cached !== undefined) return cached;
      const light = this.statements.getLight.get(id);
      return light === undefined ? undefined : this.light.keep(id, mark, fromRow(light), rowBytes(light));
    }
    const cached = this.whole.get(id, mark);
    if (cached !== undefined) return cached;
    const row = this.statements.get.get(id);
    if (row === undefined) return undefined;
    const record = fromRow(row);
    const whole = row.assessment === null ? record : { ...record, assessment: JSON.parse(row.assessment) as ArtifactRecord['assessment'] };
    return this.whole.keep(id, mark, whole, rowBytes(row) + (row.assessment?.length ?? 0));
  }

  /**
   * The change counter, read once per turn of the event loop that committed token uses on `counters`
   * (`TurnTransaction.committedTurn`) rather than once per read: each read of it was a read
   * transaction of its own, taking and releasing the log's locks. Every request reading after its
   * token use started before that commit, so a count read after it is current for them; a write
   * by any repository of this process drops it.
   */
  private mark(): number {
    const turn = this.turn.committedTurn;
    const counted = this.counted;
    if (turn !== undefined && counted?.turn === turn && counted.writes === writesInProcess) return counted.mark;
    const mark = this.changes.get()?.n ?? 0;
    this.counted = turn === undefined ? undefined : { turn, writes: writesInProcess, mark };
    return mark;
  }

  /** Every write to the artifacts goes through here, so counts kept for the turn are dropped. */
  private write<T>(change: () => T): T {
    try {
      return change();
    } finally {
      writesInProcess += 1;
    }
  }

  // IMMEDIATE: a transaction that reads before writing cannot take the write lock later while another
  // process sharing the data directory has written meanwhile (SQLITE_BUSY at once, whatever the busy timeout).
  async create(record: ArtifactRecord): Promise<void> {
    this.write(() => this.db.transaction(() => {
      if (this.statements.exists.get(record.id) !== undefined) {
        throw new DomainError(ErrorCode.ArtifactConflict, `artifact ${record.id} exists already`);
      }
      this.insertRow(record);
    }).immediate());
  }

  private insertRow(record: ArtifactRecord): void {
    sameSourceAsConflict(() => this.statements.insert.run(this.columns(record)), record);
    this.writeRefs(record);
    this.search.put(record.id, record.name, record.card?.text ?? '');
  }

  async update(record: ArtifactRecord, expectedRevision: number): Promise<void> {
    this.write(() => this.db.transaction(() => {
      sameSourceAsConflict(() => this.updateRow(record, expectedRevision), record);
      this.search.put(record.id, record.name, record.card?.text ?? '');
    }).immediate());
  }

  private updateRow(record: ArtifactRecord, expectedRevision: number): void {
    const result = this.statements.update.run({ ...this.columns(record), expected: expectedRevision });
    if (result.changes === 0) {
      if (this.statements.exists.get(record.id) === undefined) {
        throw new DomainError(ErrorCode.ArtifactNotFound, `artifact ${record.id} does not exist`);
      }
      throw new DomainError(ErrorCode.ArtifactConflict, `artifact ${record.id} was changed by someone else; retry`);
    }
    this.statements.deleteRefs.run(record.id);
    this.writeRefs(record);
  }

  /**
   * One SQLite transaction: every condition is checked before the first write, and the unique source
   * index, the blob references and the text index change with the records or not at all. Deletes go
   * first so a group may free a source and register it anew. The journal makes a crash roll it back.
   */
  async commitGroup(change: GroupChange): Promise<void> {
    checkDistinct(change);
    this.write(() => this.db.transaction(() => {
      this.checkGroup(change);
      for (const { id } of change.deletes) this.removeRow(id);
      for (const { record, expectedRevision } of change.updates) {
        sameSourceAsConflict(() => this.updateRow(record, expectedRevision), record);
        this.search.put(record.id, record.name, record.card?.text ?? '');
      }
      for (const record of change.creates) this.insertRow(record);
    }).immediate());
  }

  /** Nothing to finish: a group is one transaction, which the journal applies whole or not at all. */
  async recoverGroups(): Promise<number> {
    return 0;
  }

  private checkGroup(change: GroupChange): void {
    for (const record of change.creates) {
      if (this.statements.exists.get(record.id) !== undefined) throw groupConflict(record.id, `artifact ${record.id} exists already`);
    }
    const expected = [...change.updates.map(({ record, expectedRevision }) => ({ id: record.id, expectedRevision })), ...change.deletes];
    for (const { id, expectedRevision } of expected) {
      const stored = this.statements.revision.get(id);
      if (stored === undefined) throw new DomainError(ErrorCode.ArtifactNotFound, `artifact ${id} does not exist`, { artifact_id: id });
      if (stored.revision !== expectedRevision) throw groupConflict(id, `artifact ${id} was changed by someone else; retry`);
    }
  }

  async delete(id: string): Promise<boolean> {
    return this.write(() => this.db.transaction(() => this.removeRow(id))());
  }

  private removeRow(id: string): boolean {
    this.statements.deleteRefs.run(id);
    this.search.remove(id);
    return this.statements.delete.run(id).changes > 0;
  }

  async list(filter: ArtifactFilter, after: string | undefined, limit: number): Promise<ArtifactRecord[]> {
    const where: string[] = ['id > ?'];
    const params: (string | number)[] = [after ?? ''];
    if (filter.name !== undefined) {
      where.push('name = ?');
      params.push(filter.name);
    }
    if (filter.sourceKey !== undefined) {
      where.push('source_key = ?');
      params.push(filter.sourceKey);
    }
    if (filter.types !== undefined && filter.types.length > 0) {
      where.push(`type IN (${filter.types.map(() => '?').join(', ')})`);
      params.push(...filter.types);
    }
    // Ids from the index first, then each record from the cache or its row: a page of records read
    // a moment ago (a name looked up again) is not read and parsed again.
    const sql = `SELECT id FROM artifacts WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`;
    let statement = this.listStatements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare<(string | number)[], { id: string }>(sql).pluck() as unknown as Database.Statement<(string | number)[], string>;
      this.listStatements.set(sql, statement);
    }
    const mark = this.mark();
    const key = `${sql}\u0000${JSON.stringify(params)}\u0000${limit}`;
    const known = this.listings.get(key, mark);
    if (known !== undefined && known.every((id) => this.light.get(id, mark) !== undefined)) {
      return known.map((id) => this.light.get(id, mark) as ArtifactRecord);
    }
    return this.db.transaction(() => {
      const ids = statement.all(...params, limit);
      this.listings.put(key, mark, ids);
      const records: ArtifactRecord[] = [];
      for (const id of ids) {
        const cached = this.light.get(id, mark);
        if (cached !== undefined) {
          records.push(cached);
          continue;
        }
        const row = this.statements.getLight.get(id);
        if (row !== undefined) records.push(this.light.keep(id, mark, fromRow(row), rowBytes(row)));
      }
      return records;
    })();
  }

  async scanText(after: string | undefined, limit: number): Promise<SearchableText[]> {
    return this.statements.scan.all(after ?? '', limit);
  }

  get textIndex(): TextIndex {
    return this.search;
  }

  async isBlobReferenced(sha256: string): Promise<boolean> {
    return this.statements.referenced.get(sha256) !== undefined;
  }

  async count(): Promise<number> {
    return this.statements.count.get()?.n ?? 0;
  }

  // Kept by triggers inside every writing transaction, whichever connection or process writes.
  async changeMark(): Promise<string> {
    return String(this.mark());
  }

  async clear(): Promise<void> {
    this.write(() => this.db.transaction(() => {
      this.db.prepare('DELETE FROM artifact_blobs').run();
      this.db.prepare('DELETE FROM artifacts').run();
      this.search.clear();
    })());
  }

  private columns(record: ArtifactRecord): Record<string, string | number | null> {
    const { assessment, ...rest } = record;
    // The card text lives only in its own (searched) column; the record JSON keeps the card's metadata.
    const stored = rest.card === undefined ? rest : { ...rest, card: { ...rest.card, text: '' } };
    return {
      id: record.id,
      name: record.name,
      type: record.type,
      revision: record.revision,
      cardText: record.card?.text ?? '',
      record: JSON.stringify(stored),
      assessment: assessment === undefined ? null : JSON.stringify(assessment),
      sourceKey: record.sourceKey ?? null,
    };
  }

  private writeRefs(record: ArtifactRecord): void {
    for (const sha of blobsOf(record)) this.statements.insertRef.run(sha, record.id);
  }
}

/** The unique source index refuses a second artifact from one source: that is a conflict, not a crash. */
function sameSourceAsConflict(write: () => unknown, record: ArtifactRecord): void {
  try {
    write();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' && String((error as Error).message).includes('source_key')) {
      throw new DomainError(ErrorCode.ArtifactConflict, `another artifact was registered from ${record.sourceKey ?? 'the same source'} meanwhile`, { artifact_id: record.id });
    }
    throw error;
  }
}

const groupConflict = (id: string, message: string): DomainError => new DomainError(ErrorCode.ArtifactConflict, message, { artifact_id: id });

/** JSON kept per cache (records as read, and with their assessments): a few thousand typical records. */
const RECORD_CACHE_BYTES = 32 * 1024 * 1024;
const LISTING_CACHE_ENTRIES = 1_000;

const rowBytes = (row: Row): number => row.record.length + row.card_text.length;

function fromRow(row: Row): ArtifactRecord {
  const record = JSON.parse(row.record) as ArtifactRecord;
  // Records written before the card text moved to its column still carry it in the JSON.
  return record.card === undefined || record.card.text !== '' ? record : { ...record, card: { ...record.card, text: row.card_text } };
}
