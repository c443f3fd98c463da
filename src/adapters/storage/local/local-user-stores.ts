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

/**
 * Token uses are counted by one atomic UPDATE (exact under any concurrency, across processes too) and
 * answered once in the write-ahead log; on a `group` connection one log sync covers every concurrent
 * use. The uses of one turn of the event loop share a transaction (`TurnTransaction`), and the
 * token's user is read in it (`consumeWithUser`): a read on its own costs a read transaction, whose
 * locks were a sixth of a small read's system calls.
 */
export class LocalTokenStore implements TokenStore {
  private readonly consumeStatement;
  private readonly userStatement;
  private readonly turn: TurnTransaction;

  constructor(
    private readonly db: Database.Database,
    private readonly commits: WalGroupCommit = new WalGroupCommit(db),
  ) {
    // One statement checks and spends a use, so concurrent requests cannot exceed the limit.
    this.consumeStatement = db.prepare<[string, number], { user_name: string }>(
      'UPDATE tokens SET uses = uses + 1 WHERE hash = ? AND expires_at > ? AND uses < max_uses RETURNING user_name',
    );
    this.userStatement = db.prepare<[string], { record: string }>(USER_BY_NAME);
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
    const userName = await this.turn.run(() => this.spend(tokenHash, now));
    if (userName !== undefined) this.commits.soon();
    return userName;
  }

  async consumeWithUser(tokenHash: string, now: number): Promise<TokenUse | undefined> {
    const use = await this.turn.run(() => {
      const userName = this.spend(tokenHash, now);
      return userName === undefined ? undefined : { userName, record: this.userStatement.get(userName)?.record };
    });
    if (use === undefined) return undefined;
    this.commits.soon();
    return { userName: use.userName, user: use.record === undefined ? undefined : (JSON.parse(use.record) as StoredUser) };
  }

  private spend(tokenHash: string, now: number): string | undefined {
    // `all`, not `get`: SQLite checkpoints its write-ahead log only when a statement is stepped to its
    // end; a RETURNING statement stopped at its row commits on reset, skips that, and the log grew by
    // a page per call for as long as the process ran (60,000 pages after a minute of reads).
    return this.consumeStatement.all(tokenHash, now)[0]?.user_name;
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
