import type { ArtifactRecord } from '../../../domain/artifact';
import { DomainError, ErrorCode } from '../../../domain/errors';
import type { GroupChange } from '../../../ports/artifact-repository.port';
import { checkDistinct } from '../group-change';
import type { S3Bucket, WriteCondition, WriteOutcome } from './s3-bucket';
import { groupKey, groupNonce, idOfGroupKey, newNonce, Prefix } from './s3-layout';

/**
 * What a group leaves in a record it changed until the group is finished or undone. A reader shows
 * the record's body only once the group is committed; until then it shows what was there before:
 * `previous` for an update, nothing for a create, the body itself for a delete.
 */
export interface GroupTag extends GroupRef {
  readonly previous?: ArtifactRecord;
  /**
   * An update's markers for directories only `previous` had, listed before the tagged write: they
   * go when the group is finished, and markers later writers add there are never among them.
   */
  readonly obsolete?: readonly string[];
  readonly deletes?: true;
}

/**
 * A group's id and this commit's random attempt: a group id submitted again after its first commit
 * was finished or undone is another group, and tags of the first can never pass for the second.
 */
export interface GroupRef {
  readonly id: string;
  readonly attempt: string;
}

const sameGroup = (tag: GroupRef | undefined, group: GroupRef): boolean => tag?.id === group.id && tag.attempt === group.attempt;

/** `aborted` is written only by recovery, so a committer that comes back late cannot commit. */
export type GroupStatus = 'pending' | 'committed' | 'aborted';

/** The group object: written before the first record, its status rewritten at the commit point. */
export interface GroupIntent extends GroupChange, GroupRef {
  readonly status: GroupStatus;
}

/** A stored record with the tag a group left on it and the ETag guarding it. */
export interface StoredRecord {
  readonly etag: string;
  readonly body: ArtifactRecord;
  readonly tag?: GroupTag;
}

/** The record operations the protocol needs; S3ArtifactRepository provides them. */
export interface GroupRecords {
  stored(id: string): Promise<StoredRecord | undefined>;
  /** What a plain writer would replace; fails with ARTIFACT.CONFLICT while another group holds it. */
  current(id: string): Promise<StoredRecord & { readonly visible: ArtifactRecord } | undefined>;
  write(body: ArtifactRecord, tag: GroupTag | undefined, condition: WriteCondition): Promise<WriteOutcome>;
  remove(id: string, etag: string): Promise<'deleted' | 'precondition' | 'missing'>;
  /** Adds markers under `nonce` for the directories of `record` that `before` does not have. */
  addMarkers(record: ArtifactRecord, before: ArtifactRecord | undefined, nonce: string): Promise<void>;
  dropMarkers(record: ArtifactRecord, nonce: string): Promise<void>;
  /** Every marker key of `record`'s directories that `kept` does not share, whoever wrote it. */
  markersOnlyOf(record: ArtifactRecord, kept: ArtifactRecord | undefined): Promise<string[]>;
}

type Step =
  | { readonly kind: 'create'; readonly record: ArtifactRecord }
  | { readonly kind: 'update'; readonly record: ArtifactRecord; readonly before: StoredRecord }
  | { readonly kind: 'delete'; readonly before: StoredRecord };

const ATTEMPTS = 3;

/**
 * Group commits on one bucket shared by many instances (the protocol is written down in
 * docs/group-commits.md): intent first, then tagged records, then the commit point, a conditional
 * rewrite of the intent; finishing untags the records and removes the intent. Every write is
 * conditional and every step idempotent, so the committer, a recovering instance, or both at once
 * reach the same end.
 */
export class S3GroupCommits {
  constructor(
    private readonly bucket: S3Bucket,
    private readonly records: GroupRecords,
  ) {}

  async commit(change: GroupChange): Promise<void> {
    checkDistinct(change);
    const steps = await this.plan(change);
    const key = groupKey(change.id);
    const pending: GroupIntent = { status: 'pending', attempt: newNonce(), ...change };
    const opened = await this.bucket.putText(key, JSON.stringify(pending), { ifNoneMatch: '*' });
    if (!opened.ok) throw new DomainError(ErrorCode.ArtifactConflict, `group ${change.id} was submitted already`, { group_id: change.id });
    try {
      for (const step of steps) await this.apply(pending, step);
    } catch (error) {
      await this.undo(pending).catch(() => undefined);
      throw error;
    }
    await this.commitPoint(pending, opened.etag);
    // Committed: readers see the group whole already. Whatever finishing leaves, recovery completes.
    await this.finish(pending).catch(() => undefined);
  }

  /**
   * Settles groups whose intent is older than `graceMs` (younger ones may still be in the hands of
   * a live committer): finishes committed ones, undoes the rest. Returns how many it settled.
   */
  async recover(now: number, graceMs: number): Promise<number> {
    let settled = 0;
    for await (const page of this.bucket.pages(Prefix.groups)) {
      for (const object of page.objects) {
        if (now - object.lastModified.getTime() < graceMs) continue;
        if (await this.settle(idOfGroupKey(object.key))) settled += 1;
      }
    }
    return settled;
  }

  /**
   * Settles one group if it is older than `graceMs`: a writer that finds a record held by a group
   * whose committer died need not wait for the next start-up. Returns whether it did.
   */
  async settleIfStale(group: GroupRef, now: number, graceMs: number): Promise<boolean> {
    const groupId = group.id;
    const key = groupKey(groupId);
    const found = (await this.bucket.list(key, undefined, 1)).objects.find((object) => object.key === key);
    if (found === undefined || now - found.lastModified.getTime() < graceMs) return false;
    await this.settle(groupId);
    return true;
  }

  /** Whether readers may see the group's changes; undefined once it is gone (finished or undone). */
  async status(group: GroupRef): Promise<GroupStatus | undefined> {
    const stored = await this.bucket.getText(groupKey(group.id));
    const intent = typeof stored === 'object' ? (JSON.parse(stored.text) as GroupIntent) : undefined;
    return intent !== undefined && sameGroup(intent, group) ? intent.status : undefined;
  }

  /** Ids a group in flight creates or deletes: the records `count` must check before counting them. */
  async inFlight(): Promise<string[]> {
    const ids: string[] = [];
    for await (const page of this.bucket.pages(Prefix.groups)) {
      for (const object of page.objects) {
        const stored = await this.bucket.getText(object.key);
        if (typeof stored !== 'object') continue;
        const intent = JSON.parse(stored.text) as GroupIntent;
        ids.push(...intent.creates.map((record) => record.id), ...intent.deletes.map((entry) => entry.id));
      }
    }
    return ids;
  }

  /** Every condition checked before the intent is written, so a refused group costs no write. */
  private async plan(change: GroupChange): Promise<Step[]> {
    const creates = await Promise.all(change.creates.map(async (record): Promise<Step> => {
      if ((await this.records.stored(record.id)) !== undefined) throw conflict(record.id, `artifact ${record.id} exists already`);
      return { kind: 'create', record };
    }));
    const updates = await Promise.all(change.updates.map(async ({ record, expectedRevision }): Promise<Step> =>
      ({ kind: 'update', record, before: await this.expected(record.id, expectedRevision) })));
    const deletes = await Promise.all(change.deletes.map(async ({ id, expectedRevision }): Promise<Step> =>
      ({ kind: 'delete', before: await this.expected(id, expectedRevision) })));
    return [...creates, ...updates, ...deletes];
  }

  private async expected(id: string, revision: number): Promise<StoredRecord> {
    const current = await this.records.current(id);
    if (current === undefined) throw new DomainError(ErrorCode.ArtifactNotFound, `artifact ${id} does not exist`, { artifact_id: id });
    if (current.visible.revision !== revision) throw conflict(id, `artifact ${id} was changed by someone else; retry`);
    return { etag: current.etag, body: current.visible };
  }

  private async apply(group: GroupIntent, step: Step): Promise<void> {
    const nonce = groupNonce(group.id, group.attempt);
    const ref: GroupRef = { id: group.id, attempt: group.attempt };
    if (step.kind === 'create') {
      await this.records.addMarkers(step.record, undefined, nonce);
      const outcome = await this.tagged(step.record, ref, { ifNoneMatch: '*' });
      if (!outcome.ok) throw conflict(step.record.id, `artifact ${step.record.id} exists already`);
      return;
    }
    const id = step.before.body.id;
    const obsolete = step.kind === 'update' ? await this.records.markersOnlyOf(step.before.body, step.record) : [];
    if (step.kind === 'update') await this.records.addMarkers(step.record, step.before.body, nonce);
    const outcome = step.kind === 'update'
      ? await this.tagged(step.record, { ...ref, previous: step.before.body, obsolete }, { ifMatch: step.before.etag })
      : await this.tagged(step.before.body, { ...ref, deletes: true }, { ifMatch: step.before.etag });
    if (!outcome.ok && outcome.reason === 'missing') throw new DomainError(ErrorCode.ArtifactNotFound, `artifact ${id} does not exist`, { artifact_id: id });
    if (!outcome.ok) throw conflict(id, `artifact ${id} was changed by someone else; retry`);
  }

  /** A tagged write that counts as done when the record already carries this group's tag: an earlier answer was lost. */
  private async tagged(body: ArtifactRecord, tag: GroupTag, condition: WriteCondition): Promise<WriteOutcome> {
    const landed = async (): Promise<WriteOutcome | undefined> => {
      const stored = await this.records.stored(body.id);
      return stored !== undefined && sameGroup(stored.tag, tag) ? { ok: true, etag: stored.etag } : undefined;
    };
    let outcome: WriteOutcome;
    try {
      outcome = await this.records.write(body, tag, condition);
    } catch (error) {
      const found = await landed().catch(() => undefined);
      if (found !== undefined) return found;
      throw error;
    }
    return outcome.ok ? outcome : ((await landed()) ?? outcome);
  }

  /** The one write that decides: pending becomes committed only if nobody touched the intent since. */
  private async commitPoint(pending: GroupIntent, etag: string): Promise<void> {
    const key = groupKey(pending.id);
    const committed = JSON.stringify({ ...pending, status: 'committed' });
    let outcome: WriteOutcome;
    try {
      outcome = await this.bucket.putText(key, committed, { ifMatch: etag });
    } catch (error) {
      if ((await this.status(pending).catch(() => undefined)) === 'committed') return;
      // Whether it landed is unknown: recovery will settle the group one way or the other.
      throw error;
    }
    if (outcome.ok || (await this.status(pending)) === 'committed') return;
    // Recovery judged the group abandoned and is undoing it.
    await this.undo(pending).catch(() => undefined);
    throw new DomainError(ErrorCode.ArtifactConflict, `group ${pending.id} took too long and was undone; retry`, { group_id: pending.id });
  }

  private async settle(groupId: string): Promise<boolean> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const stored = await this.bucket.getText(groupKey(groupId));
      if (typeof stored !== 'object') return false;
      const intent = JSON.parse(stored.text) as GroupIntent;
      if (intent.status === 'committed') {
        await this.finish(intent);
        return true;
      }
      if (intent.status === 'aborted') {
        await this.undo(intent);
        return true;
      }
      // Aborting first, conditionally: a committer still alive can then no longer commit.
      await this.bucket.putText(groupKey(groupId), JSON.stringify({ ...intent, status: 'aborted' }), { ifMatch: stored.etag });
    }
    return false;
  }

  /**
   * Rolls forward: records lose the tag (deleted ones go), then the intent goes. Markers go while
   * the record still carries the tag, so a crash in between leaves the tag for recovery to find.
   */
  private async finish(intent: GroupIntent): Promise<void> {
    const ids = [...intent.creates.map((record) => record.id), ...intent.updates.map(({ record }) => record.id)];
    for (const id of ids) {
      await this.untagged(intent, id, async (stored) => {
        await this.bucket.deleteKeys(stored.tag?.obsolete ?? []);
        return (await this.records.write(stored.body, undefined, { ifMatch: stored.etag })).ok;
      });
    }
    for (const { id } of intent.deletes) {
      await this.untagged(intent, id, async (stored) => {
        // Committed, the record is gone for readers and no writer adds markers for it any more.
        await this.bucket.deleteKeys(await this.records.markersOnlyOf(stored.body, undefined));
        return (await this.records.remove(id, stored.etag)) !== 'precondition';
      });
    }
    await this.bucket.delete(groupKey(intent.id));
  }

  /** Rolls back: each record is put back as it was before, the group's markers go, then the intent. */
  private async undo(intent: GroupIntent): Promise<void> {
    const nonce = groupNonce(intent.id, intent.attempt);
    for (const record of intent.creates) {
      await this.untagged(intent, record.id, async (stored) => (await this.records.remove(record.id, stored.etag)) !== 'precondition');
      await this.records.dropMarkers(record, nonce);
    }
    for (const { record } of intent.updates) {
      await this.untagged(intent, record.id, async (stored) =>
        stored.tag?.previous === undefined || (await this.records.write(stored.tag.previous, undefined, { ifMatch: stored.etag })).ok);
      await this.records.dropMarkers(record, nonce);
    }
    for (const { id } of intent.deletes) {
      await this.untagged(intent, id, async (stored) => (await this.records.write(stored.body, undefined, { ifMatch: stored.etag })).ok);
    }
    await this.bucket.delete(groupKey(intent.id));
  }

  /** Runs `change` on the record while it still carries this group's tag, rereading when it lost a race. */
  private async untagged(group: GroupRef, id: string, change: (stored: StoredRecord) => Promise<boolean>): Promise<void> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const stored = await this.records.stored(id);
      if (stored === undefined || !sameGroup(stored.tag, group)) return;
      if (await change(stored)) return;
    }
    throw new DomainError(ErrorCode.StorageUnavailable, `storage is unreachable: artifact ${id} kept changing while group ${group.id} was settled`);
  }
}

const conflict = (id: string, message: string): DomainError => new DomainError(ErrorCode.ArtifactConflict, message, { artifact_id: id });

