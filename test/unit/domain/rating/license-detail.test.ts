import { expect } from 'chai';
import { license } from '../../../../src/domain/rating';
import { aCard, anEvidence } from './evidence-mother';

const APACHE_LINK = 'https://www.apache.org/licenses/LICENSE-2.0';
const MIT_LINK = 'https://opensource.org/licenses/MIT';

describe('license in detail', () => {
  describe('which declaration is read', () => {
    it('when the card lists several licenses among other values, then every listed license is read and nothing else', () => {
      const result = license(anEvidence({ card: aCard('', { license: ['mit', 7, 'apache-2.0'] }), model: { repo: 'a/b', license: 'cc-by-nc-4.0' } }));

      expect(result.inputs).to.include({ expression: 'MIT AND Apache-2.0', source: 'huggingface:license', confidence: 'exact' });
      expect(result.inputs['ids']).to.deep.equal(['MIT', 'Apache-2.0']);
      expect(result.value).to.equal(1);
    });

    it('when the card has no license field, then the Hub\'s copy of it is read', () => {
      const result = license(anEvidence({ model: { repo: 'a/b', license: 'mit' } }));

      expect(result.inputs).to.include({ expression: 'MIT', source: 'huggingface:license' });
    });

    it('when the card\'s license field is neither text nor a list, then the Hub\'s copy is read', () => {
      expect(license(anEvidence({ card: aCard('', { license: 5 }), model: { repo: 'a/b', license: 'mit' } })).inputs['expression']).to.equal('MIT');
    });

    it('when the card and the Hub name different licenses, then the card\'s name wins', () => {
      const result = license(anEvidence({ card: aCard('', { license: 'other', license_name: 'llama3' }), model: { repo: 'a/b', licenseName: 'acme-x' } }));

      expect(result.inputs).to.include({ expression: 'LicenseRef-Llama-3', source: 'huggingface:license_name' });
    });

    it('when the card\'s license name is not text, then the Hub\'s name is read', () => {
      const result = license(anEvidence({ card: aCard('', { license: 'other', license_name: 42 }), model: { repo: 'a/b', licenseName: 'llama3' } }));

      expect(result.inputs).to.include({ expression: 'LicenseRef-Llama-3', source: 'huggingface:license_name' });
      expect(result.value).to.equal(0.5);
    });

    it('when the card and the Hub link different licenses, then the card\'s link wins', () => {
      const result = license(anEvidence({ card: aCard('', { license: 'other', license_link: MIT_LINK }), model: { repo: 'a/b', licenseLink: APACHE_LINK } }));

      expect(result.inputs).to.include({ expression: 'MIT', source: 'huggingface:license_link', confidence: 'inferred' });
    });

    it('when the card\'s link is not text, then the Hub\'s link is read and the inference is explained', () => {
      const result = license(anEvidence({ card: aCard('', { license: 'other', license_link: 5 }), model: { repo: 'a/b', licenseLink: APACHE_LINK } }));

      expect(result.inputs).to.include({ expression: 'Apache-2.0', source: 'huggingface:license_link', confidence: 'inferred' });
      expect(result.explanation).to.deep.equal([
        '1: Apache-2.0 is permissive — any use, with attribution',
        'read from huggingface:license_link with confidence "inferred"',
      ]);
    });
  });

  describe('license files and gating', () => {
    for (const name of ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'LICENCE']) {
      it(`when an undeclared model ships ${name}, then the file is noticed and a declaration is asked for`, () => {
        const result = license(anEvidence({ files: [{ path: name, size: 1_000 }] }));

        expect(result.inputs['licenseFile']).to.equal(true);
        expect(result.explanation).to.deep.equal([
          '0: the license cannot be determined (the model declares no license (no license field, no license tag))',
          'a LICENSE file is present, but the card does not declare which license it is',
        ]);
      });
    }

    it('when a model declares nothing and ships no license file, then only the undetermined license is explained', () => {
      const result = license(anEvidence({ files: [{ path: 'README.md', size: 1_000 }] }));

      expect(result.inputs['licenseFile']).to.equal(false);
      expect(result.explanation).to.have.length(1);
    });

    it('when a declared model also ships a LICENSE file, then no declaration is asked for', () => {
      const result = license(anEvidence({ card: aCard('', { license: 'mit' }), files: [{ path: 'LICENSE', size: 1_000 }] }));

      expect(result.inputs['licenseFile']).to.equal(true);
      expect(result.explanation).to.deep.equal(['1: MIT is permissive — any use, with attribution']);
    });

    it('records the whole input, with gating false when the Hub does not say', () => {
      const result = license(anEvidence({ model: { repo: 'a/b', license: 'mit' } }));

      expect(result).to.deep.equal({
        value: 1,
        applicable: true,
        inputs: { expression: 'MIT', ids: ['MIT'], source: 'huggingface:license', confidence: 'exact', licenseFile: false, gated: false },
        explanation: ['1: MIT is permissive — any use, with attribution'],
      });
    });

    it('when the model is gated, then the input records it', () => {
      expect(license(anEvidence({ model: { repo: 'a/b', license: 'mit', gated: true } })).inputs['gated']).to.equal(true);
    });
  });
});
