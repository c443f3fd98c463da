import { expect } from 'chai';
import { parse as parseYaml } from 'yaml';
import { declaredParents, MAX_DECLARATIONS_PER_FIELD, normalizeRepoName } from '../../../../src/domain/lineage';
import { referenceModel } from '../rating/reference-evidence';

describe('declaredParents', () => {
  it('when a fine-tuned classifier saved its base in config.json, then the base is a base_model parent from config_json', () => {
    const result = declaredParents({ repo: 'parvk11/audience_classifier_model', config: { _name_or_path: 'distilbert-base-uncased', model_type: 'distilbert' } });

    expect(result.declarations).to.deep.equal([{ name: 'distilbert-base-uncased', kind: 'model', relationship: 'base_model', source: 'config_json' }]);
    expect(result.sources).to.deep.equal(['config_json']);
  });

  it('when a base model names itself in config.json, under its id or its legacy id, then it has no parent', () => {
    expect(declaredParents({ repo: 'openai/whisper-tiny', config: { _name_or_path: 'openai/whisper-tiny' } }).declarations).to.deep.equal([]);
    const legacy = declaredParents({ repo: 'google-bert/bert-base-uncased', config: { _name_or_path: 'bert-base-uncased' } });
    expect(legacy.declarations).to.deep.equal([]);
    expect(legacy.ignored).to.deep.equal([{ source: 'config_json', field: '_name_or_path', value: 'bert-base-uncased', reason: 'names the model itself' }]);
  });

  for (const path of ['./', '/tmp/x', '../base', 'C:\\models\\bert', 'outputs/checkpoint-500', 'my-finetune-dir', '~/models/x']) {
    it(`when config.json _name_or_path is the local path "${path}", then it is ignored, not an error`, () => {
      const result = declaredParents({ repo: 'acme/x', config: { _name_or_path: path } });

      expect(result.declarations).to.deep.equal([]);
      expect(result.malformed).to.deep.equal([]);
      expect(result.ignored).to.have.length(1);
    });
  }

  it('when an adapter names its base, then the base is an adapter parent from adapter_config_json', () => {
    const result = declaredParents({ repo: 'acme/tiny-lora', adapterConfig: { base_model_name_or_path: 'google-bert/bert-base-uncased', peft_type: 'LORA' } });

    expect(result.declarations).to.deep.equal([{ name: 'google-bert/bert-base-uncased', kind: 'model', relationship: 'adapter', source: 'adapter_config_json' }]);
  });

  it('when the card lists base models with a relation and datasets, then each is declared with its relationship', () => {
    const card = parseYaml('base_model:\n- mistralai/Mistral-7B-v0.1\n- meta-llama/Llama-2-7b-hf\nbase_model_relation: merge\ndatasets: rajpurkar/squad\n');

    const result = declaredParents({ repo: 'acme/merged', cardMetadata: card });

    expect(result.declarations).to.deep.equal([
      { name: 'mistralai/Mistral-7B-v0.1', kind: 'model', relationship: 'merge', source: 'model_card' },
      { name: 'meta-llama/Llama-2-7b-hf', kind: 'model', relationship: 'merge', source: 'model_card' },
      { name: 'rajpurkar/squad', kind: 'dataset', relationship: 'fine_tuning_dataset', source: 'model_card' },
    ]);
  });

  it('when the card has no relation, then the Hub inference applies: adapter, quantized, merge, else finetune', () => {
    const relation = (input: Parameters<typeof declaredParents>[0]) => declaredParents(input).declarations[0]?.relationship;

    expect(relation({ cardMetadata: { base_model: 'a/b' }, adapterConfig: { base_model_name_or_path: 'a/b' } })).to.equal('adapter');
    expect(relation({ cardMetadata: { base_model: 'a/b' }, files: [{ path: 'model-q4_k_m.gguf' }] })).to.equal('quantized');
    expect(relation({ cardMetadata: { base_model: ['a/b', 'c/d'] } })).to.equal('merge');
    expect(relation({ cardMetadata: { base_model: 'a/b' } })).to.equal('finetune');
  });

  it('when the card and config.json name the same parent, then it is declared once and the card wins', () => {
    const result = declaredParents({ repo: 'acme/x', cardMetadata: { base_model: 'google-bert/bert-base-uncased' }, config: { _name_or_path: 'google-bert/bert-base-uncased' } });

    expect(result.declarations).to.deep.equal([{ name: 'google-bert/bert-base-uncased', kind: 'model', relationship: 'finetune', source: 'model_card', alsoDeclaredBy: ['config_json'] }]);
  });

  it('when a pre-trained model lists its datasets, then they are training datasets', () => {
    const card = parseYaml(referenceModel('google-bert/bert-base-uncased').card_yaml);

    expect(declaredParents({ repo: 'google-bert/bert-base-uncased', cardMetadata: card }).declarations.map((item) => `${item.name}:${item.relationship}`)).to.deep.equal([
      'bookcorpus:training_dataset', 'wikipedia:training_dataset',
    ]);
  });

  it('when linked code is given, then it is a training_code parent', () => {
    expect(declaredParents({ codeRepos: ['https://github.com/google-research/bert'] }).declarations).to.deep.equal([
      { name: 'google-research/bert', kind: 'code', relationship: 'training_code', source: 'model_card' },
    ]);
  });

  it('when base_model is not a string or list, then it is reported as malformed', () => {
    const result = declaredParents({ cardMetadata: { base_model: { name: 'a/b' } } });

    expect(result.declarations).to.deep.equal([]);
    expect(result.malformed).to.deep.equal([{ source: 'model_card', field: 'base_model', problem: 'expected a repository id or a list of them, got object' }]);
  });

  it('when a base_model list mixes good ids, numbers and paths, then the good ones are kept and each bad one reported', () => {
    const result = declaredParents({ cardMetadata: { base_model: ['a/b', 42, '../../etc/passwd', null] } });

    expect(result.declarations.map((item) => item.name)).to.deep.equal(['a/b']);
    expect(result.malformed.map((item) => item.field)).to.deep.equal(['base_model[1]', 'base_model[2]', 'base_model[3]']);
  });

  it('when base_model_relation is unknown, then it is reported and the relation inferred', () => {
    const result = declaredParents({ cardMetadata: { base_model: 'a/b', base_model_relation: 'cloned' } });

    expect(result.declarations[0]?.relationship).to.equal('finetune');
    expect(result.malformed[0]?.field).to.equal('base_model_relation');
  });

  it('when config.json or adapter_config.json is not an object, or the adapter has no base, then each is malformed', () => {
    expect(declaredParents({ config: [1, 2] }).malformed[0]).to.deep.include({ source: 'config_json' });
    expect(declaredParents({ adapterConfig: 'LORA' }).malformed[0]).to.deep.include({ source: 'adapter_config_json' });
    expect(declaredParents({ adapterConfig: { peft_type: 'LORA' } }).malformed[0]).to.deep.equal({ source: 'adapter_config_json', field: 'base_model_name_or_path', problem: 'expected a repository id (string), got undefined' });
    expect(declaredParents({ config: { _name_or_path: 7 } }).malformed[0]?.field).to.equal('_name_or_path');
  });

  it('when a card lists thousands of base models, then only the bounded number is read and the excess reported', () => {
    const result = declaredParents({ cardMetadata: { base_model: Array.from({ length: 5000 }, (_, i) => `org/m${i}`) } });

    expect(result.declarations).to.have.length(MAX_DECLARATIONS_PER_FIELD);
    expect(result.malformed[0]?.problem).to.contain('5000 entries');
  });

  it('when no metadata file is present, then there are no sources, which the caller reports as missing', () => {
    expect(declaredParents({ repo: 'a/b' })).to.deep.equal({ declarations: [], malformed: [], ignored: [], sources: [] });
  });
});

describe('normalizeRepoName', () => {
  it('when names come as Hub or GitHub URLs, then they become ids of the right kind', () => {
    expect(normalizeRepoName('https://huggingface.co/google-bert/bert-base-uncased/tree/main', 'model')).to.equal('google-bert/bert-base-uncased');
    expect(normalizeRepoName('https://huggingface.co/datasets/rajpurkar/squad', 'dataset')).to.equal('rajpurkar/squad');
    expect(normalizeRepoName('https://huggingface.co/datasets/rajpurkar/squad', 'model')).to.equal(undefined);
    expect(normalizeRepoName('https://github.com/openai/whisper.git', 'code')).to.equal('openai/whisper');
    expect(normalizeRepoName('whisper', 'code')).to.equal(undefined);
  });
});
