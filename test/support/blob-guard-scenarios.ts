import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { BlobGuard, DEFAULT_GUARD_TIMES } from '../../src/application/blob-guard';
import { ErrorCode } from '../../src/domain/errors';
import type { BlobStore, ByteRange, ListedBlob, StoredBlob } from '../../src/ports/blob-store.port';
import type { Claim, ClaimKind, LeaseStore } from '../../src/ports/lease-store.port';
import { expectRejection } from './zip-builder';
import { FixedClock } from './use-case-fixture';

/** A point one side stops at until the test lets it go on; `reached` settles when it got there. */
class Stop {
  reached!: Promise<void>;
  private arrive!: () => void;
  private release!: () => void;
  private readonly passed: Promise<void>;

  constructor() {
    this.reached = new Promise((done) => {
      this.arrive = done;
    });
    this.passed = new Promise((done) => {
      this.release = done;
    });
  }

  async at(): Promise<void> {
    this.arrive();
    await this.passed;
  }

  go(): void {
    this.release();
  }
}

/** One process's view of the claims, with a hook before each listing so a test can hold it there. */
class HookedClaims implements LeaseStore {
  beforeList: ((kind: ClaimKind) => Promise<void>) | undefined;

  constructor(private readonly inner: LeaseStore) {}

  put(claim: Claim): Promise<void> {
    return this.inner.put(claim);
  }

  remove(claim: Claim): Promise<void> {
    return this.inner.remove(claim);
  }

  async list(kind: ClaimKind, sha256?: string): Promise<Claim[]> {
    await this.beforeList?.(kind);
    return this.inner.list(kind, sha256);
  }
}

/** One process's view of the blobs, with a hook before a delete. */
class HookedBlobs implements BlobStore {
  beforeDelete: (() => Promise<void>) | undefined;

  constructor(private readonly inner: BlobStore) {}

  put(content: Readable, expectedSha256?: string): Promise<StoredBlob> {
    return this.inner.put(content, expectedSha256);
  }

  get(sha256: string, range?: ByteRange): Promise<Readable> {
    return this.inner.get(sha256, range);
  }

  head(sha256: string): Promise<number | undefined> {
    return this.inner.head(sha256);
  }

  async delete(sha256: string): Promise<void> {
    await this.beforeDelete?.();
    await this.inner.delete(sha256);
  }

  clear(): Promise<void> {
    return this.inner.clear();
  }

  list(): AsyncIterable<ListedBlob> {
    return this.inner.list();
  }
}

/** What each of two processes sees of one storage: its own adapters over the same data. */
export interface SharedStorage {
  readonly writer: { readonly claims: LeaseStore; readonly blobs: BlobStore };
  readonly deleter: { readonly claims: LeaseStore; readonly blobs: BlobStore };
  close(): Promise<void>;
}

const CONTENT = Buffer.from('the same weights, uploaded by two clients');
const SHA = createHash('sha256').update(CONTENT).digest('hex');

/**
 * Two guards stand for two registry processes on one storage: a writer that has just stored CONTENT
 * and a deleter releasing it. Steps are interleaved by holding one side at a hook while the other runs.
 */
function twoProcesses(storage: SharedStorage) {
  const claims = new HookedClaims(storage.writer.claims);
  const blobs = new HookedBlobs(storage.deleter.blobs);
  const clock = new FixedClock();
  let waits = 0;
  const pause = async (): Promise<void> => {
    waits += 1;
    await new Promise((done) => setImmediate(done));
  };
  const writerGuard = new BlobGuard(claims, storage.writer.blobs, clock, DEFAULT_GUARD_TIMES, pause);
  const deleterGuard = new BlobGuard(storage.deleter.claims, blobs, clock, DEFAULT_GUARD_TIMES, pause);
  let restores = 0;
  const store = () => storage.writer.blobs.put(Readable.from([CONTENT]));
  const restore = async () => {
    restores += 1;
    await store();
  };
  /** The deleter's `inUse`: live leases, no record refers to the content. */
  const inUse = (sha: string) => deleterGuard.isLeased(sha);
  return {
    claims, blobs, clock, writerGuard, deleterGuard, store, restore, inUse,
    waits: () => waits,
    restores: () => restores,
  };
}

/** The handshake's interleavings, each forced, over any storage two processes can share. */
export function blobGuardScenarios(name: string, open: () => Promise<SharedStorage>): void {
  describe(`BlobGuard over ${name}: a delete never removes content another process is about to refer to`, () => {
    let storage: SharedStorage | undefined;
    const setup = async () => {
      storage = await open();
      return twoProcesses(storage);
    };
    afterEach(async () => {
      await storage?.close();
      storage = undefined;
    });

    it('when the deleter checked before the lease and deletes after it, then the writer waits for the deletion and stores the content again', async () => {
      const p = await setup();
      await p.store();
      const deleterChecked = new Stop();
      p.blobs.beforeDelete = () => deleterChecked.at();

      const deletion = p.deleterGuard.removeUnless(SHA, p.inUse);
      await deleterChecked.reached;
      // The deleter saw no lease and is about to delete; only now does the writer lease.
      const writer = p.writerGuard.secure(SHA, p.restore);
      while (p.waits() === 0) await new Promise((done) => setImmediate(done));
      expect(p.restores(), 'the writer saw the deletion claim and waits').to.equal(0);
      deleterChecked.go();

      expect(await deletion).to.equal('removed');
      const lease = await writer;
      expect(p.restores()).to.equal(1);
      expect(await p.blobs.head(SHA), 'the content is there for the record the writer makes').to.equal(CONTENT.length);
      expect(await p.writerGuard.isLeased(SHA)).to.equal(true);
      await p.writerGuard.release(lease);
      expect(await p.writerGuard.isLeased(SHA)).to.equal(false);
    });

    it('when the lease is written before the deleter looks, then the deleter sees it and leaves the content', async () => {
      const p = await setup();
      await p.store();
      const writerLeased = new Stop();
      // Held after its lease is written, before it looks for deletion claims.
      p.claims.beforeList = async (kind) => {
        if (kind === 'deletion') {
          p.claims.beforeList = undefined;
          await writerLeased.at();
        }
      };
      const writer = p.writerGuard.secure(SHA, p.restore);
      await writerLeased.reached;

      expect(await p.deleterGuard.removeUnless(SHA, p.inUse)).to.equal('in-use');
      writerLeased.go();
      await writer;

      expect(p.restores()).to.equal(0);
      expect(await p.blobs.head(SHA)).to.equal(CONTENT.length);
    });

    it('when a whole deletion runs between the store and the lease, then the writer finds the content gone and stores it again', async () => {
      const p = await setup();
      await p.store();

      expect(await p.deleterGuard.removeUnless(SHA, p.inUse)).to.equal('removed');
      expect(await p.blobs.head(SHA)).to.equal(undefined);
      await p.writerGuard.secure(SHA, p.restore);

      expect(p.restores()).to.equal(1);
      expect(await p.blobs.head(SHA)).to.equal(CONTENT.length);
    });

    it('when the deleter finds the content in use while the writer looks, then the writer waits for the claim to go and stores nothing again', async () => {
      const p = await setup();
      await p.store();
      const writerLeased = new Stop();
      p.claims.beforeList = async (kind) => {
        if (kind === 'deletion') {
          p.claims.beforeList = undefined;
          await writerLeased.at();
        }
      };
      const writer = p.writerGuard.secure(SHA, p.restore);
      await writerLeased.reached;
      // The writer's lease is down; the deleter holds its claim while it decides.
      const deleterDeciding = new Stop();
      const deletion = p.deleterGuard.removeUnless(SHA, async (sha) => {
        const used = await p.inUse(sha);
        await deleterDeciding.at();
        return used;
      });
      await deleterDeciding.reached;
      writerLeased.go();
      while (p.waits() === 0) await new Promise((done) => setImmediate(done));
      deleterDeciding.go();

      expect(await deletion).to.equal('in-use');
      await writer;
      expect(p.restores()).to.equal(0);
      expect(await p.blobs.head(SHA)).to.equal(CONTENT.length);
    });

    it('when the deleter took longer than half its claim, then it leaves the content (a writer may already ignore its claim)', async () => {
      const p = await setup();
      await p.store();

      const outcome = await p.deleterGuard.removeUnless(SHA, async () => {
        p.clock.current = new Date(p.clock.current.getTime() + DEFAULT_GUARD_TIMES.deletionMs / 2 + 1);
        return false;
      });

      expect(outcome).to.equal('too-slow');
      expect(await p.blobs.head(SHA)).to.equal(CONTENT.length);
    });

    it('when a holder crashed, then its expired claim neither blocks a writer nor protects content, and a sweep removes it', async () => {
      const p = await setup();
      await p.store();
      const expired = new Date(p.clock.current.getTime() - 1);
      await p.claims.put({ kind: 'deletion', sha256: SHA, holder: 'dead01', expiresAt: expired });
      await p.claims.put({ kind: 'lease', sha256: SHA, holder: 'dead02', expiresAt: expired });

      expect(await p.deleterGuard.isLeased(SHA)).to.equal(false);
      const lease = await p.writerGuard.secure(SHA, p.restore);
      expect(p.waits(), 'an expired deletion claim is not waited for').to.equal(0);
      expect(await p.deleterGuard.sweepExpired()).to.equal(2);
      expect((await p.claims.list('lease')).map((claim) => claim.holder)).to.deep.equal([lease.holder]);
      expect(await p.claims.list('deletion')).to.deep.equal([]);
    });

    it('when a writer anywhere holds a live lease, then a reset is refused; a writer arriving during a reset is refused and leaves no lease', async () => {
      const p = await setup();
      await p.store();
      const lease = await p.writerGuard.secure(SHA, p.restore);
      await expectRejection(p.deleterGuard.exclusive(async () => 'reset'), ErrorCode.ArtifactConflict);
      await p.writerGuard.release(lease);

      const resetting = new Stop();
      const reset = p.deleterGuard.exclusive(() => resetting.at());
      await resetting.reached;
      await expectRejection(p.writerGuard.secure(SHA, p.restore), ErrorCode.RegistryResetting);
      expect(await p.claims.list('lease')).to.deep.equal([]);
      resetting.go();
      await reset;
      expect(await p.claims.list('deletion'), 'the reset dropped its claim').to.deep.equal([]);
    });
  });
}
