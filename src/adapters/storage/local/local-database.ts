import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const SCHEMA_VERSION = 7;

// Rows in the order tokens are issued (schema 7): the tokens in use are the recent ones, so their
// rows share a few pages and a transaction spending several of them writes those pages, not one
// page per token as when rows were placed by their random hash.
const TOKENS_TABLE = `
CREATE TABLE IF NOT EXISTS tokens (
  seq INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  user_name TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  max_uses INTEGER NOT NULL,
  uses INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS tokens_by_user ON tokens(user_name);
CREATE INDEX IF NOT EXISTS tokens_by_expiry ON tokens(expires_at);`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS artifacts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  revision INTEGER NOT NULL,
  card_text TEXT NOT NULL DEFAULT '',
  record TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS artifacts_by_name ON artifacts(name, id);
CREATE INDEX IF NOT EXISTS artifacts_by_type ON artifacts(type, id);
CREATE TABLE IF NOT EXISTS artifact_blobs (
  sha256 TEXT NOT NULL,
  artifact_id TEXT NOT NULL,
  PRIMARY KEY (sha256, artifact_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS artifact_blobs_by_artifact ON artifact_blobs(artifact_id);
CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, record TEXT NOT NULL) WITHOUT ROWID;
${TOKENS_TABLE}
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  artifact_id TEXT NOT NULL,
  entry TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_artifact ON audit(artifact_id, seq);
CREATE TABLE IF NOT EXISTS transactions (
  id TEXT PRIMARY KEY,
  created_by TEXT NOT NULL,
  status TEXT NOT NULL,
  revision INTEGER NOT NULL,
  body TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS transactions_by_user ON transactions(created_by, status);
CREATE TABLE IF NOT EXISTS transaction_blobs (
  sha256 TEXT NOT NULL,
  transaction_id TEXT NOT NULL,
  PRIMARY KEY (sha256, transaction_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS transaction_blobs_by_transaction ON transaction_blobs(transaction_id);
CREATE TABLE IF NOT EXISTS artifact_changes (n INTEGER NOT NULL);
INSERT INTO artifact_changes (n) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM artifact_changes);
CREATE TRIGGER IF NOT EXISTS artifact_inserted AFTER INSERT ON artifacts BEGIN UPDATE artifact_changes SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS artifact_updated AFTER UPDATE ON artifacts BEGIN UPDATE artifact_changes SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS artifact_deleted AFTER DELETE ON artifacts BEGIN UPDATE artifact_changes SET n = n + 1; END;
`;

export interface DatabaseOptions {
  /**
   * `full` (the default): every commit is synced before it returns, blocking the event loop for the
   * sync. `group`: commits return once in the write-ahead log (safe from a process crash) and the
   * caller awaits a `WalGroupCommit` before answering, so one sync covers many hot, tiny writes.
   */
  readonly sync?: 'full' | 'group';
}

/**
 * The embedded metadata store. SQLite in WAL mode with full synchronisation: a committed write
 * survives a crash or power loss, and a write interrupted mid-way is rolled back on the next open.
 * Indexed by id, name and type so lookups and keyset pages stay fast at hundreds of thousands of rows.
 */
export function openLocalDatabase(dataDir: string, options: DatabaseOptions = {}): Database.Database {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'registry.db'));
  db.pragma('journal_mode = WAL');
  db.pragma(options.sync === 'group' ? 'synchronous = NORMAL' : 'synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('mmap_size = 268435456');
  try {
    // Under the write lock: several processes opening one fresh data directory at once must not both
    // migrate it (the second would add a column that now exists).
    db.transaction(() => migrate(db, dataDir)).immediate();
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function migrate(db: Database.Database, dataDir: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(`data directory ${dataDir} was written by a newer registry (schema ${version}); upgrade first`);
  }
  db.exec(SCHEMA);
  // Version 2 keeps a model's assessment beside the record, so listings need not parse it.
  const columns = db.prepare<[], { name: string }>('SELECT name FROM pragma_table_info(\'artifacts\')').all().map((c) => c.name);
  if (!columns.includes('assessment')) db.exec('ALTER TABLE artifacts ADD COLUMN assessment TEXT');
  createSearchIndex(db);
  // Version 4 keeps the canonical source an artifact was registered from, unique, so a second
  // registration of the same source is found without a scan and two racing ones cannot both land.
  // Older records have none and are never matched.
  if (!columns.includes('source_key')) db.exec('ALTER TABLE artifacts ADD COLUMN source_key TEXT');
  db.exec('CREATE UNIQUE INDEX IF NOT EXISTS artifacts_by_source ON artifacts(source_key) WHERE source_key IS NOT NULL');
  // Version 5 adds transactions (created by the schema above): staged changes must outlive the process
  // that staged them, and their blobs must be found as fast as records' (transaction_blobs).
  // Version 6 counts changes to artifacts (artifact_changes, kept by triggers in the writing
  // transaction, whichever process writes), so reads can tell in one lookup that nothing changed.
  placeTokensByIssue(db);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

/**
 * Version 7 keeps token rows in issue order (TOKENS_TABLE). Earlier versions keyed them by hash, a
 * table without row ids; that table is rebuilt, its tokens kept with their uses.
 */
function placeTokensByIssue(db: Database.Database): void {
  const keyedByHash = db.prepare<[], { one: number }>("SELECT 1 AS one FROM pragma_table_list WHERE name = 'tokens' AND wr = 1").get() !== undefined;
  if (!keyedByHash) return;
  db.exec(`
    ALTER TABLE tokens RENAME TO tokens_keyed_by_hash;
    DROP INDEX tokens_by_user;
    DROP INDEX tokens_by_expiry;
    ${TOKENS_TABLE}
    INSERT INTO tokens (hash, user_name, expires_at, max_uses, uses)
      SELECT hash, user_name, expires_at, max_uses, uses FROM tokens_keyed_by_hash ORDER BY expires_at;
    DROP TABLE tokens_keyed_by_hash;
  `);
}

/**
 * Version 3 indexes names and card texts by trigram, so a regular-expression search reads only the
 * records that contain its required literals. The index keeps no copy of the text (contentless, with
 * deletes) and `detail=none` (positions are not needed: RE2 confirms every candidate); its integer
 * row ids map to artifact ids through their own table, artifacts having none.
 */
function createSearchIndex(db: Database.Database): void {
  const exists = db.prepare<[], { one: number }>("SELECT 1 AS one FROM sqlite_master WHERE name = 'artifact_search'").get() !== undefined;
  if (exists) return;
  db.transaction(() => {
    db.exec(`
      CREATE TABLE artifact_search_ids (n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);
      CREATE VIRTUAL TABLE artifact_search USING fts5(name, card_text, tokenize = 'trigram', content = '', contentless_delete = 1, detail = 'none');
      INSERT INTO artifact_search_ids (id) SELECT id FROM artifacts ORDER BY id;
      INSERT INTO artifact_search (rowid, name, card_text)
        SELECT i.n, a.name, a.card_text FROM artifact_search_ids i JOIN artifacts a ON a.id = i.id;
    `);
  })();
}
