import { blobsOf, metadataOf, type ArtifactRecord, type ArtifactType } from '../domain/artifact';
import { invalidInput } from '../domain/errors';
import type { User } from '../domain/user';
import { parseVersion } from '../domain/version';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import type { AuditLog } from '../ports/audit-log.port';
import type { Clock } from '../ports/system.port';
import { loadArtifact, requireOwnerOrAdmin, requirePermission } from './access';
import { auditOrUndo } from './audited-change';
import { evidenceInputOf } from './assessment-input';
import { contentOf, type PackageIntake } from './package-intake';
import type { RatingService } from './rating-service';

export interface ReplacePackageInput {
  readonly actor: User;
  readonly type: ArtifactType;
  readonly id: string;
  /** Must equal the stored name: the contract identifies the artifact by both. */
  readonly name?: string;
  readonly zipPath: string;
  readonly filename?: string;
  readonly version?: string;
}

/**
 * Replaces an artifact's content with a new zip. The new package is fully stored before the record
 * switches to it in one conditional write; the old content is released only afterwards.
 */
export class ReplacePackage {
  constructor(
    private readonly intake: PackageIntake,
    private readonly repository: ArtifactRepository,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly ratings: RatingService,
  ) {}

  async execute(input: ReplacePackageInput): Promise<ArtifactRecord> {
    const { record, current } = await this.prepare(input, (next, stored) => this.repository.update(next, stored.revision));
    await auditOrUndo(this.audit, { user: input.actor, date: record.updatedAt, artifact: metadataOf(record), action: 'UPDATE' }, async () => {
      // A newer revision, not the old number: a writer holding revision `current.revision` must not win.
      await this.repository.update({ ...current, revision: record.revision + 1 }, record.revision);
      await this.intake.releaseUnused(blobsOf(record));
    });
    await this.intake.releaseUnused(blobsOf(current));
    return record;
  }

  /**
   * Stores, scans and rates the new package and hands the next revision of the record to `persist`
   * (the repository, or a transaction that stages it), with the revision it replaces. The new
   * content stays leased until `persist` has settled; the old content is the caller's to release.
   */
  async prepare(
    input: ReplacePackageInput,
    persist: (next: ArtifactRecord, current: ArtifactRecord) => Promise<void>,
  ): Promise<{ record: ArtifactRecord; current: ArtifactRecord }> {
    requirePermission(input.actor, 'upload');
    const current = await loadArtifact(this.repository, input.type, input.id);
    requireOwnerOrAdmin(input.actor, current, 'replace');
    if (input.name !== undefined && input.name !== current.name) {
      throw invalidInput(`name "${input.name}" does not match artifact ${current.id}, which is named "${current.name}"`);
    }
    const version = input.version === undefined ? current.version : parseVersion(input.version);
    const accepted = await this.intake.accept(input.zipPath);
    let saved = false;
    const now = this.clock.now().toISOString();
    const { card: _oldCard, config: _oldConfig, adapterConfig: _oldAdapter, assessment: _oldAssessment, trust: _oldTrust, version: _oldVersion, origin: _oldOrigin, versions: _oldVersions, sourceKey: _oldSourceKey, reference: _oldReference, ...kept } = current;
    let next: ArtifactRecord = {
      ...kept,
      ...(version === undefined ? {} : { version }),
      source: input.filename === undefined ? { kind: 'upload' } : { kind: 'upload', filename: input.filename },
      ...contentOf(accepted),
      updatedAt: now,
      revision: current.revision + 1,
    };
    try {
      if (next.type === 'model') {
        next = { ...next, ...(await this.ratings.assess(next, evidenceInputOf(next, accepted), { gate: false })) };
      }
      await persist(next, current);
      saved = true;
    } finally {
      await this.intake.settle(accepted, saved);
    }
    return { record: next, current };
  }
}
