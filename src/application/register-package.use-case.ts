import { blobsOf, metadataOf, parseArtifactName, type ArtifactRecord, type ArtifactType } from '../domain/artifact';
import { invalidInput } from '../domain/errors';
import { nameFromCard } from '../domain/model-card';
import type { User } from '../domain/user';
import { parseVersion } from '../domain/version';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import type { AuditLog } from '../ports/audit-log.port';
import type { Clock, IdGenerator } from '../ports/system.port';
import { requirePermission } from './access';
import { auditOrUndo } from './audited-change';
import { evidenceInputOf } from './assessment-input';
import { withConfusionWarning, type ConfusionCheck } from './content-security.use-cases';
import { contentOf, type PackageIntake } from './package-intake';
import type { RatingService } from './rating-service';

export interface RegisterPackageInput {
  readonly actor: User;
  readonly type: ArtifactType;
  /** A zip already staged on local disk by the caller. */
  readonly zipPath: string;
  readonly filename?: string;
  readonly name?: string;
  readonly version?: string;
}

/** Registers an uploaded zip as a new artifact. Internal uploads are trusted by their uploader: no gate. */
export class RegisterPackage {
  constructor(
    private readonly intake: PackageIntake,
    private readonly repository: ArtifactRepository,
    private readonly audit: AuditLog,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly ratings: RatingService,
    private readonly confusion?: ConfusionCheck,
  ) {}

  async execute(input: RegisterPackageInput): Promise<ArtifactRecord> {
    const record = await this.prepare(input, (prepared) => this.repository.create(prepared));
    await auditOrUndo(this.audit, { user: input.actor, date: record.createdAt, artifact: metadataOf(record), action: 'CREATE' }, async () => {
      await this.repository.delete(record.id);
      await this.intake.releaseUnused(blobsOf(record));
    });
    return record;
  }

  /**
   * Stores, scans and rates the package and hands the new record to `persist` (the repository, or a
   * transaction that stages it). The content stays leased until `persist` has settled, and is
   * released again when it fails.
   */
  async prepare(input: RegisterPackageInput, persist: (record: ArtifactRecord) => Promise<void>): Promise<ArtifactRecord> {
    requirePermission(input.actor, 'upload');
    const givenName = input.name === undefined ? undefined : parseArtifactName(input.name);
    const version = input.version === undefined ? undefined : parseVersion(input.version);
    const accepted = await this.intake.accept(input.zipPath);
    let saved = false;
    let record: ArtifactRecord;
    try {
      const name = givenName ?? nameOf(accepted.inspection.readme, accepted.inspection.cardMetadata);
      const now = this.clock.now().toISOString();
      record = {
        id: this.ids.next(),
        type: input.type,
        name,
        ...(version === undefined ? {} : { version }),
        source: input.filename === undefined ? { kind: 'upload' } : { kind: 'upload', filename: input.filename },
        ...contentOf(accepted),
        createdAt: now,
        createdBy: input.actor.name,
        updatedAt: now,
        revision: 1,
      };
      // Uploads are rated (their evidence kept) but not gated: the uploader vouches for them.
      if (record.type === 'model') {
        record = { ...record, ...(await this.ratings.assess(record, evidenceInputOf(record, accepted), { gate: false })) };
      }
      record = await withConfusionWarning(record, this.confusion);
      await persist(record);
      saved = true;
    } finally {
      await this.intake.settle(accepted, saved);
    }
    return record;
  }
}

function nameOf(readme: string | undefined, metadata: Record<string, unknown> | undefined): string {
  const name = nameFromCard(readme, metadata);
  if (name === undefined) {
    throw invalidInput('the package needs a name: pass ?name=… or include a README.md whose first heading names the model');
  }
  return parseArtifactName(name);
}
