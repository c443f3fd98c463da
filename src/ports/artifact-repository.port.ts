import type { ArtifactRecord, ArtifactType } from '../domain/artifact';
import type { RequiredLiterals } from '../domain/search/required-literals';

export interface ReadOptions {
  readonly assessment?: boolean;
}

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

/** One group of record changes that must land together: a transaction's commit. */
export interface GroupChange {
  /** Unique per commit; a store may use it to finish or undo a commit a crash interrupted. */
  readonly id: string;
  /** New records; the ids must not exist. */
  readonly creates: readonly ArtifactRecord[];
  /** Replacements, each applied only when the stored revision equals `expectedRevision`. */
  readonly updates: readonly { readonly record: ArtifactRecord; readonly expectedRevision: number }[];
  /** Removals, each applied only when the stored revision equals `expectedRevision`. */
  readonly deletes: readonly { readonly id: string; readonly expectedRevision: number }[];
}

/**
 * Artifact records: metadata, source, package manifest, card. Ids sort by creation time, and every
 * listing is ordered by id so callers can page with the last id they saw.
 */
export interface ArtifactRepository {
  /**
   * The whole record; with `assessment: false` a store may leave out the assessment (a model's
   * evidence, often tens of kilobytes) so hot reads that do not need it skip reading and parsing it.
   */
  get(id: string, options?: ReadOptions): Promise<ArtifactRecord | undefined>;
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
   * Applies every change of the group or none of them. Fails with ARTIFACT.CONFLICT (details name the
   * record) when a created id exists or a revision differs, and with ARTIFACT.NOT_FOUND when an
   * updated or deleted record is missing; then nothing changed. Readers never see part of a group.
   * A crash part-way leaves, once `recoverGroups` ran, the whole group or nothing.
   */
  commitGroup(change: GroupChange): Promise<void>;
  /** Finishes or undoes group commits a crash interrupted; run before serving. Returns how many. */
  recoverGroups(): Promise<number>;
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
  /**
   * A value that changes whenever any record is created, changed or deleted, by this process or
   * another sharing the store; undefined where the store cannot tell that cheaply (S3). Results
   * computed from several records (a rating's parents, a lineage) stay valid while it is unchanged.
   */
  changeMark(): Promise<string | undefined>;
  clear(): Promise<void>;
}
