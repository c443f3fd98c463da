import { expect } from 'chai';
import { license } from '../../../../src/domain/rating';
import { aCard, anEvidence } from './evidence-mother';
import { evidenceFromReference, referenceModel } from './reference-evidence';

describe('license', () => {
  it('when the model is Apache-2.0, then it is fully permissive', () => {
    const result = license(evidenceFromReference(referenceModel('google-bert/bert-base-uncased')));

    expect(result.value).to.equal(1);
    expect(result.inputs['expression']).to.equal('Apache-2.0');
  });

  it('when no license is declared, then the score is 0 and the explanation says the license cannot be determined', () => {
    const result = license(evidenceFromReference(referenceModel('parvk11/audience_classifier_model')));

    expect(result.value).to.equal(0);
    expect(result.explanation[0]).to.contain('cannot be determined');
  });

  it('when the model is gated under the Gemma terms, then it scores as a community license and the gating is mentioned', () => {
    const result = license(evidenceFromReference(referenceModel('google/gemma-3-270m')));

    expect(result.value).to.equal(0.5);
    expect(result.explanation.join(' ')).to.contain('access is gated');
  });

  it('when the gate is lifted from the same evidence, then the score does not change', () => {
    const gated = evidenceFromReference(referenceModel('google/gemma-3-270m'));
    const open = { ...gated, model: { ...gated.model, gated: false } };

    expect(license(open).value).to.equal(license(gated).value);
    expect(license(open).explanation.join(' ')).not.to.contain('gated');
  });

  it('when the license is a custom "other" that the rule table does not know, then its unknown terms score 0', () => {
    const evidence = anEvidence({ card: aCard('# Model', { license: 'other', license_name: 'acme-research-license', license_link: 'https://acme.example/LICENSE' }) });

    const result = license(evidence);

    expect(result.value).to.equal(0);
    expect(result.explanation[0]).to.contain('acme-research-license');
  });

  it('when "other" names a known license, then that license is scored', () => {
    expect(license(anEvidence({ card: aCard('', { license: 'other', license_name: 'llama3' }) })).value).to.equal(0.5);
  });

  it('when the card declares a non-commercial license, then the score is low', () => {
    expect(license(anEvidence({ card: aCard('', { license: 'cc-by-nc-4.0' }) })).value).to.equal(0.2);
  });

  it('when an upload ships a LICENSE file but declares nothing, then the explanation asks for a declaration', () => {
    const result = license(anEvidence({ origin: 'upload', files: [{ path: 'LICENSE', size: 11_000 }] }));

    expect(result.value).to.equal(0);
    expect(result.explanation).to.include('a LICENSE file is present, but the card does not declare which license it is');
  });

  it('when only the license tag is known, then the tag is read', () => {
    expect(license(anEvidence({ model: { repo: 'a/b', tags: ['license:mit'] } })).value).to.equal(1);
  });
});
