import { expect } from 'chai';
import { githubLinks, isFilled, parseCard, stripComments, stripFrontMatter } from '../../../../src/domain/rating/card-text';

describe('card text', () => {
  it('when a README has front matter, then it is removed and the body kept', () => {
    expect(stripFrontMatter('---\nlicense: mit\n---\n# Title\n')).to.equal('# Title\n');
  });

  it('when the front matter is never closed, then the text is left as it is', () => {
    expect(stripFrontMatter('---\nlicense: mit\n# Title')).to.equal('---\nlicense: mit\n# Title');
  });

  it('when a comment is never closed, then it runs to the end as in a browser', () => {
    expect(stripComments('kept <!-- a --> also kept <!-- dropped')).to.equal('kept  also kept ');
  });

  it('when a heading sits inside a fenced code block, then it is not a section', () => {
    const card = parseCard('# Model\n\n```bash\n# install it\npip install x\n```\n');

    expect(card.sections.map((section) => section.title)).to.deep.equal(['Model']);
    expect(card.blocks).to.deep.equal([{ lang: 'bash', code: '# install it\npip install x' }]);
  });

  it('when a section holds only template placeholders, then it is not filled, but its parent counts their subtree', () => {
    const card = parseCard('## Uses\n\n### Direct Use\n\n[More Information Needed]\n\n### Downstream\n\nThis model classifies support tickets into two audiences.\n');
    const [uses, direct, downstream] = card.sections;

    expect(card.placeholders).to.equal(1);
    expect(direct && isFilled(direct)).to.equal(false);
    expect(downstream && isFilled(downstream)).to.equal(true);
    expect(uses?.subtreeContent).to.contain('support tickets');
    expect(uses && isFilled(uses)).to.equal(false);
  });

  it('when a card links GitHub repositories, then each link is listed once in order', () => {
    const text = 'See https://github.com/openai/whisper. Also [code](https://github.com/openai/whisper) and https://example.com and https://github.com/google-research/bert/blob/master/README.md';

    expect(githubLinks(text)).to.deep.equal(['https://github.com/openai/whisper', 'https://github.com/google-research/bert/blob/master/README.md']);
  });

  it('when a hostile card repeats a heading marker on one huge line, then the title is cut to a bound (mocha\'s timeout guards the time)', () => {
    const hostile = `# ${'# '.repeat(200_000)}x\n${'`'.repeat(3)}\n`;

    const card = parseCard(hostile);

    expect(card.sections).to.have.length(1);
    expect(card.sections[0]?.title.length).to.be.at.most(256);
  });
});
