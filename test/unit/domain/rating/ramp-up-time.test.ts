import { expect } from 'chai';
import { rampUpTime } from '../../../../src/domain/rating';
import { aCard, anEvidence } from './evidence-mother';
import { evidenceFromReference, referenceModel } from './reference-evidence';

describe('ramp_up_time', () => {
  it('when the card teaches usage with code, prose, links and the model ships config and tokenizer, then the score is full', () => {
    const result = rampUpTime(evidenceFromReference(referenceModel('google-bert/bert-base-uncased')));

    expect(result.value).to.equal(1);
    expect(result.inputs['usageSection']).to.equal('How to use');
    expect(result.explanation[0]).to.match(/^card has 12 sections, 11 with real content/);
  });

  it('when the card is the untouched Hub template, then placeholders earn nothing and the score stays low', () => {
    const result = rampUpTime(evidenceFromReference(referenceModel('parvk11/audience_classifier_model')));

    expect(result.value).to.be.below(0.25);
    expect(result.inputs['usageSection']).to.equal(null);
    expect(result.explanation.join(' ')).to.contain('40 template placeholders');
  });

  it('when there is no card, then only config and tokenizer files count', () => {
    const result = rampUpTime(anEvidence({ files: [{ path: 'config.json', size: 600 }, { path: 'tokenizer.json', size: 4000 }] }));

    expect(result.value).to.equal(0.1);
    expect(result.explanation[0]).to.equal('there is no model card, so nothing explains how to use the model');
  });

  it('when the card is empty, then the score is 0', () => {
    const result = rampUpTime(anEvidence({ card: aCard('') }));

    expect(result.value).to.equal(0);
    expect(result.inputs['words']).to.equal(0);
  });

  it('when a usage heading has only one template sentence, then it does not count as teaching usage', () => {
    const result = rampUpTime(anEvidence({ card: aCard('## How to Get Started with the Model\n\nUse the code below to get started with the model.\n') }));

    expect(result.inputs['usageSection']).to.equal(null);
  });

  it('when a usage section has a quick-start snippet, then usage, code and quick-start points are earned', () => {
    const card = '## Usage\n\n```python\nfrom transformers import pipeline\npipe = pipeline("fill-mask", model="acme/tiny-model")\n```\n';
    const parts = rampUpTime(anEvidence({ card: aCard(card) })).inputs['parts'] as Record<string, number>;

    expect(parts).to.include({ usageSection: 0.3, codeExample: 0.2, quickStart: 0.1 });
  });
});
