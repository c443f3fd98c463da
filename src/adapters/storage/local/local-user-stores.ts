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

/** A use asked for in this turn, and what it got. */
interface AskedUse {
  readonly tokenHash: string;
  readonly now: number;
}

interface SpentUse {
  readonly userName: string;
  readonly record: string | undefined;
}

/**
 * Token uses are counted by an atomic UPDATE (exact under any concurrency, across processes too) and
 * answered once in the write-ahead log; on a `group` connection one log sync covers every concurrent
 * use. The uses asked for during one turn of the event loop are spent by one statement in the turn's
 * transaction (`TurnTransaction`), which also reads each token's user (`consumeWithUser`): under 50
 * clients a turn carries a use for each, and one statement for all of them costs half as much as
 * one each (measured alone: 8–9 against 19–20 µs per use), and a read of the user on its own would
 * be a read transaction with its own locks.
 */
export class LocalTokenStore implements TokenStore {
  private readonly spendStatement;
  private readonly turn: TurnTransaction;
  private asked: AskedUse[] | undefined;
  private spent: Promise<(SpentUse | undefined)[]> | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly commits: WalGroupCommit = new WalGroupCommit(db),
  ) {
    // The check and the spend are one statement, so concurrent uses cannot exceed the limit. A token
    // found twice among the asked is updated once per statement: `spendAll` runs it again for the rest.
    this.spendStatement = db.prepare<[string], { hash: string; user_name: string; record: string | null }>(`
      UPDATE tokens SET uses = uses + 1
      FROM (SELECT value ->> 0 AS hash, value ->> 1 AS now FROM json_each(?)) AS asked
      WHERE tokens.hash = asked.hash AND tokens.expires_at > asked.now AND tokens.uses < tokens.max_uses
      RETURNING tokens.hash AS hash, tokens.user_name AS user_name, (SELECT record FROM users WHERE users.name = tokens.user_name) AS record`);
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
    if (this.asked === undefined) {
      const asked: AskedUse[] = (this.asked = []);
      this.spent = this.turn.run(() => {
        if (this.asked === asked) this.asked = undefined;
        return this.spendAll(asked);
      });
    }
    const index = this.asked.push({ tokenHash, now }) - 1;
    const use = (await this.spent)?.[index];
    if (use !== undefined) this.commits.soon();
    return use;
  }

  private spendAll(asked: readonly AskedUse[]): (SpentUse | undefined)[] {
    const spent: (SpentUse | undefined)[] = new Array<SpentUse | undefined>(asked.length).fill(undefined);
    let waiting = asked.map((_, index) => index);
    while (waiting.length > 0) {
      const once = new Map<string, number>();
      const again: number[] = [];
      for (const index of waiting) {
        const { tokenHash } = asked[index] as AskedUse;
        if (once.has(tokenHash)) again.push(index);
        else once.set(tokenHash, index);
      }
      // `all`, not `get`: SQLite checkpoints its write-ahead log only when a statement is stepped to
      // its end; one stopped at its first row commits on reset and skips that, and the log grew by a
      // page per call for as long as the process ran (60,000 pages after a minute of reads).
      const rows = this.spendStatement.all(JSON.stringify([...once.values()].map((index) => [asked[index]?.tokenHash, asked[index]?.now])));
      const byHash = new Map(rows.map((row) => [row.hash, row]));
      for (const [tokenHash, index] of once) {
        const row = byHash.get(tokenHash);
        spent[index] = row === undefined ? undefined : { userName: row.user_name, record: row.record ?? undefined };
      }
      waiting = again;
    }
    return spent;
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
