import type { AuditEntry } from '../domain/audit';

/** Who did what to which artifact, and when; entries are appended, never edited. */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Appends every entry or none: the trail of a group of changes committed together. */
  appendAll(entries: readonly AuditEntry[]): Promise<void>;
  /** The most recent `limit` entries, oldest first. */
  forArtifact(artifactId: string, limit: number): Promise<AuditEntry[]>;
  clear(): Promise<void>;
}
