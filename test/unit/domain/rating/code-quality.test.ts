import { expect } from 'chai';
import { codeQuality } from '../../../../src/domain/rating';
import { aCard, anEvidence, aRepo } from './evidence-mother';
import { codeFromReference, evidenceFromReference, referenceModel, referenceRepos } from './reference-evidence';

const repo = (id: string) => {
  const found = referenceRepos()[id];
  if (!found) throw new Error(`no reference repository ${id}`);
  return found;
};

describe('code_quality', () => {
  it('when the linked repository has tests, CI, README, lint config, a manifest and a recent push, then the score is full', () => {
    const result = codeQuality(evidenceFromReference(referenceModel('openai/whisper-tiny')));

    expect(result.value).to.equal(1);
    expect(Object.keys(result.inputs['found'] as object)).to.have.members(['tests', 'ci', 'lint', 'manifest', 'readme']);
  });

  it('when the repository is archived, then activity earns nothing and the explanation says why', () => {
    const result = codeQuality(anEvidence({ code: codeFromReference(repo('google-research/bert')) }));

    expect(result.value).to.be.closeTo(0.25 + 0.15 + 0.1, 1e-9);
    expect(result.explanation).to.include('repository is archived: no maintenance expected (activity 0)');
  });

  it('when the last push is two years before collection, then activity is halfway down its linear fall', () => {
    const result = codeQuality(anEvidence({ collectedAt: '2025-12-15T00:00:00Z', code: aRepo({ files: [], pushedAt: '2023-12-16T00:00:00Z' }) }));

    expect(result.inputs['daysSincePush']).to.equal(730);
    expect(result.inputs['activity']).to.be.closeTo(0.5, 1e-9);
  });

  it('when the tree listing was truncated, then missing checks are flagged as possibly present', () => {
    const result = codeQuality(anEvidence({ code: aRepo({ files: [{ path: 'README.md', size: 10 }], filesTruncated: true }) }));

    expect(result.explanation.join(' ')).to.contain('the file listing was truncated');
  });

  it('when there is no repository but the package ships code with tests, then the package checks are re-normalised', () => {
    const files = [{ path: 'modeling_acme.py', size: 9000 }, { path: 'tests/test_modeling.py', size: 900 }, { path: 'requirements.txt', size: 50 }];

    const result = codeQuality(anEvidence({ files, card: aCard('# Acme') }));

    expect(result.value).to.be.closeTo((0.25 + 0.15 + 0.1) / 0.6, 1e-9);
    expect(result.inputs['basis']).to.equal('package');
  });

  it('when there is no code at all, then the metric does not apply and is 0', () => {
    const result = codeQuality(evidenceFromReference(referenceModel('parvk11/audience_classifier_model')));

    expect(result).to.deep.include({ value: 0, applicable: false });
  });
});
