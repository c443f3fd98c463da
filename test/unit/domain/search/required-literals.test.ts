import { expect } from 'chai';
import RE2 from 're2';
import { requiredLiterals } from '../../../../src/domain/search/required-literals';

describe('required literals of a regular expression', () => {
  const cases: [string, string[][] | undefined][] = [
    ['bert-base-uncased', [['bert-base-uncased']]],
    ['^whisper.*tiny$', [['whisper', 'tiny']]],
    ['bert|whisper', [['bert'], ['whisper']]],
    ['bert|x', undefined],
    ['.*', undefined],
    ['colou?r', [['colo']]],
    ['abcd*e', [['abc']]],
    ['abcde+fgh', [['abcde', 'fgh']]],
    ['abc{0,2}def', [['def']]],
    ['abcd{2}xyz', [['abcd', 'xyz']]],
    ['model(s|es)?-large', [['model', '-large']]],
    ['(?i)llama', [['llama']]],
    ['gpt\\.2\\.large', [['gpt.2.large']]],
    ['foo\\d+bar', [['foo', 'bar']]],
    ['abc\\pLdef', [['abc', 'def']]],
    ['abc\\p{Greek}def', [['abc', 'def']]],
    ['[abc]def[ghi]', [['def']]],
    ['abc\\x41def', undefined],
    ['abc{def', undefined],
    ['(unclosed', undefined],
    ['ab', undefined],
  ];
  for (const [pattern, expected] of cases) {
    it(`when the pattern is /${pattern}/, then the required literals are ${JSON.stringify(expected)}`, () => {
      expect(requiredLiterals(pattern)).to.deep.equal(expected);
    });
  }

  it('when a text matches a pattern, then it contains every literal of some branch (checked over many pairs)', () => {
    const patterns = ['bert-?base', 'whisper.*tiny|tiny.*whisper', 'ab+c(de)?fgh', 'x{1,2}yz{0}w', 'mod(el)*s?-v[0-9]+', 'café?s', '(?i)Large|small'];
    const texts = ['bert-base', 'bertbase', 'whisper-tiny', 'tiny whisper', 'abbbcdefgh', 'abcfgh', 'xxyw', 'xyzw', 'modelels-v12', 'mod-v1', 'cafés', 'cafs', 'LARGE', 'a small one'];
    for (const pattern of patterns) {
      const literals = requiredLiterals(pattern, 1);
      const re = new RE2(pattern, 'u');
      for (const text of texts.filter((t) => re.test(t))) {
        const folded = text.toLowerCase();
        const covered = literals === undefined || literals.some((branch) => branch.every((literal) => folded.includes(literal.toLowerCase())));
        expect(covered, `/${pattern}/ matches "${text}" but literals ${JSON.stringify(literals)} rule it out`).to.equal(true);
      }
    }
  });
});
