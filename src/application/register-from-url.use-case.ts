import { blobsOf, metadataOf, type ArtifactRecord, type ArtifactType } from '../domain/artifact';
import { invalidInput } from '../domain/errors';
import { parseSourceUrl } from '../domain/source-url';
import type { User } from '../domain/user';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import type { AuditLog } from '../ports/audit-log.port';
import type { Clock, IdGenerator } from '../ports/system.port';
import { loadArtifact, requireOwnerOrAdmin, requirePermission } from './access';
import { contentOf, type PackageIntake } from './package-intake';
import { evidenceInputOf } from './assessment-input';
import type { RatingService } from './rating-service';
import type { IngestedSource, SourceIngest } from './source-ingest';

export interface RegisterFromUrlInput {
  readonly actor: User;
  readonly type: ArtifactType;
  readonly url: string;
  /** Re-ingest into this existing artifact instead of creating one; the name must match. */
  readonly replacing?: { readonly id: string; readonly name: string };
}

/**
 * Registers (or re-ingests) an artifact from a public URL. The URL is checked against the source
 * policy before any outbound request; the record is written only after all content is stored, in
 * one conditional write, so a failure at any step leaves no record and no orphan content.
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
  ) {}

  async execute(input: RegisterFromUrlInput): Promise<ArtifactRecord> {
    requirePermission(input.actor, 'upload');
    const ref = parseSourceUrl(input.url, input.type);
    const current = input.replacing === undefined ? undefined : await this.current(input.actor, input.type, input.replacing);
    const fetched = await this.ingest.fetch(ref, input.url.trim());
    let saved = false;
    let record: ArtifactRecord;
    try {
      record = this.recordOf(input, fetched, current);
      if (record.type === 'model') {
        // Public models must earn their place: evidence is collected strictly and the gate applies.
        const gate = fetched.origin.hub === 'huggingface';
        record = { ...record, assessment: await this.ratings.assess(record, evidenceInputOf(record, fetched.accepted, fetched.sourceSeconds), { strict: gate, gate }) };
      }
      if (current === undefined) await this.repository.create(record);
      else await this.repository.update(record, current.revision);
      saved = true;
    } finally {
      await this.intake.settle(fetched.accepted, saved);
    }
    await this.audit.append({ user: input.actor, date: record.updatedAt, artifact: metadataOf(record), action: current === undefined ? 'CREATE' : 'UPDATE', detail: input.url.trim() });
    if (current !== undefined) await this.intake.releaseUnused(blobsOf(current));
    return record;
  }

  private async current(actor: User, type: ArtifactType, replacing: { id: string; name: string }): Promise<ArtifactRecord> {
    const current = await loadArtifact(this.repository, type, replacing.id);
    requireOwnerOrAdmin(actor, current, 'replace');
    if (current.name !== replacing.name) {
      throw invalidInput(`name "${replacing.name}" does not match artifact ${current.id}, which is named "${current.name}"`);
    }
    return current;
  }

  private recordOf(input: RegisterFromUrlInput, fetched: IngestedSource, current: ArtifactRecord | undefined): ArtifactRecord {
    const now = this.clock.now().toISOString();
    const { accepted } = fetched;
    const version = fetched.versions[0];
    return {
      id: current?.id ?? this.ids.next(),
      type: input.type,
      name: current?.name ?? fetched.name,
      ...(version === undefined ? {} : { version, versions: fetched.versions }),
      source: fetched.source,
      origin: fetched.origin,
      ...contentOf(accepted),
      createdAt: current?.createdAt ?? now,
      createdBy: current?.createdBy ?? input.actor.name,
      updatedAt: now,
      revision: (current?.revision ?? 0) + 1,
    };
  }
}
