import { expect } from 'chai';
import { treeScore } from '../../../../src/domain/rating';
import { anEvidence } from './evidence-mother';

describe('tree_score', () => {
  it('when two parents are rated, then the score is the mean of their net scores', () => {
    const result = treeScore(anEvidence(), { parents: [{ id: 'a', name: 'bert-base-uncased', netScore: 0.8 }, { id: 'b', name: 'squad-tuned', netScore: 0.4 }] });

    expect(result.value).to.be.closeTo(0.6, 1e-9);
    expect(result.applicable).to.equal(true);
  });

  it('when a parent is not rated, then it is listed but not averaged', () => {
    const result = treeScore(anEvidence(), { parents: [{ id: 'a', name: 'bert', netScore: 0.9 }, { id: 'ext-1', name: 'external/base' }] });

    expect(result.value).to.equal(0.9);
    expect(result.explanation[1]).to.equal('not rated, so not averaged: external/base');
  });

  it('when the model has no parents, then the value is 0 and the metric does not apply', () => {
    const result = treeScore(anEvidence(), {});

    expect(result).to.deep.include({ value: 0, applicable: false });
  });

  it('when all parents are unrated, then the metric does not apply and names them', () => {
    const result = treeScore(anEvidence(), { parents: [{ id: 'ext-1', name: 'external/base' }] });

    expect(result.applicable).to.equal(false);
    expect(result.explanation[0]).to.contain('external/base');
  });
});
