import { expect } from 'chai';
import parse from 'spdx-expression-parse';
import spdxIds from 'spdx-license-ids/index.json';
import { LICENSE_BRIDGES, LICENSE_EXCEPTIONS, LICENSE_TERMS, termsFor, type LicenseTerms } from '../../../../src/domain/licensing';

const SPDX = new Set<string>(spdxIds);
const GPL_FAMILY = /^A?GPL-\d\.\d-(only|or-later)$/;

/** What each family promises about the columns; a row that breaks it is a typo in the table. */
const FAMILY_RULES: Record<LicenseTerms['family'], (t: LicenseTerms) => boolean> = {
  'public-domain': (t) => t.derivatives === 'allowed' && t.commercial && t.copyleft === 'none' && !t.useRestrictions,
  permissive: (t) => t.derivatives === 'allowed' && t.commercial && t.copyleft === 'none' && !t.useRestrictions,
  'weak-copyleft': (t) => t.commercial && (t.copyleft === 'file' || t.copyleft === 'library'),
  'strong-copyleft': (t) => t.commercial && t.copyleft === 'program',
  'network-copyleft': (t) => t.commercial && t.copyleft === 'network',
  'non-commercial': (t) => !t.commercial && t.derivatives === 'allowed',
  'no-derivatives': (t) => t.derivatives !== 'allowed',
  'use-restricted': (t) => t.useRestrictions && t.commercial && t.copyleft === 'none',
  community: (t) => t.useRestrictions && t.commercial && t.copyleft === 'none' && t.conditions.length > 0,
};

describe('LICENSE_TERMS', () => {
  it('when the ids are read, then each is unique and is an SPDX id or a LicenseRef that parses', () => {
    const ids = LICENSE_TERMS.map((t) => t.id);

    expect(new Set(ids).size).to.equal(ids.length);
    for (const id of ids) {
      expect(SPDX.has(id) || /^LicenseRef-[A-Za-z0-9.-]+$/.test(id), id).to.equal(true);
      expect(() => parse(id), id).to.not.throw();
    }
  });

  for (const terms of LICENSE_TERMS) {
    it(`when ${terms.id} is read, then its columns agree with its family (${terms.family}) and it has a one-line rationale`, () => {
      expect(FAMILY_RULES[terms.family](terms)).to.equal(true);
      expect(terms.rationale).to.match(/^[^\n|]{10,}$/);
      expect(terms.gplVersions.length > 0).to.equal(GPL_FAMILY.test(terms.id) || terms.id === 'GPL-1.0-or-later');
    });
  }

  it('when the bridges are read, then every license they name is in the table', () => {
    const named = LICENSE_BRIDGES.flatMap((b) => [...b.from, ...b.into]);

    expect(named.filter((id) => termsFor(id) === undefined)).to.deep.equal([]);
  });

  it('when the exceptions are read, then each is an SPDX exception that parses after WITH', () => {
    for (const { id } of LICENSE_EXCEPTIONS) expect(() => parse(`GPL-2.0-only WITH ${id}`), id).to.not.throw();
  });

  it('when an id is not in the table, then termsFor says so with undefined', () => {
    expect(termsFor('LicenseRef-Nobody-Knows')).to.equal(undefined);
    expect(termsFor('MIT')?.family).to.equal('permissive');
  });
});
