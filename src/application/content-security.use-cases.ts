import { metadataOf, type ArtifactRecord, type ArtifactType } from '../domain/artifact';
import { contentScan, type ContentScan } from '../domain/content-scan';
import { DomainError, ErrorCode } from '../domain/errors';
import { assessConfusion, CONFUSION_REPORT_THRESHOLD, findConfusion, nameResemblance, type ConfusionFinding, type ConfusionReport, type ConfusionSubject } from '../domain/package-confusion';
import type { PackageLimits } from '../domain/package-policy';
import type { User } from '../domain/user';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import type { AuditLog } from '../ports/audit-log.port';
import type { BlobStore } from '../ports/blob-store.port';
import type { PackageArchive } from '../ports/package-archive.port';
import type { Clock } from '../ports/system.port';
import { loadArtifact } from './access';

const PAGE = 100;
const MAX_DOWNLOADS_READ = 10_000;

const requireAdmin = (actor: User, what: string): void => {
  if (!actor.isAdmin) throw new DomainError(ErrorCode.Forbidden, `user "${actor.name}" is not an admin and may not ${what}`);
};

async function* everyRecord(repository: ArtifactRepository): AsyncGenerator<ArtifactRecord> {
  let after: string | undefined;
  for (;;) {
    const page = await repository.list({}, after, PAGE);
    yield* page;
    if (page.length < PAGE) return;
    after = page[page.length - 1]?.id;
  }
}

/**
 * Package-confusion signals over the registry: names, popularity (DOWNLOAD entries of the audit
 * log) and content. Used for the administrators' report and for the warning a new upload gets.
 */
export class ConfusionCheck {
  constructor(
    private readonly repository: ArtifactRepository,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /** GET /audit/package-confusion: every artifact that looks like an imitation, most suspicious first. */
  async report(actor: User): Promise<ConfusionFinding[]> {
    requireAdmin(actor, 'read the package-confusion report');
    const subjects: ConfusionSubject[] = [];
    for await (const record of everyRecord(this.repository)) subjects.push(await this.subjectOf(record, true));
    return findConfusion(subjects, this.clock.now());
  }

  /** The warning a record gets at intake when it resembles an artifact already registered. */
  async atIntake(record: ArtifactRecord): Promise<ConfusionReport | undefined> {
    const candidate = await this.subjectOf(record, false);
    const others: ConfusionSubject[] = [];
    // Names come from the light searchable index; only look-alikes are loaded whole, with their downloads.
    for await (const other of everyName(this.repository)) {
      if (other.id === record.id || !looksAlike(record, other.name)) continue;
      const full = await this.repository.get(other.id);
      if (full !== undefined) others.push(await this.subjectOf(full, true));
    }
    const report = assessConfusion(candidate, others, this.clock.now());
    return report.score >= CONFUSION_REPORT_THRESHOLD ? report : undefined;
  }

  private async subjectOf(record: ArtifactRecord, withDownloads: boolean): Promise<ConfusionSubject> {
    const entries = withDownloads ? await this.audit.forArtifact(record.id, MAX_DOWNLOADS_READ) : [];
    const downloads = entries.filter((entry) => entry.action === 'DOWNLOAD').map((entry) => ({ user: entry.user.name, date: entry.date }));
    const sourceDownloads = record.origin?.info.downloads;
    const modelType = record.config?.model_type;
    return {
      id: record.id,
      name: record.name,
      type: record.type,
      createdAt: record.createdAt,
      ...(record.origin === undefined ? {} : { repo: record.origin.repo }),
      ...(typeof sourceDownloads === 'number' ? { sourceDownloads } : {}),
      downloads,
      hasConfig: record.config !== undefined,
      ...(typeof modelType === 'string' ? { modelType } : {}),
      weightsBytes: (record.package?.files ?? []).filter((file) => file.part === 'weights').reduce((sum, file) => sum + file.size, 0),
    };
  }
}

const baseOf = (record: ArtifactRecord): string => (record.origin?.repo ?? record.name).split('/').pop() ?? record.name;
const baseOfName = (name: string): string => name.split('/').pop() ?? name;

// A record's base name may come from its source repository, so both it and the plain name are compared.
function looksAlike(record: ArtifactRecord, otherName: string): boolean {
  const other = baseOfName(otherName);
  return [baseOf(record), baseOfName(record.name)].some((mine) => mine.toLowerCase() === other.toLowerCase() || nameResemblance(mine, other) !== undefined);
}

async function* everyName(repository: ArtifactRepository): AsyncGenerator<{ id: string; name: string }> {
  let after: string | undefined;
  for (;;) {
    const page = await repository.scanText(after, PAGE * 10);
    yield* page;
    if (page.length < PAGE * 10) return;
    after = page[page.length - 1]?.id;
  }
}

/**
 * An administrator's re-scan: the stored package is read again under the current rules and the
 * verdicts replace the record's. A package now judged dangerous stays stored (for inspection) but
 * downloads refuse it.
 */
export class RescanArtifacts {
  constructor(
    private readonly repository: ArtifactRepository,
    private readonly blobs: BlobStore,
    private readonly archive: PackageArchive,
    private readonly limits: PackageLimits,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async one(actor: User, type: ArtifactType, id: string): Promise<ArtifactRecord> {
    requireAdmin(actor, 're-scan artifacts');
    return this.rescan(actor, await loadArtifact(this.repository, type, id));
  }

  /** Re-scans every artifact with no scan or one made under older rules; returns what was re-scanned. */
  async all(actor: User, options: { readonly force: boolean }): Promise<{ record: ArtifactRecord; scan: ContentScan }[]> {
    requireAdmin(actor, 're-scan artifacts');
    const stale: ArtifactRecord[] = [];
    for await (const record of everyRecord(this.repository)) {
      if (options.force || record.contentScan === undefined || record.contentScan.rules !== contentScan([], '').rules) stale.push(record);
    }
    const done: { record: ArtifactRecord; scan: ContentScan }[] = [];
    for (const record of stale) {
      const current = await this.repository.get(record.id);
      if (current === undefined) continue;
      const updated = await this.rescan(actor, current);
      if (updated.contentScan !== undefined) done.push({ record: updated, scan: updated.contentScan });
    }
    return done;
  }

  private async rescan(actor: User, record: ArtifactRecord): Promise<ArtifactRecord> {
    // An external reference has no stored content to scan.
    if (record.package === undefined) return record;
    const files = await this.archive.scanStream(await this.blobs.get(record.package.full.sha256), this.limits);
    const now = this.clock.now().toISOString();
    const next: ArtifactRecord = { ...record, contentScan: contentScan(files, now), revision: record.revision + 1 };
    await this.repository.update(next, record.revision);
    await this.audit.append({ user: actor, date: now, artifact: metadataOf(next), action: 'AUDIT', detail: `content re-scan: ${next.contentScan?.verdict ?? 'safe'}` });
    return next;
  }
}

/** The record with the intake's confusion warning attached, when its name imitates another's. */
export async function withConfusionWarning(record: ArtifactRecord, check: ConfusionCheck | undefined): Promise<ArtifactRecord> {
  const confusion = await check?.atIntake(record);
  return confusion === undefined ? record : { ...record, confusion };
}
