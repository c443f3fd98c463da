import type { ArtifactRecord, ArtifactType } from '../domain/artifact';
import type { RequiredLiterals } from '../domain/search/required-literals';

export interface ArtifactFilter {
  /** Exact name; absent means every name. */
  readonly name?: string;
  /** Absent or empty means every type. */
  readonly types?: readonly ArtifactType[];
  /** Exact canonical source (`ArtifactRecord.sourceKey`): finds the artifact a source was registered as. */
  readonly sourceKey?: string;
}

/** The searchable part of a record, read in bulk by regular-expression search. */
export interface SearchableText {
  readonly id: string;
  readonly name: string;
  readonly type: ArtifactType;
  readonly cardText: string;
}

/** An index over names and card texts that narrows a regular-expression search before RE2 confirms. */
export interface TextIndex {
  /**
   * Ids after `after`, ascending, at most `limit`, of records whose name or card text contains every
   * literal of at least one branch (case-insensitively): a superset of the records that can match.
   */
  candidates(literals: RequiredLiterals, after: string | undefined, limit: number): Promise<string[]>;
  /** The searchable texts of these records, ascending by id; records deleted meanwhile are left out. */
  texts(ids: readonly string[]): Promise<SearchableText[]>;
}

/**
 * Artifact records: metadata, source, package manifest, card. Ids sort by creation time, and every
 * listing is ordered by id so callers can page with the last id they saw.
 */
export interface ArtifactRepository {
  get(id: string): Promise<ArtifactRecord | undefined>;
  /** Stores a new record; fails with ARTIFACT.CONFLICT when the id exists. */
  create(record: ArtifactRecord): Promise<void>;
  /**
   * Replaces a record when the stored revision equals `expectedRevision`; otherwise fails with
   * ARTIFACT.CONFLICT so concurrent writers never overwrite each other unseen.
   */
  update(record: ArtifactRecord, expectedRevision: number): Promise<void>;
  /** Returns whether a record was removed. */
  delete(id: string): Promise<boolean>;
  /**
   * Up to `limit` records matching `filter` with ids greater than `after`, ascending by id. Listed
   * records may leave out `assessment` (a model's evidence, often tens of kilobytes): pages stay
   * cheap, and `get` returns the whole record.
   */
  list(filter: ArtifactFilter, after: string | undefined, limit: number): Promise<ArtifactRecord[]>;
  /** Up to `limit` searchable texts with ids greater than `after`, ascending by id. */
  scanText(after: string | undefined, limit: number): Promise<SearchableText[]>;
  /** Present where the store keeps a text index; search falls back to `scanText` without one. */
  readonly textIndex?: TextIndex;
  /** Whether any record still refers to this blob. */
  isBlobReferenced(sha256: string): Promise<boolean>;
  count(): Promise<number>;
  clear(): Promise<void>;
}
