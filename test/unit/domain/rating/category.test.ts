import { expect } from 'chai';
import { category } from '../../../../src/domain/rating';
import { aCard, anEvidence } from './evidence-mother';
import { evidenceFromReference, referenceModel } from './reference-evidence';

describe('category', () => {
  it('when the Hub gives a pipeline tag, then it is the category', () => {
    expect(category(evidenceFromReference(referenceModel('parvk11/audience_classifier_model'))).value).to.equal('text-classification');
  });

  it('when there is no pipeline tag, then a task among the tags is used', () => {
    const result = category(evidenceFromReference(referenceModel('google/flan-t5-small')));

    expect(result.value).to.equal('text2text-generation');
    expect(result.inputs['source']).to.equal('a task among the tags');
  });

  it('when only the card metadata names the pipeline, then it is used', () => {
    expect(category(anEvidence({ card: aCard('', { pipeline_tag: 'image-classification' }) })).value).to.equal('image-classification');
  });

  it('when nothing names a task, then the category is unknown', () => {
    expect(category(anEvidence({ model: { repo: 'a/b', tags: ['pytorch'] } }))).to.deep.include({ value: 'unknown', applicable: false });
  });
});
