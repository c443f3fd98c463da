import { Readable } from 'node:stream';
import { expect } from 'chai';
import type { BlobStore } from '../../src/ports/blob-store.port';
import { EVERY_BLOB, type Claim, type LeaseStore } from '../../src/ports/lease-store.port';
import { sha256Of, type SubjectFactory } from './storage-contract';

function withSubject<T>(factory: SubjectFactory<T>): () => T {
  let current: { subject: T; close(): Promise<void> } | undefined;
  beforeEach(async () => {
    current = await factory();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return () => {
    if (current === undefined) throw new Error('no subject');
    return current.subject;
  };
}

const byHolder = (claims: readonly Claim[]): Claim[] => [...claims].sort((a, b) => (a.holder < b.holder ? -1 : 1));

export function leaseStoreContract(name: string, factory: SubjectFactory<LeaseStore>): void {
  describe(`${name} honours the LeaseStore contract`, () => {
    const store = withSubject(factory);
    const expiresAt = new Date(Date.UTC(2026, 10, 30, 12, 0, 0));
    const a = sha256Of('a');
    const b = sha256Of('b');
    const lease = (sha256: string, holder: string): Claim => ({ kind: 'lease', sha256, holder, expiresAt });

    it('when claims are put, then each reads back whole, by blob and all together, and kinds stay apart', async () => {
      await store().put(lease(a, 'aa01'));
      await store().put(lease(a, 'aa02'));
      await store().put(lease(b, 'bb01'));
      await store().put({ kind: 'deletion', sha256: EVERY_BLOB, holder: 'cc01', expiresAt });

      expect(byHolder(await store().list('lease', a))).to.deep.equal([lease(a, 'aa01'), lease(a, 'aa02')]);
      expect(byHolder(await store().list('lease'))).to.deep.equal([lease(a, 'aa01'), lease(a, 'aa02'), lease(b, 'bb01')]);
      expect(await store().list('deletion')).to.deep.equal([{ kind: 'deletion', sha256: EVERY_BLOB, holder: 'cc01', expiresAt }]);
      expect(await store().list('deletion', a)).to.deep.equal([]);
    });

    it('when a claim is removed, then only that one goes, and removing it again is no error', async () => {
      await store().put(lease(a, 'aa01'));
      await store().put(lease(a, 'aa02'));

      await store().remove(lease(a, 'aa01'));
      await store().remove(lease(a, 'aa01'));

      expect(await store().list('lease', a)).to.deep.equal([lease(a, 'aa02')]);
    });
  });
}

export function blobListingContract(name: string, factory: SubjectFactory<BlobStore>): void {
  describe(`${name} lists what it stores`, () => {
    const store = withSubject(factory);

    it('when blobs are put and one deleted, then the listing has exactly the others, with when they were stored', async () => {
      const shas: string[] = [];
      for (const text of ['one', 'two', 'three']) shas.push((await store().put(Readable.from([Buffer.from(text)]))).sha256);
      await store().delete(shas[1] as string);

      const listed = [];
      for await (const blob of store().list()) listed.push(blob);

      expect(listed.map((blob) => blob.sha256).sort()).to.deep.equal([shas[0], shas[2]].sort());
      for (const blob of listed) expect(blob.modifiedAt).to.be.instanceOf(Date);
    });
  });
}
