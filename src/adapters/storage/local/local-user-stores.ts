import type Database from 'better-sqlite3';
import type { AuditAction, AuditEntry } from '../../../domain/audit';
import type { StoredUser } from '../../../domain/user';
import type { AuditLog } from '../../../ports/audit-log.port';
import type { TokenGrant, TokenStore, TokenUse, UserStore } from '../../../ports/user-store.port';
import { turnOf, type TurnTransaction } from './turn-transaction';
import { WalGroupCommit } from './wal-group-commit';

const USER_BY_NAME = 'SELECT record FROM users WHERE name = ?';

export class LocalUserStore implements UserStore {
  private readonly getStatement;

  constructor(private readonly db: Database.Database) {
    this.getStatement = db.prepare<[string], { record: string }>(USER_BY_NAME);
  }

  async get(name: string): Promise<StoredUser | undefined> {
    const row = this.getStatement.get(name);
    return row === undefined ? undefined : (JSON.parse(row.record) as StoredUser);
  }

  async save(user: StoredUser): Promise<void> {
    this.db
      .prepare('INSERT INTO users (name, record) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET record = excluded.record')
      .run(user.name, JSON.stringify(user));
  }

  async delete(name: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM users WHERE name = ?').run(name).changes > 0;
  }

  async list(): Promise<StoredUser[]> {
    const rows = this.db.prepare<[], { record: string }>('SELECT record FROM users ORDER BY name').all();
    return rows.map((row) => JSON.parse(row.record) as StoredUser);
  }

  async clear(): Promise<void> {
    this.db.prepare('DELETE FROM users').run();
  }
}

/** A granted use: the token's user, and their stored record read in the same transaction. */
interface SpentUse {
  readonly userName: string;
  readonly record: string | undefined;
}

/**
 * Token uses are counted exactly under any concurrency, across processes too, and answered once in
 * the write-ahead log; on a `group` connection one log sync covers every concurrent use. The uses
 * asked for during one turn of the event loop are spent in the turn's transaction
 * (`TurnTransaction`), and each reads its token's user with it (`consumeWithUser`): a read of the
 * user on its own would be a read transaction with its own locks.
 */
export class LocalTokenStore implements TokenStore {
  private readonly statements;
  private readonly turn: TurnTransaction;

  constructor(
    private readonly db: Database.Database,
    private readonly commits: WalGroupCommit = new WalGroupCommit(db),
  ) {
    this.statements = {
      token: db.prepare<[string], { seq: number; user_name: string; expires_at: number; uses: number; max_uses: number; record: string | null }>(
        'SELECT t.seq, t.user_name, t.expires_at, t.uses, t.max_uses, u.record FROM tokens t LEFT JOIN users u ON u.name = t.user_name WHERE t.hash = ?',
      ),
      use: db.prepare<[number]>('UPDATE tokens SET uses = uses + 1 WHERE seq = ?'),
    };
    this.turn = turnOf(db);
  }

  async issue(tokenHash: string, grant: TokenGrant): Promise<void> {
    this.turn.flush();
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM tokens WHERE expires_at <= ?').run(grant.issuedAt);
      this.db
        .prepare('INSERT INTO tokens (hash, user_name, expires_at, max_uses) VALUES (?, ?, ?, ?)')
        .run(tokenHash, grant.userName, grant.expiresAt, grant.maxUses);
    })();
  }

  /**
   * The use is committed to the write-ahead log before the answer, so a process that dies loses
   * none; the disk sync is not awaited (it was the largest part of a small read). After a power loss
   * a token may be spent again by at most the calls answered during the one sync in flight, a
   * bounded over-use the contract's limit tolerates; sign-outs and revocations still wait for it.
   */
  async consume(tokenHash: string, now: number): Promise<string | undefined> {
    return (await this.spend(tokenHash, now))?.userName;
  }

  async consumeWithUser(tokenHash: string, now: number): Promise<TokenUse | undefined> {
    const use = await this.spend(tokenHash, now);
    return use === undefined ? undefined : { userName: use.userName, user: use.record === undefined ? undefined : (JSON.parse(use.record) as StoredUser) };
  }

  private async spend(tokenHash: string, now: number): Promise<SpentUse | undefined> {
    const use = await this.turn.run(() => this.spendNow(tokenHash, now));
    if (use !== undefined) this.commits.soon();
    return use;
  }

  // Run inside the turn's transaction, which holds the write lock from its start (IMMEDIATE): nothing
  // can change the token between reading it here and counting the use, so the two stay one step.
  private spendNow(tokenHash: string, now: number): SpentUse | undefined {
    const token = this.statements.token.get(tokenHash);
    if (token === undefined || token.expires_at <= now || token.uses >= token.max_uses) return undefined;
    this.statements.use.run(token.seq);
    return { userName: token.user_name, record: token.record ?? undefined };
  }

  // A revocation is answered only once durable: a crash right after sign-out must not revive the token.
  async revoke(tokenHash: string): Promise<void> {
    this.turn.flush();
    this.db.prepare('DELETE FROM tokens WHERE hash = ?').run(tokenHash);
    await this.commits.durable();
  }

  async revokeUser(userName: string, exceptTokenHash?: string): Promise<void> {
    this.turn.flush();
    this.db.prepare('DELETE FROM tokens WHERE user_name = ? AND hash IS NOT ?').run(userName, exceptTokenHash ?? null);
    await this.commits.durable();
  }

  async clear(): Promise<void> {
    this.turn.flush();
    this.db.prepare('DELETE FROM tokens').run();
  }
}

const READS: ReadonlySet<AuditAction> = new Set<AuditAction>(['RATE', 'DOWNLOAD']);

/**
 * Every rating read appends an entry, so single appends are gathered into the connection's turn
 * transaction (`TurnTransaction`): one transaction for the appends and token uses of a turn of the
 * event loop. Anything else that touches the trail first writes what is gathered, so entries keep
 * the order of the calls.
 *
 * An entry recording a change is answered once it is on disk. One recording a read (RATE, DOWNLOAD)
 * is answered once it is in the write-ahead log, as the token use that came with it is: a killed
 * process loses none, a power loss at most those of the sync in flight. Waiting for the disk put a
 * log sync (milliseconds on this disk, tens under load) into every rating read's latency.
 */
export class LocalAuditLog implements AuditLog {
  private readonly appendStatement;
  private readonly turn: TurnTransaction;

  constructor(
    private readonly db: Database.Database,
    private readonly commits: WalGroupCommit = new WalGroupCommit(db),
  ) {
    this.appendStatement = db.prepare('INSERT INTO audit (artifact_id, entry) VALUES (?, ?)');
    this.turn = turnOf(db);
  }

  async append(entry: AuditEntry): Promise<void> {
    const serialised = JSON.stringify(entry);
    await this.turn.run(() => this.appendStatement.run(entry.artifact.id, serialised));
    if (READS.has(entry.action)) this.commits.soon();
    else await this.commits.durable();
  }

  async appendAll(entries: readonly AuditEntry[]): Promise<void> {
    this.turn.flush();
    this.db.transaction(() => entries.forEach((entry) => this.appendStatement.run(entry.artifact.id, JSON.stringify(entry))))();
    await this.commits.durable();
  }

  async forArtifact(artifactId: string, limit: number): Promise<AuditEntry[]> {
    this.turn.flush();
    const rows = this.db
      .prepare<[string, number], { entry: string }>(
        'SELECT entry FROM (SELECT seq, entry FROM audit WHERE artifact_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq',
      )
      .all(artifactId, limit);
    return rows.map((row) => JSON.parse(row.entry) as AuditEntry);
  }

  async clear(): Promise<void> {
    this.turn.flush();
    this.db.prepare('DELETE FROM audit').run();
  }
}
