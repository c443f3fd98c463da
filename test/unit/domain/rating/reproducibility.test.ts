import { expect } from 'chai';
import { reproducibility, staticReproducibility, type ReproducibilityEstimate } from '../../../../src/domain/rating';
import { analyseBlock, sourceOf } from '../../../../src/domain/rating/demo-code';
import { aCard, anEvidence } from './evidence-mother';
import { evidenceFromReference, referenceModel, referenceModels } from './reference-evidence';

const ME = { repo: 'acme/tiny-bert' };
const python = (code: string) => ({ lang: 'python', code });

describe('reproducibility (static estimate)', () => {
  it('when a block imports transformers and loads this model by its legacy id, then it runs as written', () => {
    const result = reproducibility(evidenceFromReference(referenceModel('google-bert/bert-base-uncased')));

    expect(result.value).to.equal(1);
    expect(result.explanation[0]).to.equal("static estimate (the card's code was read, not run): runs as written");
  });

  it('when the card has no demo code, then the score is 0 and the explanation still says it is a static estimate', () => {
    const result = reproducibility(evidenceFromReference(referenceModel('google/gemma-3-270m')));

    expect(result.value).to.equal(0);
    expect(result.explanation[0]).to.equal("static estimate (the card's code was read, not run): the card has no Python demo code");
  });

  it('when there is no card at all, then the score is 0', () => {
    expect(reproducibility(anEvidence()).value).to.equal(0);
  });

  it('when a complete block uses a placeholder token, then it runs after small fixes', () => {
    const block = python('from transformers import AutoModel\nmodel = AutoModel.from_pretrained("acme/tiny-bert", token="<your-token>")');

    const analysis = analyseBlock(block, 0, ME);

    expect(analysis.verdict).to.equal(0.5);
    expect(analysis.placeholders).to.deep.equal(['<your-…> placeholder']);
  });

  it('when a block forgets to import a transformers class, then it runs after small fixes', () => {
    const analysis = analyseBlock(python('model = AutoModel.from_pretrained("acme/tiny-bert")'), 0, ME);

    expect(analysis.verdict).to.equal(0.5);
    expect(analysis.missingImports).to.deep.equal(['AutoModel']);
  });

  it('when a block loads a sibling of the same family, then it runs after small fixes', () => {
    const analysis = analyseBlock(python('from transformers import AutoModel\nAutoModel.from_pretrained("acme/tiny-bert-large")'), 0, { repo: 'acme/tiny-bert' });

    expect(analysis.verdict).to.equal(1 / 2);
    expect(analysis.modelRefs).to.deep.equal([{ ref: 'acme/tiny-bert-large', kind: 'same-family' }]);
  });

  it('when a block loads an unrelated model, then it does not demonstrate this one', () => {
    const analysis = analyseBlock(python('from transformers import AutoModel\nAutoModel.from_pretrained("openai/whisper-tiny")'), 0, ME);

    expect(analysis.verdict).to.equal(0);
  });

  it('when a block loads from a local path, then it counts as this model', () => {
    expect(analyseBlock(python('from transformers import AutoModel\nAutoModel.from_pretrained("./")'), 0, ME).verdict).to.equal(1);
  });

  it('when a block uses path/to or elided code, then those placeholders are named', () => {
    const analysis = analyseBlock(python('from transformers import AutoModel\nm = AutoModel.from_pretrained("path/to/model")\nm.train(...)'), 0, ME);

    expect(analysis.placeholders).to.have.members(['"path/to/" placeholder', '"..." elided code']);
    expect(analysis.verdict).to.equal(0.5);
  });

  it('when a block imports a library outside the known set, then it runs after small fixes', () => {
    const analysis = analyseBlock(python('import whisper\nmodel = whisper.load_model("./")'), 0, ME);

    expect(analysis.unknownImports).to.deep.equal(['whisper']);
    expect(analysis.verdict).to.equal(0.5);
  });

  it('when names are imported in a parenthesised list over several lines, then none is taken for a missing import', () => {
    const block = python('from transformers import (\n    AutoTokenizer,\n    AutoModelForCausalLM,\n)\ntok = AutoTokenizer.from_pretrained("acme/tiny-bert")\nAutoModelForCausalLM.from_pretrained("acme/tiny-bert")');

    const analysis = analyseBlock(block, 0, ME);

    expect(analysis.missingImports).to.deep.equal([]);
    expect(analysis.verdict).to.equal(1);
  });

  it('when a fragment loads no model, then it is not demo code', () => {
    expect(analyseBlock(python('outputs = model.generate(**inputs)'), 0, ME).verdict).to.equal(0);
  });

  it('when a doctest block mixes input and output, then only the input lines are read', () => {
    expect(sourceOf(">>> from transformers import pipeline\n>>> pipe = pipeline('fill-mask',\n...     model='x')\n[{'score': 0.1}]")).to.equal("from transformers import pipeline\npipe = pipeline('fill-mask',\n    model='x')");
  });

  it('when the best of several blocks runs as written, then the card scores 1', () => {
    const card = '```python\nmodel.config.forced_decoder_ids = None\n```\n\n```python\nfrom transformers import AutoModel\nAutoModel.from_pretrained("acme/tiny-model")\n```\n';

    const estimate = staticReproducibility.estimate(anEvidence({ card: aCard(card) }));

    expect(estimate.value).to.equal(1);
    expect(estimate.inputs['verdicts']).to.deep.equal([0, 1]);
  });

  it('when an execution-based estimate is given, then it replaces the static one', () => {
    const executed: ReproducibilityEstimate = { value: 0.5, method: 'execution', explanation: ['ran in a sandbox: failed until a missing dependency was installed'], inputs: { exitCode: 1 } };

    const result = reproducibility(evidenceFromReference(referenceModel('google-bert/bert-base-uncased')), executed);

    expect(result.value).to.equal(0.5);
    expect(result.inputs).to.deep.equal({ method: 'execution', exitCode: 1 });
  });

  it('when the 20 reference cards are read, then only the two without demo code score 0 and the rest run as written', () => {
    const verdicts = Object.values(referenceModels()).map((model) => [model.repo_id, reproducibility(evidenceFromReference(model)).value] as const);

    expect(verdicts.filter(([, value]) => value === 0).map(([id]) => id)).to.have.members(['google/gemma-3-270m', 'parvk11/audience_classifier_model']);
    expect(verdicts.filter(([, value]) => value === 1)).to.have.length(18);
  });
});
