import { expect } from 'chai';
import { chooseCodeRepository } from '../../../../src/domain/rating';
import { referenceModel } from './reference-evidence';

const choose = (id: string) => chooseCodeRepository(id, referenceModel(id).github_links)?.repo;

describe('chooseCodeRepository', () => {
  it('when a linked repository is named like the model, then it is chosen', () => {
    expect([choose('openai/whisper-tiny'), choose('google-bert/bert-base-uncased'), choose('xlnet-base-cased'), choose('gpt2')]).to.deep.equal([
      'openai/whisper', 'google-research/bert', 'zihangdai/xlnet', 'openai/gpt-2',
    ]);
  });

  it('when the model is named only in the linked path, then that repository is chosen', () => {
    expect(choose('roberta-base')).to.equal('pytorch/fairseq');
  });

  it('when two repositories match, then the one owned by the model owner wins', () => {
    expect(choose('microsoft/DialoGPT-small')).to.equal('microsoft/DialoGPT');
  });

  it('when the card links only benchmarks, datasets and frameworks, then no repository is taken for its code', () => {
    expect(choose('google/gemma-3-270m')).to.equal(undefined);
  });

  it('when the card links a single repository, then it is chosen and the reason says so', () => {
    const link = chooseCodeRepository('t5-small', referenceModel('t5-small').github_links);

    expect(link).to.deep.equal({
      repo: 'google-research/text-to-text-transfer-transformer',
      url: 'https://github.com/google-research/text-to-text-transfer-transformer',
      reason: 'google-research/text-to-text-transfer-transformer is the only repository the card links',
    });
  });

  it('when links are not GitHub repositories, then they are ignored', () => {
    expect(chooseCodeRepository('a/b', ['https://example.com/a/b', 'https://github.com/only-owner'])).to.equal(undefined);
  });
});
