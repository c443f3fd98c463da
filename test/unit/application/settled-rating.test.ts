import { expect } from 'chai';
import type { ArtifactRecord } from '../../../src/domain/artifact';
import { RegisterPackage } from '../../../src/application/register-package.use-case';
import type { ArtifactRepository, ReadOptions } from '../../../src/ports/artifact-repository.port';
import { ratingServiceFor, uploader, useCaseFixture } from '../../support/use-case-fixture';

describe('RatingService serving a rating while nothing changed', () => {
  it('when a parent changes while the child\'s rating is being computed, then a read after the change is not answered with the rating computed before it', async () => {
    const f = useCaseFixture();
    const register = new RegisterPackage(f.intake, f.repository, f.audit, f.ids, f.clock, ratingServiceFor(f));
    const parent = await register.execute({ actor: uploader, type: 'model', name: 'parent-model', zipPath: f.archive.add('p.zip', ['README.md', 'config.json', 'model.safetensors'], '# Parent\n') });
    const registered = await register.execute({ actor: uploader, type: 'model', name: 'child-model', zipPath: f.archive.add('c.zip', ['README.md', 'config.json', 'model.safetensors'], '# Child\n') });
    // The card names the parent (the archive stand-in reads no front matter).
    const child = { ...registered, revision: registered.revision + 1, card: { text: '# Child\n', metadata: { base_model: 'acme/parent-model' } } };
    await f.repository.update(child, registered.revision);

    // The child's whole record is held back on request, pausing a computation after it read the parent.
    let release: () => void = () => undefined;
    let holding = false;
    const held = new Proxy(f.repository, {
      get(target, property, receiver) {
        if (property !== 'get') return Reflect.get(target, property, receiver) as unknown;
        return async (id: string, options?: ReadOptions) => {
          if (holding && id === child.id && options?.assessment !== false) await new Promise<void>((done) => { release = done; });
          return (target as ArtifactRepository).get(id, options);
        };
      },
    }) as ArtifactRepository;
    const ratings = ratingServiceFor({ repository: held as typeof f.repository, clock: f.clock });
    // Read without its evidence, as GetRating reads it, so the computation loads the whole record.
    const { assessment: _evidence, ...light } = (await f.repository.get(child.id))!;

    holding = true;
    const before = ratings.current(light, () => held.get(child.id) as Promise<ArtifactRecord>);
    await new Promise((done) => setTimeout(done, 10));
    // The parent's score changes meanwhile.
    const stored = (await f.repository.get(parent.id))!;
    const assessment = stored.assessment!;
    await f.repository.update({ ...stored, revision: stored.revision + 1, assessment: { ...assessment, rating: { ...assessment.rating, net_score: 0.01 } } }, stored.revision);
    holding = false;
    const after = ratings.current(light, () => held.get(child.id) as Promise<ArtifactRecord>);
    release();
    await before;
    const served = await after;
    const again = await ratings.current(light, () => held.get(child.id) as Promise<ArtifactRecord>);

    const truth = await ratingServiceFor(f).current(light, async () => (await f.repository.get(child.id))!);
    expect((await before).rating.tree_score, 'the read that began before the change').to.not.equal(truth.rating.tree_score);
    expect(served.rating.tree_score, 'the read that began after the change').to.equal(truth.rating.tree_score);
    expect(again.rating.tree_score, 'the read after that, from the cache').to.equal(truth.rating.tree_score);
  });
});
