import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalDatabase } from '../../../src/adapters/storage/local/local-database';
import { LocalArtifactRepository } from '../../../src/adapters/storage/local/local-artifact-repository';
import { isDeeplyFrozen } from '../../../src/domain/immutable';
import { GetRating } from '../../../src/application/analysis.use-cases';
import { RegisterPackage } from '../../../src/application/register-package.use-case';
import type { ArtifactRepository, ReadOptions } from '../../../src/ports/artifact-repository.port';
import { ratingServiceFor, reader, uploader, useCaseFixture } from '../../support/use-case-fixture';

describe('GetRating on a cached rating', () => {
  it('when a rating is read twice, then only the first read loads the model with its evidence', async () => {
    const f = useCaseFixture();
    const register = new RegisterPackage(f.intake, f.repository, f.audit, f.ids, f.clock, ratingServiceFor(f));
    const zip = f.archive.add('bert.zip', ['README.md', 'config.json', 'model.safetensors'], '# BERT base\n');
    const model = await register.execute({ actor: uploader, type: 'model', zipPath: zip, name: 'bert' });
    // The local store is the one that reads light records for real; the model is copied into it.
    const dir = await mkdtemp(join(tmpdir(), 'tmr-rating-'));
    const db = openLocalDatabase(dir);
    try {
      await rateTwice(db, f, model.id);
    } finally {
      db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** Copies the model into a real local store, then rates it twice, noting which reads asked for the evidence. */
async function rateTwice(db: ReturnType<typeof openLocalDatabase>, f: ReturnType<typeof useCaseFixture>, id: string): Promise<void> {
  const local = new LocalArtifactRepository(db);
  await local.create((await f.repository.get(id))!);
  const reads: (ReadOptions | undefined)[] = [];
  // The real store, with every read noted: whether it asked for the assessment.
  const observed = Object.create(local, {
    get: { value: (wanted: string, options?: ReadOptions) => {
      reads.push(options);
      return local.get(wanted, options);
    } },
  }) as ArtifactRepository;
  const ratings = ratingServiceFor({ repository: observed as typeof f.repository, clock: f.clock });
  const getRating = new GetRating(observed, ratings, f.audit, f.clock);

  reads.length = 0;
  const first = await getRating.execute({ actor: reader, id });
  const wholeOnFirst = reads.filter((options) => options?.assessment !== false).length;
  reads.length = 0;
  const second = await getRating.execute({ actor: reader, id });

  expect(second.rating).to.deep.equal(first.rating);
  // Every reader shares the one cached view, so none may change it (and its JSON may be made once).
  expect(second).to.equal(first);
  expect(isDeeplyFrozen(second) && isDeeplyFrozen(second.rating)).to.equal(true);
  expect(wholeOnFirst, 'the first read rates from the evidence').to.equal(1);
  expect(reads.filter((options) => options?.assessment !== false), 'the cached read never loads the evidence').to.deep.equal([]);
}
