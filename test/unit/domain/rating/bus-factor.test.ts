import { expect } from 'chai';
import { busFactor } from '../../../../src/domain/rating';
import { anEvidence, aRepo } from './evidence-mother';
import { codeFromReference, evidenceFromReference, referenceModel, referenceRepos } from './reference-evidence';

const repo = (id: string) => {
  const found = referenceRepos()[id];
  if (!found) throw new Error(`no reference repository ${id}`);
  return found;
};

describe('bus_factor', () => {
  it('when one maintainer made most commits of a repository with many contributors, then concentration is low but breadth is full', () => {
    const result = busFactor(anEvidence({ code: codeFromReference(repo('google-research/bert')) }));

    expect(result.inputs).to.include({ basis: 'repository', contributors: 30, commits: 111, keyPeople: 1, breadth: 1 });
    expect(result.value).to.be.closeTo(0.5 / 3 + 0.5, 1e-9);
    expect(result.explanation[0]).to.equal('1 of 30 contributors to google-research/bert made 59% of its 111 commits');
  });

  it('when it takes three people to cover half the commits, then concentration is full', () => {
    const result = busFactor(anEvidence({ code: codeFromReference(repo('google-research/big_vision')) }));

    expect(result.inputs['keyPeople']).to.equal(3);
    expect(result.inputs['concentration']).to.equal(1);
  });

  it('when a repository has a single contributor, then both halves are at their minimum', () => {
    const result = busFactor(anEvidence({ code: codeFromReference(repo('kabirraymalik/gello-bimanual-ur3')) }));

    expect(result.value).to.be.closeTo(0.5 / 3, 1e-9);
  });

  it('when no repository is linked, then the documented Hub proxy is used and the explanation says so', () => {
    const result = busFactor(evidenceFromReference(referenceModel('parvk11/audience_classifier_model')));

    expect(result.inputs).to.include({ basis: 'hub-proxy', ownership: 'unknown', downloads: 1134 });
    expect(result.explanation[0]).to.contain('no code repository is linked, so this is a proxy');
  });

  it('when the Hub id has no owner, then it counts as a canonical model maintained by an organisation', () => {
    const result = busFactor(evidenceFromReference(referenceModel('gpt2')));

    expect(result.inputs['ownership']).to.equal('canonical');
    expect(result.value).to.equal(1);
  });

  it('when the owner is known to be an individual with few downloads, then the proxy is low', () => {
    const result = busFactor(anEvidence({ model: { repo: 'someone/model', authorKind: 'user', downloads: 9 } }));

    expect(result.value).to.be.closeTo(0.5 * 0.3 + 0.5 * (1 / 6), 1e-9);
  });

  it('when a repository is linked but reports no contributors, then the proxy is used and names the repository', () => {
    const result = busFactor(anEvidence({ code: aRepo({ contributors: [] }) }));

    expect(result.inputs['basis']).to.equal('hub-proxy');
    expect(result.explanation[0]).to.contain('acme/tiny-model-code has no contributor data');
  });
});
