import { blobsOf, metadataOf, parseArtifactName, type ArtifactRecord, type ArtifactType } from '../domain/artifact';
import { DomainError, ErrorCode, invalidInput } from '../domain/errors';
import { parseSourceUrl, sourceKeyOf, type SourceRef } from '../domain/source-url';
import type { User } from '../domain/user';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import type { AuditLog } from '../ports/audit-log.port';
import type { Clock, IdGenerator } from '../ports/system.port';
import { loadArtifact, requireOwnerOrAdmin, requirePermission } from './access';
import { auditOrUndo } from './audited-change';
import { withConfusionWarning, type ConfusionCheck } from './content-security.use-cases';
import { contentOf, type PackageIntake } from './package-intake';
import { evidenceInputOf } from './assessment-input';
import type { RatingService } from './rating-service';
import type { IngestedSource, SourceIngest } from './source-ingest';

/**
 * `flag`: registration records the trust bar's verdict and never refuses for a score; `enforce`:
 * registering a public Hugging Face model behaves like the vetting path.
 */
export type RegistrationGate = 'flag' | 'enforce';

export interface RegisterFromUrlInput {
  readonly actor: User;
  readonly type: ArtifactType;
  readonly url: string;
  /** The name to register under instead of the one the URL gives. */
  readonly name?: string;
  /** The vetting path: a public model below the trust bar is refused and nothing is stored. */
  readonly vetting?: boolean;
  /** Re-ingest into this existing artifact instead of creating one; the name must match. */
  readonly replacing?: { readonly id: string; readonly name: string };
}

/**
 * Registers (or re-ingests) an artifact from a public URL. The URL is checked against the source
 * policy, and against the sources already registered, before any outbound request; the record is
 * written only after all content is stored, in one conditional write, so a failure at any step
 * leaves no record and no orphan content.
 */
export class RegisterFromUrl {
  constructor(
    private readonly ingest: SourceIngest,
    private readonly intake: PackageIntake,
    private readonly repository: ArtifactRepository,
    private readonly audit: AuditLog,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly ratings: RatingService,
    private readonly gate: RegistrationGate = 'flag',
    private readonly confusion?: ConfusionCheck,
  ) {}

  async execute(input: RegisterFromUrlInput): Promise<ArtifactRecord> {
    const { record, current } = await this.prepare(input, (prepared, stored) => this.save(prepared, stored));
    const entry = { user: input.actor, date: record.updatedAt, artifact: metadataOf(record), action: current === undefined ? ('CREATE' as const) : ('UPDATE' as const), detail: input.url.trim() };
    await auditOrUndo(this.audit, entry, async () => {
      if (current === undefined) await this.repository.delete(record.id);
      // A newer revision, not the old number: a writer holding revision `current.revision` must not win.
      else await this.repository.update({ ...current, revision: record.revision + 1 }, record.revision);
      await this.intake.releaseUnused(blobsOf(record));
    });
    if (current !== undefined) await this.intake.releaseUnused(blobsOf(current));
    return record;
  }

  /**
   * Mirrors, scans and rates the source and hands the record to `persist` (the repository, or a
   * transaction that stages it), with the record it replaces when re-ingesting. Duplicates and the
   * trust bar are checked exactly as for a direct registration. The mirrored content stays leased
   * until `persist` has settled; the replaced record's content is the caller's to release.
   */
  async prepare(
    input: RegisterFromUrlInput,
    persist: (record: ArtifactRecord, current: ArtifactRecord | undefined) => Promise<void>,
  ): Promise<{ record: ArtifactRecord; current: ArtifactRecord | undefined }> {
    requirePermission(input.actor, 'upload');
    const ref = parseSourceUrl(input.url, input.type);
    const name = input.name === undefined ? undefined : parseArtifactName(input.name);
    const sourceKey = sourceKeyOf(input.type, ref);
    const current = input.replacing === undefined ? undefined : await this.current(input.actor, input.type, input.replacing);
    await this.refuseDuplicate(sourceKey, current?.id);
    const fetched = await this.ingest.fetch(ref, input.url.trim());
    let saved = false;
    let record: ArtifactRecord;
    try {
      record = { ...this.recordOf(input, fetched, current, name), sourceKey };
      if (record.type === 'model' && fetched.accepted !== undefined) {
        // Public models must earn their place where the gate applies (it skips, and names, metrics whose evidence is missing).
        const gate = this.gated(ref, input.vetting === true);
        const evidence = evidenceInputOf(record, fetched.accepted, fetched.sourceSeconds);
        record = { ...record, ...(await this.ratings.assess(record, evidence, { gate })) };
      }
      if (current === undefined) record = await withConfusionWarning(record, this.confusion);
      // Checked again just before writing: a registration of the same source may have finished meanwhile.
      await this.refuseDuplicate(sourceKey, current?.id);
      await persist(record, current);
      saved = true;
    } finally {
      if (fetched.accepted !== undefined) await this.intake.settle(fetched.accepted, saved);
    }
    return { record, current };
  }

  /** Whether a model registered from this record's source must meet the trust bar (enforced registration). */
  enforcesBarOn(record: ArtifactRecord): boolean {
    return this.gate === 'enforce' && record.type === 'model' && record.origin?.hub === 'huggingface';
  }

  /** ARTIFACT.CONFLICT naming the artifact registered from this source, unless it is `replacingId`. */
  async refuseDuplicate(sourceKey: string, replacingId: string | undefined): Promise<void> {
    const [existing] = (await this.repository.list({ sourceKey }, undefined, 2)).filter((record) => record.id !== replacingId);
    if (existing === undefined) return;
    throw new DomainError(
      ErrorCode.ArtifactConflict,
      `${sourceKey.slice(sourceKey.indexOf(' ') + 1)} is registered already as ${existing.type} ${existing.id} ("${existing.name}"); PUT /artifacts/${existing.type}/${existing.id} re-ingests it`,
      { id: existing.id, name: existing.name, type: existing.type },
    );
  }

  private async save(record: ArtifactRecord, current: ArtifactRecord | undefined): Promise<void> {
    const write = current === undefined ? this.repository.create(record) : this.repository.update(record, current.revision);
    await write.catch(async (error: unknown) => {
      // A store that enforces one artifact per source (local) may still refuse a race: name the winner.
      if (error instanceof DomainError && error.code === ErrorCode.ArtifactConflict && record.sourceKey !== undefined) {
        await this.refuseDuplicate(record.sourceKey, current?.id);
      }
      throw error;
    });
  }

  /** Public Hugging Face models meet the bar or are refused on the vetting path, or everywhere when enforced. */
  private gated(ref: SourceRef, vetting: boolean): boolean {
    return ref.hub === 'huggingface' && (vetting || this.gate === 'enforce');
  }

  private async current(actor: User, type: ArtifactType, replacing: { id: string; name: string }): Promise<ArtifactRecord> {
    const current = await loadArtifact(this.repository, type, replacing.id);
    requireOwnerOrAdmin(actor, current, 'replace');
    if (current.name !== replacing.name) {
      throw invalidInput(`name "${replacing.name}" does not match artifact ${current.id}, which is named "${current.name}"`);
    }
    return current;
  }

  private recordOf(input: RegisterFromUrlInput, fetched: IngestedSource, current: ArtifactRecord | undefined, name: string | undefined): ArtifactRecord {
    const now = this.clock.now().toISOString();
    const version = fetched.versions[0];
    return {
      id: current?.id ?? this.ids.next(),
      type: input.type,
      name: current?.name ?? name ?? fetched.name,
      ...(version === undefined ? {} : { version, versions: fetched.versions }),
      source: fetched.source,
      origin: fetched.origin,
      ...(fetched.accepted === undefined ? {} : contentOf(fetched.accepted)),
      ...(fetched.reference === undefined ? {} : { reference: fetched.reference }),
      createdAt: current?.createdAt ?? now,
      createdBy: current?.createdBy ?? input.actor.name,
      updatedAt: now,
      revision: (current?.revision ?? 0) + 1,
    };
  }
}
