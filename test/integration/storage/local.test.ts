import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readlink, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import type { ArtifactRecord } from '../../../src/domain/artifact';
import { ErrorCode } from '../../../src/domain/errors';
import { LocalTransactionStore } from '../../../src/adapters/storage/local/local-transaction-store';
import { LocalArtifactRepository } from '../../../src/adapters/storage/local/local-artifact-repository';
import { LocalBlobStore } from '../../../src/adapters/storage/local/local-blob-store';
import { LocalLeaseStore } from '../../../src/adapters/storage/local/local-lease-store';
import { blobListingContract, leaseStoreContract } from '../../support/lease-store-contract';
import { openLocalDatabase, type DatabaseOptions } from '../../../src/adapters/storage/local/local-database';
import { LocalAuditLog, LocalTokenStore, LocalUserStore } from '../../../src/adapters/storage/local/local-user-stores';
import { WalGroupCommit } from '../../../src/adapters/storage/local/wal-group-commit';
import type { TokenGrant } from '../../../src/ports/user-store.port';
import {
  aUser,
  anArtifact,
  anAuditEntry,
  artifactId,
  artifactRepositoryContract,
  auditLogContract,
  blobStoreContract,
  sha256Of,
  tokenStoreContract,
  userStoreContract,
  type SubjectFactory,
} from '../../support/storage-contract';
import { packageOf } from '../../support/records';
import { expectRejection, readAll } from '../../support/zip-builder';

const ROOT = resolve(__dirname, '../../..');
const SOURCE = join(ROOT, 'src/adapters/storage/local');

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'tmr-local-'));

/** `make` gets the group commit the subject should use, closed with the database (it holds the log open). */
function onDatabase<T>(make: (db: Database.Database, commits: WalGroupCommit) => T, options: DatabaseOptions = {}): SubjectFactory<T> {
  return async () => {
    const dir = await tempDir();
    const db = openLocalDatabase(dir, options);
    const commits = new WalGroupCommit(db);
    return {
      subject: make(db, commits),
      close: async () => {
        await commits.close();
        db.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  };
}

/** A fresh directory and its database on a group-commit connection, all closed and removed whatever the outcome. */
async function withGroupCommit(run: (db: Database.Database, commits: WalGroupCommit, dir: string) => Promise<void>): Promise<void> {
  const dir = await tempDir();
  const db = openLocalDatabase(dir, { sync: 'group' });
  const commits = new WalGroupCommit(db);
  try {
    await run(db, commits, dir);
  } finally {
    await commits.close();
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

/**
 * Runs `script` in a child Node (with ts-node, so it can load the TypeScript sources), waits for it to
 * print `marker`, then kills it with SIGKILL: no exit handlers, no flushing, like a power cut.
 */
function runAndKillAtMarker(script: string, args: readonly string[], marker: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register', script, ...args], {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let markerLine: string | undefined;
    // A child that never reaches its marker must not outlive the test.
    const deadline = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((candidate) => candidate.startsWith(marker));
      if (line !== undefined && markerLine === undefined) {
        markerLine = line;
        child.kill('SIGKILL');
      }
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(deadline);
      if (markerLine !== undefined && signal === 'SIGKILL') resolvePromise(markerLine);
      else reject(new Error(`child ended (code ${code}, signal ${signal}) before "${marker}": ${stdout}\n${stderr}`));
    });
  });
}

const BLOB_WRITER = `
const { statSync, readdirSync } = require('node:fs');
const { join } = require('node:path');
const { Readable } = require('node:stream');
const { LocalBlobStore } = require(process.argv[3]);
const dataDir = process.argv[2];
const chunkCount = Number(process.argv[4]);
const killAfter = Number(process.argv[5]);
const MIB = 1024 * 1024;
const chunk = (index) => Buffer.alloc(MIB, index % 251);
const partBytes = () => readdirSync(join(dataDir, 'tmp')).reduce((sum, name) => sum + statSync(join(dataDir, 'tmp', name)).size, 0);
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
async function* slowSource() {
  for (let index = 0; index < chunkCount; index += 1) {
    if (index === killAfter) {
      // Announce only once earlier chunks really reached the temporary file.
      while (partBytes() < (killAfter - 1) * MIB) await sleep(5);
      process.stdout.write('MID-WRITE ' + partBytes() + '\\n');
      await sleep(60000);
    }
    yield chunk(index);
  }
}
new LocalBlobStore(dataDir).put(Readable.from(slowSource())).then(() => process.stdout.write('DONE\\n'));
`;

const DATABASE_WRITER = `
const { readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { openLocalDatabase } = require(join(process.argv[3], 'local-database.ts'));
const { LocalArtifactRepository } = require(join(process.argv[3], 'local-artifact-repository.ts'));
const dataDir = process.argv[2];
const { committed, pending } = JSON.parse(readFileSync(process.argv[4], 'utf8'));
const walSize = () => statSync(join(dataDir, 'registry.db-wal')).size;
(async () => {
  const db = openLocalDatabase(dataDir);
  const repository = new LocalArtifactRepository(db);
  for (const record of committed) await repository.create(record);
  // A tiny page cache makes SQLite spill uncommitted pages into the WAL before the commit.
  db.pragma('cache_size = 8');
  const before = walSize();
  db.exec('BEGIN IMMEDIATE');
  for (const record of pending) await repository.create(record);
  process.stdout.write('MID-TRANSACTION ' + before + ' ' + walSize() + '\\n');
  setInterval(() => undefined, 1000);
})();
`;

const TOKEN_SPENDER = `
const { join } = require('node:path');
const { openLocalDatabase } = require(join(process.argv[3], 'local-database.ts'));
const { LocalAuditLog, LocalTokenStore } = require(join(process.argv[3], 'local-user-stores.ts'));
(async () => {
  const db = openLocalDatabase(process.argv[2], { sync: 'group' });
  const tokens = new LocalTokenStore(db);
  const audit = new LocalAuditLog(db);
  const now = Date.UTC(2026, 10, 30);
  await tokens.issue('a'.repeat(64), { userName: 'alice', issuedAt: now, expiresAt: now + 3600000, maxUses: 1000 });
  let answered = 0;
  for (let i = 0; i < 40; i += 1) {
    if ((await tokens.consume('a'.repeat(64), now + 1)) !== 'alice') continue;
    // A rating read records itself as the token use does: answered once in the log.
    await audit.append({ user: { name: 'alice', isAdmin: false }, date: new Date(now).toISOString(), artifact: { name: 'bert', id: 'model-1', type: 'model' }, action: 'RATE' });
    answered += 1;
  }
  // Killed as soon as this is read: the last uses' log sync may still be in flight.
  process.stdout.write('ANSWERED ' + answered + '\\n');
  setInterval(() => undefined, 1000);
})();
`;

/*
 * Commits groups in a loop, each one: create two records, move the ledger on (its version counts the
 * groups), delete the previous group's second record. Announces GO once `warmUp` groups of this run
 * are in, then keeps committing until killed.
 */
const GROUP_WRITER = `
const { join } = require('node:path');
const { openLocalDatabase } = require(join(process.argv[3], 'local-database.ts'));
const { LocalArtifactRepository } = require(join(process.argv[3], 'local-artifact-repository.ts'));
const { anArtifact } = require(process.argv[4]);
const dataDir = process.argv[2];
const warmUp = Number(process.argv[5]);
(async () => {
  const repository = new LocalArtifactRepository(openLocalDatabase(dataDir));
  let ledger = await repository.get(anArtifact(1).id);
  if (ledger === undefined) {
    ledger = anArtifact(1, 'model', { name: 'ledger', version: '0.0.0' });
    await repository.create(ledger);
  }
  for (let run = 0; ; run += 1) {
    const i = ledger.revision - 1;
    const next = { ...ledger, version: '0.0.' + (i + 1), revision: ledger.revision + 1 };
    const previous = i === 0 ? [] : [{ id: anArtifact(1001 + 2 * (i - 1)).id, expectedRevision: 1 }];
    await repository.commitGroup({
      id: 'group-' + i,
      creates: [anArtifact(1000 + 2 * i, 'dataset', { name: 'group-' + i }), anArtifact(1001 + 2 * i, 'code', { name: 'group-' + i })],
      updates: [{ record: next, expectedRevision: ledger.revision }],
      deletes: previous,
    });
    ledger = next;
    if (run === warmUp) process.stdout.write('GO ' + i + '\\n');
  }
})();
`;

/** A token grant for `userName`, issued at `now` and good for an hour or `maxUses` calls. */
const forAnHour = (userName: string, maxUses: number, now: number): TokenGrant => ({ userName, issuedAt: now, expiresAt: now + 3_600_000, maxUses });

describe('local storage adapters', () => {
  artifactRepositoryContract('LocalArtifactRepository', onDatabase((db) => new LocalArtifactRepository(db)), { snapshotListings: true });
  userStoreContract('LocalUserStore', onDatabase((db) => new LocalUserStore(db)));
  tokenStoreContract('LocalTokenStore', onDatabase((db) => new LocalTokenStore(db)));
  // As the server runs it: a connection whose commits are made durable by group commit.
  tokenStoreContract('LocalTokenStore (group commit)', onDatabase((db, commits) => new LocalTokenStore(db, commits), { sync: 'group' }));
  auditLogContract('LocalAuditLog (group commit)', onDatabase((db, commits) => new LocalAuditLog(db, commits), { sync: 'group' }));
  auditLogContract('LocalAuditLog', onDatabase((db) => new LocalAuditLog(db)));
  blobStoreContract('LocalBlobStore', async () => {
    const dir = await tempDir();
    return { subject: new LocalBlobStore(dir), close: () => rm(dir, { recursive: true, force: true }) };
  });
  blobListingContract('LocalBlobStore', async () => {
    const dir = await tempDir();
    return { subject: new LocalBlobStore(dir), close: () => rm(dir, { recursive: true, force: true }) };
  });
  leaseStoreContract('LocalLeaseStore', async () => {
    const dir = await tempDir();
    return { subject: new LocalLeaseStore(dir), close: () => rm(dir, { recursive: true, force: true }) };
  });

  it('when 300 token uses arrive together on a group-commit connection, then exactly the limit is granted with far fewer log syncs than uses', () =>
    withGroupCommit(async (db, commits) => {
      const tokens = new LocalTokenStore(db, commits);
      const now = Date.UTC(2025, 10, 27);
      await tokens.issue(sha256Of('burst'), forAnHour('alice', 250, now));
      const results = await Promise.all(Array.from({ length: 300 }, () => tokens.consume(sha256Of('burst'), now + 1)));
      expect(results.filter((user) => user === 'alice')).to.have.length(250);
      expect(commits.syncs).to.be.greaterThan(0).and.lessThan(250);
    }));

  it('when group commit is closed while syncs are still asked for, then it waits for them and leaves the log file no longer open', () =>
    withGroupCommit(async (db, commits) => {
      const openOnLog = async (): Promise<number> => {
        const fds = await readdir('/proc/self/fd');
        const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
        return targets.filter((target) => target.endsWith('registry.db-wal')).length;
      };
      const spender = new LocalTokenStore(db, commits);
      const now = Date.UTC(2025, 10, 27);
      await spender.issue(sha256Of('late'), forAnHour('alice', 100, now));
      const before = await openOnLog();
      for (let use = 0; use < 20; use += 1) await spender.consume(sha256Of('late'), now + 1);
      const asked = commits.syncs;

      await commits.close();
      await spender.consume(sha256Of('late'), now + 1);
      await commits.durable();

      expect(asked).to.be.greaterThan(0);
      expect(commits.syncs, 'no sync after close').to.be.at.most(asked + 1);
      expect(await openOnLog(), 'log handles open').to.equal(before);
    }));

  it('when a token is used 5,000 times beside another connection reading, then the write-ahead log is checkpointed as it goes and stays bounded', () =>
    withGroupCommit(async (ledger, commits, dir) => {
      const reader = openLocalDatabase(dir);
      try {
        const tokens = new LocalTokenStore(ledger, commits);
        const repository = new LocalArtifactRepository(reader);
        const now = Date.UTC(2025, 10, 27);
        await tokens.issue(sha256Of('busy'), forAnHour('alice', 10_000, now));
        for (let use = 0; use < 5_000; use += 1) {
          expect(await tokens.consume(sha256Of('busy'), now + 1)).to.equal('alice');
          await repository.changeMark();
        }
        await commits.durable();
        // SQLite checkpoints at 1,000 pages by default; every use writes at least one.
        const pages = (await stat(join(dir, 'registry.db-wal'))).size / (4096 + 24);
        expect(pages).to.be.lessThan(1_500);
      } finally {
        reader.close();
      }
    }));

  it('when one of the entries gathered in one turn cannot be written, then only its append fails and the others are kept in order', () =>
    withGroupCommit(async (db, commits) => {
      const audit = new LocalAuditLog(db, commits);
      const model = anArtifact(1);
      await audit.append(anAuditEntry(model, 'CREATE', 0));
      // An entry whose artifact id breaks the column's NOT NULL fails the turn's transaction.
      const broken = { ...anAuditEntry(model, 'RATE', 2), artifact: { ...anAuditEntry(model, 'RATE', 2).artifact, id: null as unknown as string } };
      const outcomes = await Promise.allSettled([audit.append(anAuditEntry(model, 'RATE', 1)), audit.append(broken), audit.append(anAuditEntry(model, 'RATE', 3))]);

      expect(outcomes.map((outcome) => outcome.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
      expect((await audit.forArtifact(model.id, 10)).map((entry) => entry.date)).to.deep.equal([0, 1, 3].map((minute) => anAuditEntry(model, 'RATE', minute).date));
    }));

  it('when token uses and an audit entry that cannot be written share a turn, then the uses are still counted and only the entry fails', () =>
    withGroupCommit(async (db, commits) => {
      const tokens = new LocalTokenStore(db, commits);
      const audit = new LocalAuditLog(db, commits);
      const model = anArtifact(1);
      const now = Date.UTC(2025, 10, 27);
      await tokens.issue(sha256Of('shared'), forAnHour('alice', 3, now));
      const broken = { ...anAuditEntry(model, 'RATE', 2), artifact: { ...anAuditEntry(model, 'RATE', 2).artifact, id: null as unknown as string } };

      const outcomes = await Promise.allSettled([tokens.consume(sha256Of('shared'), now + 1), audit.append(broken), tokens.consume(sha256Of('shared'), now + 1)]);

      expect(outcomes).to.deep.equal([
        { status: 'fulfilled', value: 'alice' },
        { status: 'rejected', reason: (outcomes[1] as PromiseRejectedResult).reason },
        { status: 'fulfilled', value: 'alice' },
      ]);
      expect(String((outcomes[1] as PromiseRejectedResult).reason)).to.match(/NOT NULL/);
      // Two of three uses were spent: one is left, then none.
      expect(await tokens.consume(sha256Of('shared'), now + 1)).to.equal('alice');
      expect(await tokens.consume(sha256Of('shared'), now + 1)).to.equal(undefined);
    }));

  it('when uses of several tokens arrive in one turn, repeated, expired, used up and unknown among them, then each gets its own answer in the order asked', () =>
    withGroupCommit(async (db, commits) => {
      const tokens = new LocalTokenStore(db, commits);
      const now = Date.UTC(2025, 10, 27);
      await tokens.issue(sha256Of('a'), forAnHour('alice', 2, now));
      await tokens.issue(sha256Of('b'), { userName: 'bob', issuedAt: now, expiresAt: now + 10, maxUses: 5 });
      await tokens.issue(sha256Of('c'), forAnHour('carol', 5, now));

      const asked = ['a', 'c', 'a', 'b', 'a', 'unknown', 'c'].map((secret) => tokens.consume(sha256Of(secret), now + 10));

      expect(await Promise.all(asked)).to.deep.equal(['alice', 'carol', 'alice', undefined, undefined, undefined, 'carol']);
      expect(await tokens.consume(sha256Of('c'), now + 10), 'carol has three left').to.equal('carol');
      expect(await tokens.consume(sha256Of('b'), now + 9), 'the expired asks spent nothing of bob\'s token').to.equal('bob');
    }));

  it('when a token is used with its user read beside it, then each use answers the user as stored then, within the exact limit', () =>
    withGroupCommit(async (db, commits) => {
      const users = new LocalUserStore(db);
      const tokens = new LocalTokenStore(db, commits);
      const now = Date.UTC(2025, 10, 27);
      const alice = aUser('alice', { permissions: ['search'] });
      await users.save(alice);
      await tokens.issue(sha256Of('with-user'), forAnHour('alice', 40, now));

      const burst = await Promise.all(Array.from({ length: 50 }, () => tokens.consumeWithUser(sha256Of('with-user'), now + 1)));
      expect(burst.filter((use) => use !== undefined)).to.have.length(40).and.to.deep.include({ userName: 'alice', user: alice });
      expect(burst.filter((use) => use === undefined)).to.have.length(10);

      await tokens.issue(sha256Of('second'), forAnHour('alice', 10, now));
      const promoted = { ...alice, permissions: ['search', 'upload'] as typeof alice.permissions };
      await users.save(promoted);
      expect(await tokens.consumeWithUser(sha256Of('second'), now + 1), 'after a change').to.deep.equal({ userName: 'alice', user: promoted });
      await users.delete('alice');
      expect(await tokens.consumeWithUser(sha256Of('second'), now + 1), 'after deletion').to.deep.equal({ userName: 'alice', user: undefined });
      expect(await tokens.consumeWithUser(sha256Of('never-issued'), now + 1)).to.equal(undefined);
    }));

  it('when the change counter is kept for a turn of token uses, then a write by this process is seen at once and one by another process from the next turn on', () =>
    withGroupCommit(async (ledger, commits, dir) => {
      const db = openLocalDatabase(dir);
      const elsewhere = openLocalDatabase(dir);
      try {
        const tokens = new LocalTokenStore(ledger, commits);
        const reader = new LocalArtifactRepository(db, ledger);
        const now = Date.UTC(2025, 10, 27);
        const model = anArtifact(1);
        await reader.create(model);
        await tokens.issue(sha256Of('reads'), forAnHour('alice', 10, now));
        const revisionRead = async (): Promise<number | undefined> => (await reader.get(model.id, { assessment: false }))?.revision;
        // Another process writes through its own connection, past any repository of this one.
        const writeElsewhere = (revision: number): void => {
          elsewhere.prepare('UPDATE artifacts SET revision = ?, record = ? WHERE id = ?').run(revision, JSON.stringify({ ...model, revision }), model.id);
        };

        await tokens.consume(sha256Of('reads'), now);
        expect(await revisionRead()).to.equal(1);
        await new LocalArtifactRepository(elsewhere).update({ ...model, revision: 2 }, 1);
        expect(await revisionRead(), 'written by this process in the same turn').to.equal(2);

        writeElsewhere(3);
        await new Promise<void>((next) => setImmediate(next));
        expect(await revisionRead(), 'written elsewhere, read in the next turn').to.equal(3);

        await tokens.consume(sha256Of('reads'), now);
        expect(await revisionRead()).to.equal(3);
        writeElsewhere(4);
        await tokens.consume(sha256Of('reads'), now);
        expect(await revisionRead(), 'written elsewhere before the next token use').to.equal(4);
      } finally {
        elsewhere.close();
        db.close();
      }
    }));

  it('when a token use is asked for and the token revoked in the same turn, then they happen in the order called', () =>
    withGroupCommit(async (db, commits) => {
      const tokens = new LocalTokenStore(db, commits);
      const now = Date.UTC(2025, 10, 27);
      await tokens.issue(sha256Of('order'), forAnHour('alice', 10, now));

      const [used] = await Promise.all([tokens.consume(sha256Of('order'), now + 1), tokens.revoke(sha256Of('order'))]);

      expect(used, 'the use asked for first').to.equal('alice');
      expect(await tokens.consume(sha256Of('order'), now + 1), 'after the revocation').to.equal(undefined);
    }));

  it('when 50 token uses and 50 audit entries are asked for in one turn, then they commit as one transaction, not a hundred', () =>
    withGroupCommit(async (db, commits) => {
      const tokens = new LocalTokenStore(db, commits);
      const audit = new LocalAuditLog(db, commits);
      const model = anArtifact(1);
      const now = Date.UTC(2025, 10, 27);
      await tokens.issue(sha256Of('turn'), forAnHour('alice', 1_000, now));
      // Every commit appends the pages it changed to the write-ahead log: empty it, then count them.
      db.pragma('wal_checkpoint(TRUNCATE)');

      const outcomes = await Promise.all(
        Array.from({ length: 50 }, (_, index) => [tokens.consume(sha256Of('turn'), now + 1), audit.append(anAuditEntry(model, 'RATE', index))]).flat(),
      );

      expect(outcomes.filter((outcome) => outcome === 'alice')).to.have.length(50);
      expect(await audit.forArtifact(model.id, 100)).to.have.length(50);
      const frames = (db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log;
      // One commit writes each page it touched once (the token's, the audit table's and its index's);
      // a commit per call would write the token's page alone fifty times.
      expect(frames).to.be.greaterThan(0).and.lessThan(15);
    }));

  describe('durability', () => {
    let dir: string;

    beforeEach(async () => {
      dir = await tempDir();
    });

    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('when a model carries an assessment, then get returns it whole while listings leave it out', async () => {
      const db = openLocalDatabase(dir);
      try {
        const repository = new LocalArtifactRepository(db);
        const assessment = { evidence: { card: 'x'.repeat(50_000) }, collectionSeconds: { license: 0.1 }, problems: [], rating: { net_score: 0.7 } };
        const model = { ...anArtifact(1), assessment } as unknown as ArtifactRecord;
        await repository.create(model);
        expect(await repository.get(model.id)).to.deep.equal(model);
        const [listed] = await repository.list({}, undefined, 10);
        expect(listed?.id).to.equal(model.id);
        expect(listed).not.to.have.property('assessment');
        await repository.update({ ...model, revision: 2, assessment: { ...assessment, problems: ['GitHub was down'] } } as unknown as ArtifactRecord, 1);
        expect((await repository.get(model.id))?.assessment?.problems).to.deep.equal(['GitHub was down']);
      } finally {
        db.close();
      }
    });

    it('when two records claim the same canonical source, then the second write is ARTIFACT.CONFLICT and the first stays', async () => {
      const db = openLocalDatabase(dir);
      try {
        const repository = new LocalArtifactRepository(db);
        const key = 'dataset https://www.kaggle.com/datasets/hliang001/flickr2k';
        const first = anArtifact(1, 'dataset', { sourceKey: key });
        await repository.create(first);
        await expectRejection(repository.create(anArtifact(2, 'dataset', { sourceKey: key })), ErrorCode.ArtifactConflict);
        const other = anArtifact(3, 'dataset');
        await repository.create(other);
        await expectRejection(repository.update({ ...other, sourceKey: key, revision: 2 }, 1), ErrorCode.ArtifactConflict);
        expect((await repository.list({ sourceKey: key }, undefined, 10)).map((record) => record.id)).to.deep.equal([first.id]);
        expect((await repository.get(other.id))?.revision).to.equal(1);
      } finally {
        db.close();
      }
    });

    it('when a group would register a source another record holds, then it is ARTIFACT.CONFLICT naming the record, and the index and text search are untouched', async () => {
      const db = openLocalDatabase(dir);
      try {
        const repository = new LocalArtifactRepository(db);
        const key = 'model https://huggingface.co/openai/whisper-tiny';
        const holder = anArtifact(1, 'model', { sourceKey: key });
        const other = anArtifact(2, 'dataset');
        await repository.create(holder);
        await repository.create(other);
        const claimant = anArtifact(3, 'model', { name: 'whisper-tiny-copy', sourceKey: key });

        const error = await expectRejection(repository.commitGroup({
          id: 'g1', creates: [claimant], updates: [{ record: { ...other, name: 'squad-renamed', revision: 2 }, expectedRevision: 1 }], deletes: [],
        }), ErrorCode.ArtifactConflict);

        expect(error.details).to.deep.include({ artifact_id: claimant.id });
        expect((await repository.get(other.id))?.name).to.equal(other.name);
        expect(await repository.textIndex.candidates([['squad-renamed'], ['whisper-tiny-copy']], undefined, 10)).to.deep.equal([]);
        expect(await repository.isBlobReferenced(packageOf(claimant).full.sha256)).to.equal(false);

        // Deletes go first: one group may hand a source over from one record to another.
        await repository.commitGroup({ id: 'g2', creates: [claimant], updates: [], deletes: [{ id: holder.id, expectedRevision: 1 }] });

        expect((await repository.list({ sourceKey: key }, undefined, 10)).map((record) => record.id)).to.deep.equal([claimant.id]);
        expect(await repository.textIndex.candidates([['whisper-tiny-copy']], undefined, 10)).to.deep.equal([claimant.id]);
      } finally {
        db.close();
      }
    });

    it('when another connection (another process sharing the data directory) changes a record this one has read, then this one reads the change, whole, light and listed', async () => {
      const mine = openLocalDatabase(dir);
      const theirs = openLocalDatabase(dir);
      try {
        const reader = new LocalArtifactRepository(mine);
        const writer = new LocalArtifactRepository(theirs);
        const record = anArtifact(1);
        await writer.create(record);
        expect(await reader.get(record.id)).to.deep.equal(record);
        await reader.get(record.id, { assessment: false });
        await reader.list({ name: record.name }, undefined, 10);
        const mark = await reader.changeMark();

        const renamed = { ...record, name: 'renamed', revision: 2 };
        await writer.update(renamed, 1);

        expect(await reader.changeMark()).to.not.equal(mark);
        expect(await reader.get(record.id)).to.deep.equal(renamed);
        expect((await reader.get(record.id, { assessment: false }))?.name).to.equal('renamed');
        expect((await reader.list({ name: 'renamed' }, undefined, 10)).map((r) => r.id)).to.deep.equal([record.id]);
        await writer.delete(record.id);
        expect(await reader.get(record.id)).to.equal(undefined);
      } finally {
        mine.close();
        theirs.close();
      }
    });

    it('when a database from schema 1 is opened, then it gains the assessment and source columns and the transaction tables, and its records still read whole', async () => {
      const old = new Database(join(dir, 'registry.db'));
      old.exec("CREATE TABLE artifacts (id TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, revision INTEGER NOT NULL, card_text TEXT NOT NULL DEFAULT '', record TEXT NOT NULL) WITHOUT ROWID");
      const legacy = { ...anArtifact(1), assessment: { problems: [] } };
      old.prepare('INSERT INTO artifacts (id, name, type, revision, record) VALUES (?, ?, ?, 1, ?)').run(legacy.id, legacy.name, legacy.type, JSON.stringify(legacy));
      old.pragma('user_version = 1');
      old.close();
      const db = openLocalDatabase(dir);
      try {
        expect(db.pragma('user_version', { simple: true })).to.equal(7);
        expect(await new LocalTransactionStore(db).list()).to.deep.equal([]);
        const repository = new LocalArtifactRepository(db);
        expect(await repository.get(legacy.id)).to.deep.equal(legacy);
        // Schema 6 counts changes from the first one after the upgrade.
        const before = await repository.changeMark();
        await repository.update({ ...anArtifact(1), revision: 2 }, 1);
        expect(await repository.changeMark()).to.not.equal(before);
        // Records from before schema 4 carry no source key, so they are never taken for a duplicate.
        expect(await repository.list({ sourceKey: 'model https://huggingface.co/x/y' }, undefined, 10)).to.deep.equal([]);
      } finally {
        db.close();
      }
    });

    it('when a database from schema 6 is opened, then its tokens are kept in issue order and still work with the uses they had', async () => {
      const old = new Database(join(dir, 'registry.db'));
      old.exec(`CREATE TABLE tokens (hash TEXT PRIMARY KEY, user_name TEXT NOT NULL, expires_at INTEGER NOT NULL, max_uses INTEGER NOT NULL, uses INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
        CREATE INDEX tokens_by_user ON tokens(user_name); CREATE INDEX tokens_by_expiry ON tokens(expires_at);`);
      const now = Date.UTC(2025, 10, 27);
      const insert = old.prepare('INSERT INTO tokens (hash, user_name, expires_at, max_uses, uses) VALUES (?, ?, ?, ?, ?)');
      insert.run(sha256Of('later'), 'alice', now + 7_200_000, 5, 4);
      insert.run(sha256Of('sooner'), 'bob', now + 3_600_000, 5, 0);
      old.pragma('user_version = 6');
      old.close();

      const db = openLocalDatabase(dir);
      try {
        expect(db.pragma('user_version', { simple: true })).to.equal(7);
        expect(db.prepare('SELECT hash FROM tokens ORDER BY seq').pluck().all()).to.deep.equal([sha256Of('sooner'), sha256Of('later')]);
        const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tokens' AND sql IS NOT NULL ORDER BY name").pluck().all();
        expect(indexes).to.deep.equal(['tokens_by_expiry', 'tokens_by_user']);
        const tokens = new LocalTokenStore(db);
        expect(await tokens.consume(sha256Of('later'), now)).to.equal('alice');
        expect(await tokens.consume(sha256Of('later'), now), 'five uses spent').to.equal(undefined);
        await tokens.revokeUser('bob');
        expect(await tokens.consume(sha256Of('sooner'), now)).to.equal(undefined);
        await tokens.issue(sha256Of('new'), forAnHour('carol', 1, now));
        expect(await tokens.consume(sha256Of('new'), now)).to.equal('carol');
      } finally {
        db.close();
      }
      // Opening again finds it migrated.
      openLocalDatabase(dir).close();
    });

    it('when the database is closed and reopened, then records, users, tokens, audit entries and blobs are all still there', async () => {
      const model = anArtifact(1);
      const dataset = anArtifact(2, 'dataset');
      const admin = aUser('ece30861defaultadminuser', { isAdmin: true });
      const entries = [anAuditEntry(model, 'CREATE', 0), anAuditEntry(model, 'DOWNLOAD', 1, 'weights')];
      const weights = Buffer.from('safetensors bytes of a small model');
      const now = Date.UTC(2025, 10, 27, 10, 5);

      const db = openLocalDatabase(dir);
      const repository = new LocalArtifactRepository(db);
      await repository.create(model);
      await repository.create(dataset);
      await new LocalUserStore(db).save(admin);
      const tokens = new LocalTokenStore(db);
      await tokens.issue(sha256Of('secret'), forAnHour(admin.name, 3, now));
      expect(await tokens.consume(sha256Of('secret'), now)).to.equal(admin.name);
      expect(await tokens.consume(sha256Of('secret'), now)).to.equal(admin.name);
      for (const entry of entries) await new LocalAuditLog(db).append(entry);
      const stored = await new LocalBlobStore(dir).put(Readable.from([weights]));
      db.close();

      const reopened = openLocalDatabase(dir);
      try {
        const again = new LocalArtifactRepository(reopened);
        expect(await again.get(model.id)).to.deep.equal(model);
        expect(await again.get(dataset.id)).to.deep.equal(dataset);
        expect(await again.isBlobReferenced(packageOf(model).full.sha256)).to.equal(true);
        expect(await new LocalUserStore(reopened).get(admin.name)).to.deep.equal(admin);
        const tokensAgain = new LocalTokenStore(reopened);
        expect(await tokensAgain.consume(sha256Of('secret'), now)).to.equal(admin.name);
        expect(await tokensAgain.consume(sha256Of('secret'), now), 'uses counted before the restart').to.equal(undefined);
        expect(await new LocalAuditLog(reopened).forArtifact(model.id, 10)).to.deep.equal(entries);
        expect((await readAll(await new LocalBlobStore(dir).get(stored.sha256))).equals(weights)).to.equal(true);
      } finally {
        reopened.close();
      }
    });

    it('when a blob put is killed midway, then no blob is visible and the next put succeeds despite the leftover temporary file', async function () {
      this.timeout(30_000);
      const script = join(dir, 'blob-writer.js');
      await writeFile(script, BLOB_WRITER);
      const chunkCount = 12;
      const killAfter = 8;
      const content = Buffer.concat(Array.from({ length: chunkCount }, (_, index) => Buffer.alloc(1024 * 1024, index % 251)));

      const marker = await runAndKillAtMarker(script, [dir, join(SOURCE, 'local-blob-store.ts'), String(chunkCount), String(killAfter)], 'MID-WRITE');

      const leftovers = await readdir(join(dir, 'tmp'));
      expect(leftovers, `killed at "${marker}"`).to.have.length(1);
      expect((await stat(join(dir, 'tmp', leftovers[0] ?? ''))).size).to.be.at.least((killAfter - 1) * 1024 * 1024);
      expect(await filesUnder(join(dir, 'blobs'))).to.deep.equal([]);
      const store = new LocalBlobStore(dir);
      expect(await store.head(sha256Of(content))).to.equal(undefined);
      expect(await store.head(sha256Of(content.subarray(0, (killAfter - 1) * 1024 * 1024)))).to.equal(undefined);

      const stored = await store.put(Readable.from([content]));

      expect(stored).to.deep.equal({ sha256: sha256Of(content), size: content.length, created: true });
      expect(createHash('sha256').update(await readAll(await store.get(stored.sha256))).digest('hex')).to.equal(stored.sha256);
    });

    it('when leftover temporary files are swept, then only those older than the grace period are removed', async () => {
      const store = new LocalBlobStore(dir);
      await store.put(Readable.from([Buffer.from('creates the temporary area')]));
      const now = new Date('2026-06-01T12:00:00Z');
      await writeFile(join(dir, 'tmp', 'old.part'), 'crashed long ago');
      await writeFile(join(dir, 'tmp', 'recent.part'), 'maybe still being written');
      await utimes(join(dir, 'tmp', 'old.part'), new Date(now.getTime() - 2 * 3600_000), new Date(now.getTime() - 2 * 3600_000));
      await utimes(join(dir, 'tmp', 'recent.part'), new Date(now.getTime() - 60_000), new Date(now.getTime() - 60_000));
      expect(await store.sweepTemporary(3600_000, now)).to.equal(1);
      expect(await readdir(join(dir, 'tmp'))).to.deep.equal(['recent.part']);
    });

    it('when a transaction inserting many records is killed before commit, then after reopening none exist and the database is intact', async function () {
      this.timeout(30_000);
      const committed = [1, 2, 3].map((n) => anArtifact(n));
      const pending = Array.from({ length: 2000 }, (_, index) => anArtifact(100 + index, index % 2 === 0 ? 'model' : 'dataset'));
      const fixtures = join(dir, 'records.json');
      const script = join(dir, 'database-writer.js');
      await writeFile(fixtures, JSON.stringify({ committed, pending }));
      await writeFile(script, DATABASE_WRITER);
      const dataDir = join(dir, 'data');

      const marker = await runAndKillAtMarker(script, [dataDir, SOURCE, fixtures], 'MID-TRANSACTION');

      const [walBefore, walDuring] = marker.split(' ').slice(1).map(Number);
      expect(walDuring, 'uncommitted pages reached the WAL before the kill').to.be.greaterThan(walBefore ?? Infinity);
      const db = openLocalDatabase(dataDir);
      try {
        expect(db.pragma('integrity_check', { simple: true })).to.equal('ok');
        const repository = new LocalArtifactRepository(db);
        expect(await repository.count()).to.equal(committed.length);
        expect((await repository.list({}, undefined, 10)).map((record) => record.id)).to.deep.equal(committed.map((record) => record.id));
        expect(await repository.get(artifactId(100))).to.equal(undefined);
        expect(await repository.isBlobReferenced(packageOf(pending[0]).full.sha256)).to.equal(false);
        await repository.create(pending[0] ?? anArtifact(100));
        expect(await repository.count()).to.equal(committed.length + 1);
      } finally {
        db.close();
      }
    });

    it('when a process is killed right after answering token uses and rating reads, then every answered use and RATE entry is still there', async function () {
      this.timeout(30_000);
      const script = join(dir, 'token-spender.js');
      await writeFile(script, TOKEN_SPENDER);
      const dataDir = join(dir, 'data');
      const marker = await runAndKillAtMarker(script, [dataDir, SOURCE], 'ANSWERED');
      expect(marker).to.equal('ANSWERED 40');
      const db = openLocalDatabase(dataDir);
      try {
        expect(db.prepare('SELECT uses FROM tokens').get()).to.deep.equal({ uses: 40 });
        expect(db.prepare('SELECT COUNT(*) AS n FROM audit').get()).to.deep.equal({ n: 40 });
      } finally {
        db.close();
      }
    });

    it('when a process committing groups in a loop is killed three times, then after each restart every group is all there or not at all', async function () {
      this.timeout(60_000);
      const script = join(dir, 'group-writer.js');
      await writeFile(script, GROUP_WRITER);
      const dataDir = join(dir, 'data');
      const contract = join(ROOT, 'test/support/storage-contract.ts');
      let committedBefore = 0;
      for (let round = 0; round < 3; round += 1) {
        const marker = await runAndKillAtMarker(script, [dataDir, SOURCE, contract, '20'], 'GO');

        const db = openLocalDatabase(dataDir);
        try {
          expect(db.pragma('integrity_check', { simple: true })).to.equal('ok');
          const repository = new LocalArtifactRepository(db);
          const groups = ((await repository.get(artifactId(1)))?.revision ?? 0) - 1;
          expect(groups, `killed after "${marker}"`).to.be.at.least(Number(marker.split(' ')[1]) + 1).and.greaterThan(committedBefore);
          const expected = [artifactId(1)];
          for (let i = 0; i < groups; i += 1) expected.push(artifactId(1000 + 2 * i));
          if (groups > 0) expected.push(artifactId(1001 + 2 * (groups - 1)));
          expected.sort();
          expect((await repository.list({}, undefined, 10_000)).map((record) => record.id)).to.deep.equal(expected);
          expect(await repository.count()).to.equal(expected.length);
          // The unique source index, blob references and text index moved with the records.
          const referenced = db.prepare<[], { id: string }>('SELECT DISTINCT artifact_id AS id FROM artifact_blobs ORDER BY artifact_id').all();
          expect(referenced.map((row) => row.id)).to.deep.equal(expected);
          const indexed = db.prepare<[], { id: string }>('SELECT id FROM artifact_search_ids ORDER BY id').all();
          expect(indexed.map((row) => row.id)).to.deep.equal(expected);
          const last = `group-${groups - 1}`;
          expect(await repository.textIndex.candidates([[last]], undefined, 10)).to.deep.equal(
            (await repository.list({ name: last }, undefined, 10)).map((record) => record.id),
          );
          expect(await repository.textIndex.candidates([[`group-${groups}`]], undefined, 10)).to.deep.equal([]);
          committedBefore = groups;
        } finally {
          db.close();
        }
      }
    });

    it('when several processes open one fresh data directory at the same instant, then each one migrates it or finds it migrated, and none fails', async function () {
      this.timeout(60_000);
      const dataDir = join(dir, 'data');
      const opener = `const { openLocalDatabase } = require(${JSON.stringify(join(SOURCE, 'local-database.ts'))});
const start = Number(process.argv[2]);
while (Date.now() < start) {}
openLocalDatabase(${JSON.stringify(dataDir)}).close();
process.stdout.write('OPENED');`;
      const start = String(Date.now() + 3000);
      const outcomes = await Promise.all(Array.from({ length: 8 }, () => new Promise<string>((done) => {
        const child = spawn(process.execPath, ['-r', 'ts-node/register', '-e', opener, start], {
          cwd: ROOT, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') }, stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.once('exit', () => done(output));
      })));
      expect(outcomes).to.deep.equal(Array.from({ length: 8 }, () => 'OPENED'));
      const db = openLocalDatabase(dataDir);
      try {
        expect(db.pragma('integrity_check', { simple: true })).to.equal('ok');
      } finally {
        db.close();
      }
    });

    it('when the database was written by a newer schema version, then opening it fails with a clear error and leaves it untouched', async () => {
      const dataDir = join(dir, 'data');
      await rm(dataDir, { recursive: true, force: true });
      openLocalDatabase(dataDir).close();
      const newer = new Database(join(dataDir, 'registry.db'));
      newer.pragma('user_version = 99');
      newer.close();

      expect(() => openLocalDatabase(dataDir)).to.throw(/newer registry \(schema 99\); upgrade first/);

      const check = new Database(join(dataDir, 'registry.db'), { readonly: true });
      try {
        expect(check.pragma('user_version', { simple: true })).to.equal(99);
      } finally {
        check.close();
      }
    });
  });
});
