import { expect } from 'chai';
import { declaredParents, MAX_DECLARATIONS_PER_FIELD } from '../../../../src/domain/lineage';

const long = (prefix: string, length: number) => prefix + 'x'.repeat(length - prefix.length);

describe('declaredParents in detail', () => {
  describe('the model itself', () => {
    it('when the card names one of the model\'s aliases in another case, then it is ignored as the model itself', () => {
      expect(declaredParents({ repo: 'acme/m', aliases: ['Acme/Old-Name'], cardMetadata: { base_model: 'acme/old-name' } })).to.deep.equal({
        declarations: [],
        malformed: [],
        ignored: [{ source: 'model_card', field: 'base_model[0]', value: 'acme/old-name', reason: 'names the model itself' }],
        sources: ['model_card'],
      });
    });

    it('when the model\'s own repository is not known, then a legacy id is a parent', () => {
      expect(declaredParents({ cardMetadata: { base_model: 'bert-base-uncased' } }).declarations).to.deep.equal([
        { name: 'bert-base-uncased', kind: 'model', relationship: 'finetune', source: 'model_card' },
      ]);
    });

    it('when config.json names the model by its legacy id, then it is ignored as the model itself', () => {
      expect(declaredParents({ repo: 'google-bert/bert-base-uncased', config: { _name_or_path: 'bert-base-uncased' } }).ignored).to.deep.equal([
        { source: 'config_json', field: '_name_or_path', value: 'bert-base-uncased', reason: 'names the model itself' },
      ]);
    });
  });

  describe('malformed values', () => {
    it('names the type of each item of a list that is not a repository id, and still reads the good ones', () => {
      const result = declaredParents({ cardMetadata: { base_model: [null, ['x'], 5, 'o/p'] } });

      expect(result.malformed).to.deep.equal([
        { source: 'model_card', field: 'base_model[0]', problem: 'expected a repository id (string), got null' },
        { source: 'model_card', field: 'base_model[1]', problem: 'expected a repository id (string), got a list' },
        { source: 'model_card', field: 'base_model[2]', problem: 'expected a repository id (string), got number' },
      ]);
      expect(result.declarations).to.deep.equal([{ name: 'o/p', kind: 'model', relationship: 'merge', source: 'model_card' }]);
    });

    it('quotes at most 100 characters of a card value that is not a repository id', () => {
      expect(declaredParents({ cardMetadata: { base_model: `${'x'.repeat(120)} !` } }).malformed).to.deep.equal([
        { source: 'model_card', field: 'base_model[0]', problem: `"${'x'.repeat(100)}" is not a repository id` },
      ]);
    });

    it('when base_model is neither text nor a list, then it is malformed', () => {
      expect(declaredParents({ cardMetadata: { base_model: 5 } }).malformed).to.deep.equal([
        { source: 'model_card', field: 'base_model', problem: 'expected a repository id or a list of them, got number' },
      ]);
    });

    it('when base_model and datasets are null or absent, then nothing is declared and nothing is malformed', () => {
      for (const cardMetadata of [{ base_model: null, datasets: null }, {}]) {
        expect(declaredParents({ cardMetadata })).to.deep.equal({ declarations: [], malformed: [], ignored: [], sources: ['model_card'] });
      }
    });

    for (const [label, cardMetadata] of [['a list', []], ['null', null], ['text', 'x']] as const) {
      it(`when the card's front matter is ${label}, then it is malformed`, () => {
        expect(declaredParents({ cardMetadata }).malformed).to.deep.equal([
          { source: 'model_card', field: '(front matter)', problem: 'card metadata is not a mapping' },
        ]);
      });
    }

    it('when adapter_config.json and config.json are not objects, then each is malformed', () => {
      expect(declaredParents({ adapterConfig: [], config: 'x' })).to.deep.equal({
        declarations: [],
        malformed: [
          { source: 'adapter_config_json', field: '(file)', problem: 'adapter_config.json is not a JSON object' },
          { source: 'config_json', field: '(file)', problem: 'config.json is not a JSON object' },
        ],
        ignored: [],
        sources: ['adapter_config_json', 'config_json'],
      });
    });

    it('when adapter_config.json names no repository, then it is malformed, not ignored', () => {
      expect(declaredParents({ adapterConfig: { base_model_name_or_path: 'a b c' } }).malformed).to.deep.equal([
        { source: 'adapter_config_json', field: 'base_model_name_or_path', problem: '"a b c" is not a repository id' },
      ]);
    });

    it('when base_model_relation is not a known relation, then it is malformed with at most 60 characters of it, and the relation is inferred', () => {
      const result = declaredParents({ cardMetadata: { base_model: 'o/p', base_model_relation: 'y'.repeat(100) } });

      expect(result.malformed).to.deep.equal([
        { source: 'model_card', field: 'base_model_relation', problem: `must be one of finetune, adapter, quantized, merge; got "${'y'.repeat(59)}` },
      ]);
      expect(result.declarations[0]?.relationship).to.equal('finetune');
    });

    it(`reads exactly ${MAX_DECLARATIONS_PER_FIELD} entries of a list without complaint, and says so past that`, () => {
      const names = (count: number) => Array.from({ length: count }, (_, i) => `o/m${i}`);

      expect(declaredParents({ cardMetadata: { base_model: names(MAX_DECLARATIONS_PER_FIELD) } }).malformed).to.deep.equal([]);
      const over = declaredParents({ cardMetadata: { base_model: names(MAX_DECLARATIONS_PER_FIELD + 1) } });
      expect(over.malformed).to.deep.equal([
        { source: 'model_card', field: 'base_model', problem: `lists ${MAX_DECLARATIONS_PER_FIELD + 1} entries; only the first ${MAX_DECLARATIONS_PER_FIELD} are read` },
      ]);
      expect(over.declarations).to.have.length(MAX_DECLARATIONS_PER_FIELD);
    });
  });

  describe('config.json names that are not repositories', () => {
    it('when _name_or_path is empty, then nothing is declared, ignored or malformed', () => {
      expect(declaredParents({ config: { _name_or_path: '' } })).to.deep.equal({ declarations: [], malformed: [], ignored: [], sources: ['config_json'] });
    });

    it('keeps at most 200 characters of a bare name that is no known Hub id', () => {
      expect(declaredParents({ config: { _name_or_path: long('my-run', 250) } }).ignored).to.deep.equal([
        { source: 'config_json', field: '_name_or_path', value: long('my-run', 200), reason: 'a bare name that is no known Hub id: most likely a local directory' },
      ]);
    });

    it('keeps at most 200 characters of a training output directory', () => {
      expect(declaredParents({ config: { _name_or_path: long('outputs/', 250) } }).ignored).to.deep.equal([
        { source: 'config_json', field: '_name_or_path', value: long('outputs/', 200), reason: 'a local path, not a repository' },
      ]);
    });

    it('when _name_or_path is some other path, then it is ignored (config.json is not held to be strict), with at most 200 characters', () => {
      expect(declaredParents({ config: { _name_or_path: long('/srv/u/', 250) } })).to.deep.equal({
        declarations: [],
        malformed: [],
        ignored: [{ source: 'config_json', field: '_name_or_path', value: long('/srv/u/', 200), reason: 'a local path, not a repository' }],
        sources: ['config_json'],
      });
    });
  });

  describe('one parent named several times', () => {
    it('keeps one declaration from the card and lists the other files that name it, once each', () => {
      const result = declaredParents({ cardMetadata: { base_model: ['o/p', 'O/P'] }, adapterConfig: { base_model_name_or_path: 'o/p' }, config: { _name_or_path: 'o/p' } });

      expect(result).to.deep.equal({
        declarations: [{ name: 'o/p', kind: 'model', relationship: 'adapter', source: 'model_card', alsoDeclaredBy: ['adapter_config_json', 'config_json'] }],
        malformed: [],
        ignored: [],
        sources: ['model_card', 'adapter_config_json', 'config_json'],
      });
    });

    it('when only the card names it twice, then nothing else declared it', () => {
      expect(declaredParents({ cardMetadata: { base_model: ['o/p', 'o/p'] } }).declarations).to.deep.equal([
        { name: 'o/p', kind: 'model', relationship: 'merge', source: 'model_card' },
      ]);
    });
  });

  describe('relations and other parents', () => {
    it('when a file ends in .gguf in any case, then the parent is quantized; .gguf inside a name does not count', () => {
      expect(declaredParents({ cardMetadata: { base_model: 'o/p' }, files: [{ path: 'notes.gguf.md' }, { path: 'w.Q4.GGUF' }] }).declarations[0]?.relationship).to.equal('quantized');
      expect(declaredParents({ cardMetadata: { base_model: 'o/p' }, files: [{ path: 'notes.gguf.md' }] }).declarations[0]?.relationship).to.equal('finetune');
    });

    it('when the model has a parent, then its datasets are fine-tuning datasets', () => {
      expect(declaredParents({ cardMetadata: { base_model: 'o/p', datasets: ['o/d'] } }).declarations[1]).to.deep.equal(
        { name: 'o/d', kind: 'dataset', relationship: 'fine_tuning_dataset', source: 'model_card' },
      );
    });

    it('when the model has no parent, then its datasets are training datasets', () => {
      expect(declaredParents({ cardMetadata: { datasets: 'o/d' } }).declarations).to.deep.equal([
        { name: 'o/d', kind: 'dataset', relationship: 'training_dataset', source: 'model_card' },
      ]);
    });

    it('names a dataset entry that is not a repository id by its field and index', () => {
      expect(declaredParents({ cardMetadata: { datasets: ['o/d', 7] } }).malformed).to.deep.equal([
        { source: 'model_card', field: 'datasets[1]', problem: 'expected a repository id (string), got number' },
      ]);
    });

    it('when a dataset has the model\'s own name, then it is still a parent: only a model can be the model itself', () => {
      expect(declaredParents({ repo: 'acme/m', cardMetadata: { datasets: ['acme/m'] } }).declarations).to.deep.equal([
        { name: 'acme/m', kind: 'dataset', relationship: 'training_dataset', source: 'model_card' },
      ]);
    });

    it('when a model and a dataset share a name, then both are declared', () => {
      expect(declaredParents({ cardMetadata: { base_model: 'o/x', datasets: 'o/x' } }).declarations.map((item) => `${item.kind}:${item.name}`)).to.deep.equal(['model:o/x', 'dataset:o/x']);
    });

    it('when config.json has no _name_or_path, then nothing is declared, ignored or malformed', () => {
      expect(declaredParents({ config: { model_type: 'bert' } })).to.deep.equal({ declarations: [], malformed: [], ignored: [], sources: ['config_json'] });
    });

    it('reads linked code strictly, under the field "linked code", and at most the bound of repositories', () => {
      const repos = ['bad repo', ...Array.from({ length: MAX_DECLARATIONS_PER_FIELD + 5 }, (_, i) => `o/c${i}`)];
      const result = declaredParents({ codeRepos: repos });

      expect(result.malformed).to.deep.equal([{ source: 'model_card', field: 'linked code', problem: '"bad repo" is not a repository id' }]);
      expect(result.ignored).to.deep.equal([]);
      expect(result.declarations).to.have.length(MAX_DECLARATIONS_PER_FIELD - 1);
      expect(result.declarations[0]).to.deep.equal({ name: 'o/c0', kind: 'code', relationship: 'training_code', source: 'model_card' });
      expect(result.sources).to.deep.equal([]);
    });
  });
});
