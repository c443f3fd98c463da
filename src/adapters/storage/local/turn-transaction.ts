import type Database from 'better-sqlite3';

/** A piece of work waiting for the end of the turn, and how to tell its caller the outcome. */
interface Gathered {
  readonly work: () => unknown;
  settle(error: unknown, result?: unknown): void;
}

/**
 * The writes every call makes (its token use, the audit entry of a read) are small statements whose
 * cost is mostly the transaction around them: taking and releasing the log's locks and appending a
 * commit frame. Work handed to `run` during one turn of the event loop is done by one transaction at
 * its end instead (a token use alone 26 µs of a rating read's ~200; measured in groups, a third of
 * that), and each caller is answered with its own result once that transaction has committed. Should
 * the transaction fail, each piece is retried in a transaction of its own, so only what cannot be
 * done fails and the others are not undone.
 *
 * One per connection (`turnOf`), shared by every store on it: the token uses of one turn and the
 * audit entries of the reads answered in the previous one commit together. Anything else that writes
 * the same tables calls `flush` first, so writes keep the order of the calls.
 */
export class TurnTransaction {
  private gathered: Gathered[] = [];
  private turns = 0;
  private ending = false;
  /**
   * Names the turn of the event loop whose transaction committed last, until the loop's next turn
   * (undefined then, and before any). A request waits for its token use, so whatever it reads after
   * started no later than the commit of that turn; state read once after the commit is current for
   * all of them (`LocalArtifactRepository`'s change counter).
   */
  committedTurn: number | undefined;

  constructor(private readonly db: Database.Database) {}

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.gathered.length === 0) setImmediate(() => this.flush());
      this.gathered.push({ work, settle: (error, result) => (error === undefined ? resolve(result as T) : reject(error)) });
    });
  }

  /** Does what is gathered now. Callers are answered after, in the order they called. */
  flush(): void {
    const gathered = this.gathered;
    if (gathered.length === 0) return;
    this.gathered = [];
    let results: unknown[];
    try {
      // IMMEDIATE: every turn writes, and a store may read a row and then change it (token uses).
      results = this.db.transaction(() => gathered.map((piece) => piece.work())).immediate();
    } catch {
      for (const piece of gathered) {
        try {
          piece.settle(undefined, this.db.transaction(piece.work).immediate());
        } catch (error) {
          piece.settle(error ?? new Error('the write failed'));
        }
      }
      return;
    }
    this.committed();
    gathered.forEach((piece, index) => piece.settle(undefined, results[index]));
  }

  private committed(): void {
    this.turns += 1;
    this.committedTurn = this.turns;
    if (this.ending) return;
    this.ending = true;
    // Runs at the next turn's check phase, before any flush gathered in that turn.
    setImmediate(() => {
      this.ending = false;
      this.committedTurn = undefined;
    });
  }
}

const turns = new WeakMap<Database.Database, TurnTransaction>();

/** The connection's turn transaction: stores sharing a connection share its transactions. */
export function turnOf(db: Database.Database): TurnTransaction {
  let turn = turns.get(db);
  if (turn === undefined) turns.set(db, (turn = new TurnTransaction(db)));
  return turn;
}
