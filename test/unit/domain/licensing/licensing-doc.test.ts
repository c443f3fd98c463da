import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'chai';
import { DOC_TABLES, generatedBlock } from './license-doc-tables';

const DOC = resolve(__dirname, '../../../../docs/licensing.md');

describe('docs/licensing.md', () => {
  const doc = readFileSync(DOC, 'utf8');

  for (const [name, render] of Object.entries(DOC_TABLES)) {
    it(`when the ${name} table is read from the doc, then it is exactly the table the code renders`, () => {
      const expected = render();
      const actual = generatedBlock(doc, name);

      expect(actual, `markers <!-- generated:${name} --> missing`).to.not.equal(undefined);
      expect(actual, `paste this between the markers:\n${expected.join('\n')}\n`).to.deep.equal(expected);
    });
  }

  it('when the doc is read, then it says it is not legal advice and gives at least six worked examples', () => {
    const examples = doc.slice(doc.indexOf('## Worked examples')).match(/^\d+\. \*\*/gm) ?? [];

    expect(doc).to.include('Not legal advice');
    expect(examples.length).to.be.at.least(6);
  });
});
