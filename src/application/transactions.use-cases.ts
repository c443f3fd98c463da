import { blobsOf, metadataOf, type ArtifactMetadata, type ArtifactRecord, type ArtifactType } from '../domain/artifact';
import type { AuditAction } from '../domain/audit';
import { DomainError, ErrorCode } from '../domain/errors';
import {
  MAX_OPEN_TRANSACTIONS_PER_USER, checkRoomFor, isExpired, itemFailure, stagedBlobs, type StagedItem, type Transaction,
} from '../domain/transaction';
import type { User } from '../domain/user';
import type { ArtifactRepository, GroupChange } from '../ports/artifact-repository.port';
import type { AuditLog } from '../ports/audit-log.port';
import type { Clock, IdGenerator, Logger } from '../ports/system.port';
import { loadArtifact, requireOwnerOrAdmin, requirePermission } from './access';
import type { PackageIntake } from './package-intake';
import type { RegisterFromUrl } from './register-from-url.use-case';
import type { RegisterPackage } from './register-package.use-case';
import type { ReplacePackage } from './replace-package.use-case';
import { TransactionLedger } from './transaction-ledger';
import type { WriteGate } from './write-gate';

/** What a stage request carries: exactly what registering or replacing outside a transaction takes. */
export type StagedContent =
  | { readonly kind: 'url'; readonly url: string; readonly name?: string }
  | { readonly kind: 'zip'; readonly zipPath: string; readonly filename?: string; readonly name?: string; readonly version?: string };

/** A committing transaction whose instance died is treated as open again once this long past its expiry. */
export const COMMIT_GRACE_MS = 10 * 60 * 1000;

export class OpenTransaction {
  constructor(
    private readonly ledger: TransactionLedger,
    private readonly sweeper: SweepTransactions,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  async execute(input: { actor: User }): Promise<Transaction> {
    requirePermission(input.actor, 'upload');
    await this.requireRoom(input.actor);
    const now = this.clock.now();
    const txn: Transaction = {
      id: this.ids.next(),
      status: 'open',
      createdBy: input.actor.name,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.ttlMs).toISOString(),
      items: [],
      revision: 1,
    };
    await this.ledger.store.create(txn);
    return txn;
  }

  private async requireRoom(actor: User): Promise<void> {
    const store = this.ledger.store;
    // Expired transactions still count until swept; sweep before refusing rather than make the user wait.
    if ((await store.countOpen(actor.name)) >= MAX_OPEN_TRANSACTIONS_PER_USER) await this.sweeper.execute();
    if ((await store.countOpen(actor.name)) < MAX_OPEN_TRANSACTIONS_PER_USER) return;
    throw new DomainError(ErrorCode.TransactionLimit, `user "${actor.name}" holds ${MAX_OPEN_TRANSACTIONS_PER_USER} open transactions, the most allowed; commit or abort one first`, {
      limit: MAX_OPEN_TRANSACTIONS_PER_USER,
    });
  }
}

export class GetTransaction {
  constructor(private readonly ledger: TransactionLedger) {}

  async execute(input: { actor: User; id: string }): Promise<Transaction> {
    return this.ledger.visibleTo(input.actor, input.id);
  }
}

/**
 * Stages a change: the content is mirrored or received, stored, scanned and rated by the same code
 * as outside a transaction, but the record lands in the transaction instead of the repository.
 */
export class StageChange {
  constructor(
    private readonly ledger: TransactionLedger,
    private readonly fromZip: RegisterPackage,
    private readonly fromUrl: RegisterFromUrl,
    private readonly replaceZip: ReplacePackage,
    private readonly repository: ArtifactRepository,
  ) {}

  /** A new artifact. */
  async create(input: { actor: User; id: string; type: ArtifactType; content: StagedContent }): Promise<StagedItem> {
    const { actor, id, type, content } = input;
    await this.precheck(actor, id, undefined);
    const staging = this.stager(actor, id);
    if (content.kind === 'url') await this.fromUrl.prepare({ actor, type, url: content.url, ...optional('name', content.name) }, staging.persist);
    else await this.fromZip.prepare({ actor, type, ...zipFields(content) }, (record) => staging.persist(record, undefined));
    return staging.item();
  }

  /** New content for an existing artifact. A URL replacement names the artifact (`content.name`) as outside. */
  async replace(input: { actor: User; id: string; type: ArtifactType; artifactId: string; content: StagedContent }): Promise<StagedItem> {
    const { actor, id, type, artifactId, content } = input;
    await this.precheck(actor, id, artifactId);
    const staging = this.stager(actor, id);
    if (content.kind === 'url') {
      await this.fromUrl.prepare({ actor, type, url: content.url, replacing: { id: artifactId, name: content.name ?? '' } }, staging.persist);
    } else {
      await this.replaceZip.prepare({ actor, type, id: artifactId, ...zipFields(content) }, staging.persist);
    }
    return staging.item();
  }

  async delete(input: { actor: User; id: string; type: ArtifactType; artifactId: string }): Promise<StagedItem> {
    const { actor, id } = input;
    await this.precheck(actor, id, input.artifactId);
    const current = await loadArtifact(this.repository, input.type, input.artifactId);
    requireOwnerOrAdmin(actor, current, 'delete');
    return this.ledger.append(actor, id, { action: 'delete', artifact: metadataOf(current), expectedRevision: current.revision });
  }

  /** Refused before any content is fetched or stored: a closed, expired, full or foreign transaction. */
  private async precheck(actor: User, id: string, artifactId: string | undefined): Promise<void> {
    requirePermission(actor, 'upload');
    checkRoomFor(await this.ledger.openFor(actor, id), artifactId);
  }

  private stager(actor: User, id: string): { persist: (record: ArtifactRecord, current: ArtifactRecord | undefined) => Promise<void>; item: () => StagedItem } {
    let staged: StagedItem | undefined;
    return {
      persist: async (record, current) => {
        staged = await this.ledger.append(actor, id, TransactionLedger.itemFor(record, current), record.sourceKey);
      },
      item: () => {
        if (staged === undefined) throw new Error(`transaction ${id}: the change was prepared but never staged`);
        return staged;
      },
    };
  }
}

export interface CommittedTransaction {
  readonly txn: Transaction;
  /** Created and replaced artifacts, in item order. */
  readonly written: readonly ArtifactRecord[];
  readonly deleted: readonly ArtifactMetadata[];
}

/**
 * Applies every staged change in one group commit, or none. Each item is checked again first, as the
 * committer: permission, the revision it was staged against, a source registered meanwhile, and the
 * trust bar where registration enforces it; the first failure names its item.
 */
export class CommitTransaction {
  constructor(
    private readonly ledger: TransactionLedger,
    private readonly repository: ArtifactRepository,
    private readonly fromUrl: RegisterFromUrl,
    private readonly intake: PackageIntake,
    private readonly audit: AuditLog,
    private readonly gate: WriteGate,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async execute(input: { actor: User; id: string }): Promise<CommittedTransaction> {
    requirePermission(input.actor, 'upload');
    const txn = await this.ledger.openFor(input.actor, input.id);
    const claimed = await this.ledger.transition(txn, 'committing');
    if (claimed === undefined) throw new DomainError(ErrorCode.TransactionClosed, `transaction ${txn.id} changed while being committed; read it again and retry`);
    const now = this.clock.now().toISOString();
    let replaced: ArtifactRecord[];
    let change: GroupChange;
    try {
      replaced = await this.check(input.actor, claimed);
      change = groupOf(claimed, now);
      await this.apply(claimed, change);
    } catch (error) {
      // Nothing was applied: the transaction takes changes again (or can be aborted).
      if ((await this.ledger.transition(claimed, 'open')) === undefined) this.logger.warn('could not reopen a transaction after a failed commit', { transaction: txn.id });
      throw error;
    }
    await this.record(input.actor, claimed, change, replaced, now);
    // Applied and recorded: the commit stands. A ledger that cannot say so now is settled by the sweep.
    const committed = await this.ledger.transition(claimed, 'committed').catch((error: unknown) => {
      this.logger.warn('a committed transaction could not be marked committed', { transaction: txn.id, error: String(error) });
      return null;
    });
    if (committed === undefined) this.logger.warn('a committed transaction could not be marked committed', { transaction: txn.id });
    await this.intake.releaseUnused(replaced.flatMap(blobsOf));
    return {
      txn: committed ?? { ...claimed, status: 'committed' as const },
      written: [...change.creates, ...change.updates.map((update) => update.record)].sort(byItemOrder(claimed)),
      deleted: claimed.items.filter((item) => item.action === 'delete').map((item) => item.artifact),
    };
  }

  /** The records the commit replaces or removes, after checking every item. */
  private async check(actor: User, txn: Transaction): Promise<ArtifactRecord[]> {
    const replaced: ArtifactRecord[] = [];
    for (const item of txn.items) {
      try {
        const current = await this.checkItem(actor, item);
        if (current !== undefined) replaced.push(current);
      } catch (error) {
        throw error instanceof DomainError ? itemFailure(item, error) : error;
      }
    }
    return replaced;
  }

  private async checkItem(actor: User, item: StagedItem): Promise<ArtifactRecord | undefined> {
    let current: ArtifactRecord | undefined;
    if (item.action !== 'create') {
      current = await loadArtifact(this.repository, item.artifact.type, item.artifact.id);
      requireOwnerOrAdmin(actor, current, item.action === 'update' ? 'replace' : 'delete');
      if (current.revision !== item.expectedRevision) {
        throw new DomainError(ErrorCode.ArtifactConflict, `${current.type} ${current.id} was changed since it was staged (revision ${item.expectedRevision} then, ${current.revision} now)`, {
          artifact_id: current.id,
        });
      }
    }
    if (item.record !== undefined) await this.checkRecord(item.record, current?.id);
    return current;
  }

  private async checkRecord(record: ArtifactRecord, replacingId: string | undefined): Promise<void> {
    if (record.sourceKey !== undefined) await this.fromUrl.refuseDuplicate(record.sourceKey, replacingId);
    if (this.fromUrl.enforcesBarOn(record) && record.trust?.meetsBar === false) {
      const failing = record.trust.failing;
      throw new DomainError(ErrorCode.RatingBelowThreshold, `model ${record.name} does not meet the trust bar (${failing.map((f) => `${f.metric} ${f.value}`).join(', ') || 'content'})`, {
        failing,
      });
    }
  }

  /** The group commit, under the write gate so a reset cannot cut it; a store's refusal is named by item. */
  private async apply(txn: Transaction, change: GroupChange): Promise<void> {
    this.gate.enter();
    try {
      await this.repository.commitGroup(change);
    } catch (error) {
      const id = error instanceof DomainError ? error.details?.artifact_id : undefined;
      const item = txn.items.find((candidate) => candidate.artifact.id === id);
      throw item !== undefined && error instanceof DomainError ? itemFailure(item, error) : error;
    } finally {
      this.gate.leave();
    }
  }

  /**
   * One entry per item, all or none. When the trail refuses them the group is undone by its inverse
   * and the transaction reopened, so an error answer means nothing happened, as outside transactions.
   */
  private async record(actor: User, txn: Transaction, change: GroupChange, replaced: readonly ArtifactRecord[], now: string): Promise<void> {
    const actions: Record<StagedItem['action'], AuditAction> = { create: 'CREATE', update: 'UPDATE', delete: 'DELETE' };
    const entries = txn.items.map((item) => ({ user: actor, date: now, artifact: item.artifact, action: actions[item.action], detail: `transaction ${txn.id}` }));
    try {
      await this.audit.appendAll(entries);
    } catch (error) {
      try {
        await this.repository.commitGroup(inverseOf(change, replaced));
      } catch (undoError) {
        throw new AggregateError([error, undoError], `transaction ${txn.id} was applied, but neither recorded in the audit trail nor undone`);
      }
      if ((await this.ledger.transition(txn, 'open').catch(() => undefined)) === undefined) {
        this.logger.warn('could not reopen a transaction after undoing its commit', { transaction: txn.id });
      }
      throw error;
    }
  }
}

/** The group a transaction commits; its records dated by the commit, when they become visible. */
function groupOf(txn: Transaction, now: string): GroupChange {
  const staged = (action: StagedItem['action']) => txn.items.filter((item) => item.action === action);
  return {
    id: txn.id,
    creates: staged('create').flatMap((item) => (item.record === undefined ? [] : [{ ...item.record, createdAt: now, updatedAt: now }])),
    updates: staged('update').flatMap((item) => (item.record === undefined ? [] : [{ record: { ...item.record, updatedAt: now }, expectedRevision: item.expectedRevision ?? 0 }])),
    deletes: staged('delete').map((item) => ({ id: item.artifact.id, expectedRevision: item.expectedRevision ?? 0 })),
  };
}

/**
 * The group that takes `change` back: created records go, replaced and deleted ones return exactly as
 * they were, revision included. The state is then the one the transaction was staged against, so it
 * can be committed again; a writer holding a revision the change wrote still fails its condition.
 */
function inverseOf(change: GroupChange, replaced: readonly ArtifactRecord[]): GroupChange {
  const before = new Map(replaced.map((record) => [record.id, record]));
  const original = (id: string): ArtifactRecord => {
    const record = before.get(id);
    if (record === undefined) throw new Error(`the record ${id} a transaction replaced is unknown`);
    return record;
  };
  return {
    id: `${change.id}-undo`,
    creates: change.deletes.map(({ id }) => original(id)),
    updates: change.updates.map(({ record }) => ({ record: original(record.id), expectedRevision: record.revision })),
    deletes: change.creates.map((record) => ({ id: record.id, expectedRevision: record.revision })),
  };
}

const byItemOrder = (txn: Transaction) => {
  const order = new Map(txn.items.map((item) => [item.artifact.id, item.index]));
  return (a: ArtifactRecord, b: ArtifactRecord): number => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0);
};

/** Discards a transaction: nothing it staged is applied, and content no record uses is released. */
export class AbortTransaction {
  constructor(
    private readonly ledger: TransactionLedger,
    private readonly intake: PackageIntake,
  ) {}

  async execute(input: { actor: User; id: string }): Promise<void> {
    const txn = await this.ledger.visibleTo(input.actor, input.id);
    if (txn.status !== 'open') {
      throw new DomainError(ErrorCode.TransactionClosed, `transaction ${txn.id} is ${txn.status}; only an open transaction can be aborted`, { status: txn.status });
    }
    if (!(await this.discard(txn))) throw new DomainError(ErrorCode.TransactionClosed, `transaction ${txn.id} changed while being aborted; read it again`);
  }

  /** Whether this call aborted it (false: someone else changed it first). */
  async discard(txn: Transaction): Promise<boolean> {
    if ((await this.ledger.transition(txn, 'aborted')) === undefined) return false;
    await this.intake.releaseUnused(stagedBlobs(txn));
    return true;
  }
}

/**
 * Aborts expired transactions (and committing ones whose instance died) and forgets finished ones
 * once their lifetime is over. Runs at start-up and periodically; safe to run anywhere at once.
 */
export class SweepTransactions {
  constructor(
    private readonly ledger: TransactionLedger,
    private readonly abort: AbortTransaction,
    private readonly repository: ArtifactRepository,
    private readonly clock: Clock,
  ) {}

  /** How many transactions were aborted. */
  async execute(): Promise<number> {
    const now = this.clock.now();
    let aborted = 0;
    for (const txn of await this.ledger.store.list()) {
      if (abandoned(txn, now)) {
        if (await this.landed(txn)) await this.ledger.transition(txn, 'committed');
        else if (await this.abort.discard(txn)) aborted += 1;
      } else if ((txn.status === 'committed' || txn.status === 'aborted') && isExpired(txn, now)) {
        await this.ledger.store.delete(txn.id);
      }
    }
    return aborted;
  }

  /**
   * Whether the group commit of a transaction whose committer died had landed: a created record
   * exists (its id was new, and groups land whole). Without creates it cannot be told apart from
   * others' changes, so it counts as not landed; releasing content stays safe either way.
   */
  private async landed(txn: Transaction): Promise<boolean> {
    const created = txn.status === 'committing' ? txn.items.find((item) => item.action === 'create') : undefined;
    return created !== undefined && (await this.repository.get(created.artifact.id, { assessment: false })) !== undefined;
  }
}

function abandoned(txn: Transaction, now: Date): boolean {
  if (txn.status === 'open') return isExpired(txn, now);
  return txn.status === 'committing' && now.getTime() >= Date.parse(txn.expiresAt) + COMMIT_GRACE_MS;
}

function zipFields(content: Extract<StagedContent, { kind: 'zip' }>): { zipPath: string; filename?: string; name?: string; version?: string } {
  return { zipPath: content.zipPath, ...optional('filename', content.filename), ...optional('name', content.name), ...optional('version', content.version) };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
