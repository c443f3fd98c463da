import { createHash } from 'node:crypto';
import { metadataOf, type ArtifactRecord } from '../domain/artifact';
import type { AuditEntry } from '../domain/audit';
import { DomainError, ErrorCode } from '../domain/errors';
import { parseHookSource } from '../domain/sensitivity';
import type { User } from '../domain/user';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import type { AuditLog } from '../ports/audit-log.port';
import type { HookRunner, HookVerdict } from '../ports/hook-runner.port';
import type { Clock } from '../ports/system.port';
import { loadArtifact, requirePermission } from './access';

/** Entries kept in a download history answer; the audit log keeps everything. */
export const DOWNLOAD_HISTORY_LIMIT = 1_000;

/** The uploader of a model, or an administrator: who may see and change its sensitivity. */
function requireOwner(actor: User, record: ArtifactRecord, what: string): void {
  if (!actor.isAdmin && actor.name !== record.createdBy) {
    throw new DomainError(ErrorCode.Forbidden, `only ${record.createdBy}, who registered ${record.name}, or an administrator may ${what}`);
  }
}

export interface SensitivityView {
  readonly sensitive: boolean;
  readonly hookSha256?: string;
  readonly setBy?: string;
  readonly setAt?: string;
  /** Only for the uploader and administrators. */
  readonly hookSource?: string;
}

/** Attaches, reads and removes a model's pre-download program. */
export class ManageSensitivity {
  constructor(
    private readonly repository: ArtifactRepository,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async set(input: { actor: User; id: string; hook: unknown }): Promise<SensitivityView> {
    requirePermission(input.actor, 'upload');
    const source = parseHookSource(input.hook);
    const record = await loadArtifact(this.repository, 'model', input.id);
    requireOwner(input.actor, record, 'make it sensitive');
    const now = this.clock.now().toISOString();
    const sensitivity = { hookSource: source, hookSha256: createHash('sha256').update(source).digest('hex'), setBy: input.actor.name, setAt: now };
    await this.save({ ...record, sensitivity }, record, input.actor, `pre-download program set (sha256 ${sensitivity.hookSha256})`);
    return viewOf({ ...record, sensitivity }, input.actor);
  }

  async get(input: { actor: User; id: string }): Promise<SensitivityView> {
    requirePermission(input.actor, 'search');
    return viewOf(await loadArtifact(this.repository, 'model', input.id), input.actor);
  }

  async remove(input: { actor: User; id: string }): Promise<SensitivityView> {
    requirePermission(input.actor, 'upload');
    const record = await loadArtifact(this.repository, 'model', input.id);
    requireOwner(input.actor, record, 'change its sensitivity');
    if (record.sensitivity === undefined) return viewOf(record, input.actor);
    const { sensitivity: _removed, ...rest } = record;
    await this.save(rest, record, input.actor, 'pre-download program removed');
    return viewOf(rest, input.actor);
  }

  async history(input: { actor: User; id: string }): Promise<AuditEntry[]> {
    const record = await loadArtifact(this.repository, 'model', input.id);
    requireOwner(input.actor, record, 'read its download history');
    const entries = await this.audit.forArtifact(record.id, DOWNLOAD_HISTORY_LIMIT * 4);
    return entries.filter((entry) => entry.action === 'DOWNLOAD').slice(-DOWNLOAD_HISTORY_LIMIT);
  }

  private async save(next: ArtifactRecord, current: ArtifactRecord, actor: User, detail: string): Promise<void> {
    const now = this.clock.now().toISOString();
    await this.repository.update({ ...next, updatedAt: now, revision: current.revision + 1 }, current.revision);
    await this.audit.append({ user: actor, date: now, artifact: metadataOf(current), action: 'UPDATE', detail });
  }
}

function viewOf(record: ArtifactRecord, actor: User): SensitivityView {
  const { sensitivity } = record;
  if (sensitivity === undefined) return { sensitive: false };
  const owner = actor.isAdmin || actor.name === record.createdBy;
  return { sensitive: true, hookSha256: sensitivity.hookSha256, setBy: sensitivity.setBy, setAt: sensitivity.setAt, ...(owner ? { hookSource: sensitivity.hookSource } : {}) };
}

/**
 * Runs a sensitive model's program before its bytes leave the registry, and records every attempt
 * with its outcome and the program's output. Anything but "allowed" stops the download.
 */
export class DownloadGuard {
  constructor(
    private readonly hooks: HookRunner,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /** Undefined for a model that is not sensitive; otherwise the verdict, already recorded when not allowed. */
  async check(actor: User, record: ArtifactRecord, part: string): Promise<HookVerdict | undefined> {
    // An external reference has no package here: nothing is handed out, so there is nothing to decide.
    if (record.sensitivity === undefined || record.package === undefined) return undefined;
    const verdict = await this.hooks.run({
      source: record.sensitivity.hookSource,
      args: [record.name, record.createdBy, actor.name],
      package: record.package.full,
    });
    if (verdict.outcome === 'allowed') return verdict;
    await this.record(actor, record, part, verdict);
    const details = { outcome: verdict.outcome, reason: verdict.reason, output: verdict.output };
    if (verdict.outcome === 'failed') throw new DomainError(ErrorCode.HookUnavailable, `the pre-download program of ${record.name} could not be run; the download is refused`, details);
    throw new DomainError(ErrorCode.DownloadRefused, `the pre-download program of ${record.name} refused the download: ${verdict.reason}`, details);
  }

  async record(actor: User, record: ArtifactRecord, part: string, verdict: HookVerdict | undefined): Promise<void> {
    await this.audit.append({
      user: actor,
      date: this.clock.now().toISOString(),
      artifact: metadataOf(record),
      action: 'DOWNLOAD',
      detail: part,
      ...(verdict === undefined ? {} : { outcome: verdict.outcome, hookOutput: verdict.output }),
    });
  }
}
