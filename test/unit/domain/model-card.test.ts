import { expect } from 'chai';
import { parse as parseYaml } from 'yaml';
import { nameFromCard } from '../../../src/domain/model-card';
import { referenceModels, type ReferenceModel } from '../../support/reference-data';

const FRONT_MATTER = `---
license: apache-2.0
# the card generator writes comments like this one
base_model: google-bert/bert-base-uncased
datasets:
- bookcorpus
---
`;

describe('nameFromCard', () => {
  it('when the metadata has a model-index name, then it wins over the heading', () => {
    const metadata = { 'model-index': [{ name: 'whisper-tiny', results: [] }] };

    expect(nameFromCard('# Whisper\n\nWhisper is a model for speech recognition.', metadata)).to.equal('whisper-tiny');
  });

  it('when the model-index name has underscores, then they are kept', () => {
    expect(nameFromCard(undefined, { 'model-index': [{ name: 'bert_finetuned_squad' }] })).to.equal('bert_finetuned_squad');
  });

  for (const [label, index] of [
    ['not a list', { name: 'x' }],
    ['an empty list', []],
    ['a list of strings', ['x']],
    ['a list with a null', [null]],
    ['an entry with a numeric name', [{ name: 42 }]],
  ] as const) {
    it(`when model-index is ${label}, then the first heading is used`, () => {
      expect(nameFromCard('# GPT-2\n\nTest the whole generation capabilities here.', { 'model-index': index })).to.equal('GPT-2');
    });
  }

  it('when the README has front matter, then the first H1 after it is the name, not a YAML comment', () => {
    expect(nameFromCard(`${FRONT_MATTER}\n# BERT base model (uncased)\n\nPretrained model on English.`, undefined)).to.equal('BERT base model (uncased)');
  });

  it('when the front matter uses Windows line endings, then it is skipped too', () => {
    const readme = FRONT_MATTER.replace(/\n/g, '\r\n') + '\r\n# RoBERTa base model\r\n';

    expect(nameFromCard(readme, undefined)).to.equal('RoBERTa base model');
  });

  it('when the README is only front matter ending without a newline, then its YAML comment is not a name', () => {
    expect(nameFromCard(FRONT_MATTER.trimEnd(), undefined)).to.equal(undefined);
  });

  it('when level-two headings come first, then the first level-one heading is chosen', () => {
    expect(nameFromCard('## Table of Contents\n\n# Model Card for T5 Small\n\n## Model Details', undefined)).to.equal('Model Card for T5 Small');
  });

  it('when a fenced code block with a shell comment precedes the title, then the comment is not the name', () => {
    const readme = '```bash\n# install the dependencies\npip install transformers\n```\n\n# DistilBERT base model (uncased)\n';

    expect(nameFromCard(readme, undefined)).to.equal('DistilBERT base model (uncased)');
  });

  it('when the only H1-looking lines are inside code blocks, then there is no name', () => {
    const readme = '## Usage\n\n```python\n# load the model\nfrom transformers import pipeline\n```\n';

    expect(nameFromCard(readme, undefined)).to.equal(undefined);
  });

  it('when the heading uses markdown emphasis and code, then the markers are stripped', () => {
    expect(nameFromCard('# **BERT** _base_ `uncased`\n', undefined)).to.equal('BERT base uncased');
  });

  it('when the heading is a snake_case identifier, then its underscores are kept', () => {
    expect(nameFromCard('# audience_classifier_model\n', undefined)).to.equal('audience_classifier_model');
  });

  it('when the heading is a link, then the name is the link text', () => {
    expect(nameFromCard('# [GPT-2](https://openai.com/blog/better-language-models/)\n', undefined)).to.equal('GPT-2');
  });

  it('when the heading has closing hashes, then they are dropped', () => {
    expect(nameFromCard('#   ALBERT Base v2   ##\n', undefined)).to.equal('ALBERT Base v2');
  });

  it('when the heading has non-ASCII characters, then they are stripped and the gaps closed', () => {
    expect(nameFromCard('# Modèle français 🤗 v2\n', undefined)).to.equal('Modle franais v2');
  });

  it('when the heading is entirely non-ASCII, then there is no name', () => {
    expect(nameFromCard('# 中文模型\n', undefined)).to.equal(undefined);
  });

  it('when the heading is only the reserved "*", then there is no name', () => {
    expect(nameFromCard('# *\n', undefined)).to.equal(undefined);
  });

  it('when the heading is very long, then the name is cut to 128 characters', () => {
    expect(nameFromCard(`# ${'x'.repeat(300)}\n`, undefined)).to.have.length(128);
  });

  for (const [label, readme] of [
    ['no heading at all', 'A model without a title.\n\n## Training\n'],
    ['a hash without a space', '#NoSpace\n'],
    ['an empty README', ''],
  ] as const) {
    it(`when the README has ${label}, then there is no name`, () => {
      expect(nameFromCard(readme, {})).to.equal(undefined);
    });
  }

  it('when there is neither README nor metadata, then there is no name', () => {
    expect(nameFromCard(undefined, undefined)).to.equal(undefined);
  });

  describe('on the reference Hugging Face cards', () => {
    const models = Object.values(referenceModels());

    const nameOf = (model: ReferenceModel | undefined): string | undefined =>
      model === undefined ? undefined : nameFromCard(model.readme_text, parseYaml(model.card_yaml) as Record<string, unknown>);

    it('when every reference card is read, then each yields a printable name of at most 128 characters', () => {
      expect(models).to.have.length.greaterThan(10);
      for (const model of models) expect(nameOf(model), model.repo_id).to.match(/^[\x20-\x7e]{1,128}$/);
    });

    it('when known cards are read, then their names are the ones a person would pick', () => {
      const byRepo = new Map(models.map((model) => [model.repo_id, model]));

      expect(nameOf(byRepo.get('openai/whisper-tiny'))).to.equal('whisper-tiny');
      expect(nameOf(byRepo.get('gpt2'))).to.equal('GPT-2');
      expect(nameOf(byRepo.get('google-bert/bert-base-uncased'))).to.equal('BERT base model (uncased)');
    });
  });
});

describe('nameFromCard on hostile input', () => {
  // Sized so that a quadratic pattern needs many seconds: the test timeout, not a stopwatch, catches it.
  const GUARD_MS = 3_000;

  it('when a heading line is thousands of " #" pairs, then the name before them is found', function () {
    this.timeout(GUARD_MS);
    // Only the first 1024 characters are read, so the trailing " # # …" is stripped as heading closers.
    expect(nameFromCard(`# a${' #'.repeat(10_000)}x\n`, undefined)).to.equal('a');
  });

  it('when a heading is thousands of unclosed brackets, then the brackets are cleaned away', function () {
    this.timeout(GUARD_MS);
    expect(nameFromCard(`# ${'[x'.repeat(20_000)}\n`, undefined)).to.match(/^x+$/);
  });

  it('when a model-index name is thousands of unclosed links, then cleaning finishes with a bounded name', function () {
    this.timeout(GUARD_MS);
    const name = nameFromCard(undefined, { 'model-index': [{ name: '[a]('.repeat(20_000) }] });
    expect(name?.length ?? 0).to.be.within(1, 128);
  });

  it('when a long README has thousands of code blocks before its title, then the title is found', function () {
    this.timeout(GUARD_MS);
    const readme = '```python\n# step\nx = 1\n```\n'.repeat(20_000) + '# Title\n';
    expect(nameFromCard(readme, undefined)).to.equal('Title');
  });
});
