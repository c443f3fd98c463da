import { expect } from 'chai';
import { datasetAndCodeScore } from '../../../../src/domain/rating';
import { aCard, anEvidence, aRepo } from './evidence-mother';
import { evidenceFromReference, referenceModel } from './reference-evidence';

describe('dataset_and_code_score', () => {
  it('when training datasets are named and the code repository is linked, then the score is full', () => {
    const result = datasetAndCodeScore(evidenceFromReference(referenceModel('google-bert/bert-base-uncased')));

    expect(result.value).to.equal(1);
    expect(result.explanation).to.deep.equal(['names 2 training datasets: bookcorpus, wikipedia', 'code is linked: google-research/bert']);
  });

  it('when the training data is only described in prose, then the data half is a quarter', () => {
    const result = datasetAndCodeScore(evidenceFromReference(referenceModel('openai/whisper-tiny')));

    expect(result.inputs).to.include({ data: 0.25, code: 0.5, dataSection: 'Training Data' });
  });

  it('when no repository is linked but the card shows example code, then the code half is a quarter', () => {
    const result = datasetAndCodeScore(anEvidence({ card: aCard('```python\nfrom transformers import AutoModel\nAutoModel.from_pretrained("acme/tiny-model")\n```') }));

    expect(result.value).to.equal(0.25);
  });

  it('when the package ships training scripts, then code is present without a repository', () => {
    const result = datasetAndCodeScore(anEvidence({ files: [{ path: 'train.py', size: 4000 }], model: { repo: 'a/b', tags: ['dataset:squad'] } }));

    expect(result.value).to.equal(1);
    expect(result.inputs['datasets']).to.deep.equal(['squad']);
  });

  it('when nothing is named, described, linked or shipped, then the score is 0', () => {
    expect(datasetAndCodeScore(anEvidence()).value).to.equal(0);
  });

  it('when only a repository is linked, then the code half alone is earned', () => {
    expect(datasetAndCodeScore(anEvidence({ code: aRepo() })).value).to.equal(0.5);
  });
});
