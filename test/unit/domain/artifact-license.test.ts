import { expect } from 'chai';
import { licenseFieldsOf } from '../../../src/domain/artifact-license';

describe('licenseFieldsOf', () => {
  const origin = (info: Record<string, unknown>) => ({
    hub: 'huggingface' as const, repo: 'google/gemma-3-270m', revision: 'main', fetchedAt: '2026-01-01T00:00:00Z', files: [], tags: [], info,
  });

  it('when the source reported card data and tags, then those are the fields, not the uploaded card', () => {
    const fields = licenseFieldsOf({
      origin: origin({ cardData: { license: 'gemma', license_link: 'https://ai.google.dev/gemma/terms' }, tags: ['transformers', 'license:gemma'] }),
      card: { text: '', metadata: { license: 'mit' } },
    });
    expect(fields).to.deep.equal({ license: 'gemma', license_link: 'https://ai.google.dev/gemma/terms', tags: ['transformers', 'license:gemma'] });
  });

  it('when only an uploaded card exists, then its front matter is read, a list of licenses kept as a list', () => {
    expect(licenseFieldsOf({ card: { text: '', metadata: { license: ['apache-2.0', 'mit'], license_name: 'custom' } } }))
      .to.deep.equal({ license: ['apache-2.0', 'mit'], license_name: 'custom' });
  });

  it('when card tags lack a prefix, then they cannot be mistaken for license tags', () => {
    expect(licenseFieldsOf({ card: { text: '', metadata: { tags: ['license:mit', 'nlp'] } } }).tags).to.deep.equal(['license:mit', 'tag:nlp']);
  });

  it('when nothing is declared or values have the wrong type, then no fields are invented', () => {
    expect(licenseFieldsOf({})).to.deep.equal({});
    expect(licenseFieldsOf({ card: { text: '', metadata: { license: 42, license_name: '  ', tags: 'x' } } })).to.deep.equal({});
  });
});
