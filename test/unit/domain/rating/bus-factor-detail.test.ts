import { expect } from 'chai';
import { busFactor } from '../../../../src/domain/rating';
import { anEvidence, aRepo } from './evidence-mother';

const people = (...counts: number[]) => counts.map((contributions, i) => ({ login: `dev${i}`, contributions }));
const fromRepo = (...counts: number[]) => busFactor(anEvidence({ code: aRepo({ contributors: people(...counts) }) }));

describe('bus_factor in detail', () => {
  describe('from a linked repository', () => {
    it('when contributors are listed in any order, then the top contributors are counted from the largest down', () => {
      const result = fromRepo(1, 1, 1, 7);

      expect(result.inputs).to.deep.equal({
        basis: 'repository', repo: 'acme/tiny-model-code', contributors: 4, commits: 10, keyPeople: 1, keyPeopleShare: 0.7,
        concentration: 1 / 3, breadth: Math.log10(4) / Math.log10(20),
      });
      expect(result.applicable).to.equal(true);
      expect(result.value).to.be.closeTo(0.5 / 3 + 0.5 * Math.log10(4) / Math.log10(20), 1e-12);
    });

    it('when the top contributors reach exactly half the commits, then no one more is counted', () => {
      const result = fromRepo(5, 3, 2);

      expect(result.inputs['keyPeople']).to.equal(1);
      expect(result.inputs['keyPeopleShare']).to.equal(0.5);
    });

    it('when it takes more than three people to cover half the commits, then concentration stops at 1', () => {
      const result = fromRepo(1, 1, 1, 1, 1, 1, 1, 1, 1, 1);

      expect(result.inputs['keyPeople']).to.equal(5);
      expect(result.inputs['concentration']).to.equal(1);
      expect(result.value).to.be.closeTo(0.5 + 0.5 * Math.log10(10) / Math.log10(20), 1e-12);
    });

    it('when contributors with no commits are listed, then they count neither as people nor as commits', () => {
      const result = fromRepo(4, 0, 2, 0);

      expect(result.inputs).to.include({ contributors: 2, commits: 6, keyPeople: 1 });
      expect(result.explanation[0]).to.equal('1 of 2 contributors to acme/tiny-model-code made 67% of its 6 commits');
    });

    it('when only contributors with no commits are listed, then the Hub proxy is used', () => {
      expect(fromRepo(0, 0).inputs['basis']).to.equal('hub-proxy');
    });

    it('explains both halves with the points at which they are full', () => {
      const result = fromRepo(3, 1);

      expect(result.explanation).to.deep.equal([
        '1 of 2 contributors to acme/tiny-model-code made 75% of its 4 commits',
        'concentration 0.333 (full at 3 people covering half the commits), breadth 0.231 (full at 20 contributors)',
      ]);
    });

    it('when there is one contributor with one commit, then the explanation uses the singular', () => {
      expect(fromRepo(1).explanation[0]).to.equal('1 of 1 contributor to acme/tiny-model-code made 100% of its 1 commit');
    });

    it('when the linked repository could not be read, then there is no value and the proxy is not used', () => {
      const result = busFactor(anEvidence({ model: { repo: 'acme/m', authorKind: 'organization', downloads: 5_000_000 }, code: aRepo({ unavailable: 'rate limited', contributors: people(9) }) }));

      expect(result).to.deep.equal({
        value: -1,
        applicable: false,
        unavailable: 'the linked repository acme/tiny-model-code could not be read (rate limited)',
        inputs: { repo: 'acme/tiny-model-code', unavailable: 'the linked repository acme/tiny-model-code could not be read (rate limited)' },
        explanation: ['the evidence could not be collected: the linked repository acme/tiny-model-code could not be read (rate limited); not scored (-1) until it is re-collected'],
      });
    });
  });

  describe('from the Hub proxy', () => {
    it('when an organisation owns a model with more downloads than the full mark, then both halves are full and the explanation cites them', () => {
      const result = busFactor(anEvidence({ model: { repo: 'acme/m', authorKind: 'organization', downloads: 3_000_000 } }));

      expect(result.value).to.equal(1);
      expect(result.applicable).to.equal(true);
      expect(result.inputs).to.deep.equal({ basis: 'hub-proxy', ownership: 'organization', ownershipScore: 1, downloads: 3_000_000, popularity: 1 });
      expect(result.explanation).to.deep.equal([
        'no code repository is linked, so this is a proxy: who owns the Hub repository and how widely it is used',
        'owned by an organisation (1); 3,000,000 downloads give popularity 1 (full at 1,000,000)',
      ]);
    });

    it('when the downloads are unknown, then popularity is 0 and an unknown owner gives half of its half', () => {
      const result = busFactor(anEvidence({ model: { repo: 'acme/m' } }));

      expect(result.inputs).to.deep.equal({ basis: 'hub-proxy', ownership: 'unknown', ownershipScore: 0.5, downloads: 0, popularity: 0 });
      expect(result.value).to.equal(0.25);
      expect(result.explanation[1]).to.equal('owned by an owner of unknown kind (0.5); 0 downloads give popularity 0 (full at 1,000,000)');
    });

    it('names an individual owner and a canonical model in the explanation', () => {
      const user = busFactor(anEvidence({ model: { repo: 'someone/m', authorKind: 'user', downloads: 999 } }));
      const canonical = busFactor(anEvidence({ model: { repo: 'gpt2', downloads: 999 } }));

      expect(user.explanation[1]).to.equal('owned by an individual user (0.3); 999 downloads give popularity 0.5 (full at 1,000,000)');
      expect(canonical.explanation[1]).to.equal('owned by a canonical Hub model (no owner in its id) (1); 999 downloads give popularity 0.5 (full at 1,000,000)');
    });

    it('when an id without an owner does not come from Hugging Face, then it is not taken for a canonical model', () => {
      const result = busFactor(anEvidence({ origin: 'upload', model: { repo: 'gpt2' } }));

      expect(result.inputs['ownership']).to.equal('unknown');
    });

    it('when the Hub names the author kind, then it wins over the shape of the id', () => {
      expect(busFactor(anEvidence({ model: { repo: 'gpt2', authorKind: 'user' } })).inputs['ownership']).to.equal('user');
    });
  });
});
