import { expect } from 'chai';
import { performanceClaims } from '../../../../src/domain/rating';
import { modelIndexResults } from '../../../../src/domain/rating/performance-claims.metric';
import { aCard, anEvidence } from './evidence-mother';
import { evidenceFromReference, referenceModel } from './reference-evidence';

describe('performance_claims', () => {
  it('when the card metadata has model-index results, then they are counted and cited', () => {
    const result = performanceClaims(evidenceFromReference(referenceModel('openai/whisper-tiny')));

    expect(result.inputs['modelIndexResults']).to.equal(3);
    expect(result.explanation[0]).to.equal('card metadata states 3 model-index results (e.g. LibriSpeech (clean): wer=7.54)');
    expect(result.value).to.equal(0.7);
  });

  it('when the card has a GLUE results table, an evaluation section and a paper, then all but model-index count', () => {
    const result = performanceClaims(evidenceFromReference(referenceModel('google-bert/bert-base-uncased')));

    expect(result.value).to.be.closeTo(0.6, 1e-9);
    expect(result.inputs['benchmarks']).to.include.members(['GLUE', 'MNLI']);
  });

  it('when a number is stated next to a benchmark in prose, then it counts as a numeric result', () => {
    const result = performanceClaims(anEvidence({ card: aCard('## Results\n\nThis model reaches an F1 score of 86.9 on the SQuAD v1.1 dev set.\n') }));

    expect(result.inputs['statedResults']).to.equal(1);
    expect(result.value).to.be.closeTo(0.3 + 0.1 + 0.1, 1e-9);
  });

  it('when there is no card, then nothing is claimed', () => {
    expect(performanceClaims(anEvidence()).value).to.equal(0);
  });

  it('when model-index entries are malformed, then they are skipped rather than thrown on', () => {
    const metadata = { 'model-index': [null, 'x', { results: [{ metrics: [{ value: 'high' }, { type: 'acc', value: 0.91 }] }, 7] }] };

    expect(modelIndexResults(metadata)).to.deep.equal(['unnamed dataset: acc=0.91']);
  });
});
