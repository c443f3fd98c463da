import { expect } from 'chai';
import { Readable } from 'node:stream';
import { SweepUnusedContent } from '../../../src/application/sweep-unused-content.use-case';
import type { ArtifactRecord } from '../../../src/domain/artifact';
import { aRecord, silentLogger, useCaseFixture } from '../../support/use-case-fixture';

const HOUR = 60 * 60 * 1000;

describe('SweepUnusedContent: removes content nothing refers to, after a grace period', () => {
  const setup = async () => {
    const f = useCaseFixture();
    const put = async (text: string): Promise<string> => (await f.blobs.put(Readable.from([Buffer.from(text)]))).sha256;
    const referenced = await put('content a record refers to');
    const orphan = await put('content a crashed upload left');
    const leased = await put('content a writer elsewhere is about to record');
    const record = aRecord({ id: '01JD0000000000000000000001' });
    await f.repository.create({ ...record, package: { ...record.package, full: { sha256: referenced, size: 1, fileCount: 1 }, parts: {} } } as ArtifactRecord);
    const sweeper = new SweepUnusedContent(f.blobs, f.guard, f.intake, f.clock, silentLogger, HOUR);
    /** The sweeper's clock, this long after the blobs were stored. */
    const later = (ms: number): void => {
      f.clock.current = new Date(Date.now() + ms);
    };
    return { ...f, referenced, orphan, leased, sweeper, later };
  };

  it('when the content is younger than the grace period, then nothing is even examined', async () => {
    const s = await setup();
    s.later(HOUR / 2);

    expect(await s.sweeper.execute()).to.deep.include({ examinedBlobs: 0, removedBlobs: 0 });
    expect(await s.blobs.head(s.orphan)).to.not.equal(undefined);
  });

  it('when it is older, then the orphan goes, and referenced or leased content stays', async () => {
    const s = await setup();
    s.later(2 * HOUR);
    // A live lease: a writer stored this content and has not recorded it yet.
    await s.guard.secure(s.leased, async () => undefined);

    expect(await s.sweeper.execute()).to.deep.include({ examinedBlobs: 3, removedBlobs: 1 });
    expect(await s.blobs.head(s.orphan)).to.equal(undefined);
    expect(await s.blobs.head(s.referenced)).to.not.equal(undefined);
    expect(await s.blobs.head(s.leased)).to.not.equal(undefined);
  });

  it('when a writer crashed holding a lease, then once the lease has expired the sweep removes it and the content it protected', async () => {
    const s = await setup();
    s.later(2 * HOUR);
    await s.claims.put({ kind: 'lease', sha256: s.leased, holder: 'dead', expiresAt: new Date(s.clock.now().getTime() - 1) });

    expect(await s.sweeper.execute()).to.deep.include({ examinedBlobs: 3, removedBlobs: 2, expiredClaims: 1 });
    expect(await s.blobs.head(s.leased)).to.equal(undefined);
    expect(await s.claims.list('lease')).to.deep.equal([]);
  });
});
