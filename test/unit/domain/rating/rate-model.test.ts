import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'chai';
import { parse as parseYaml } from 'yaml';
import { METRIC_NAMES, rateModel, round3, SIZE_DEVICES } from '../../../../src/domain/rating';
import { steppingClock } from './evidence-mother';
import { evidenceFromReference, referenceModel, referenceModels } from './reference-evidence';

interface Schema {
  readonly required: readonly string[];
  readonly properties: Record<string, { readonly required?: readonly string[] }>;
}

const modelRatingSchema = (): Schema => {
  const document = parseYaml(readFileSync(resolve(__dirname, '../../../../openapi/openapi.yaml'), 'utf8')) as { components: { schemas: Record<string, Schema> } };
  const schema = document.components.schemas['ModelRating'];
  if (!schema) throw new Error('openapi/openapi.yaml has no ModelRating schema');
  return schema;
};

const decimals = (value: number): number => (String(value).split('.')[1] ?? '').length;

describe('rateModel', () => {
  it('when a model is rated, then the rating has exactly the fields of the contract ModelRating', () => {
    const schema = modelRatingSchema();

    const { rating } = rateModel(evidenceFromReference(referenceModel('openai/whisper-tiny')), {}, steppingClock(1));

    expect(Object.keys(rating)).to.have.members([...schema.required]);
    expect(Object.keys(rating.size_score)).to.have.members([...(schema.properties['size_score']?.required ?? [])]);
  });

  it('when each of the 20 reference models is rated twice, then both ratings and explanations are identical', () => {
    for (const model of Object.values(referenceModels())) {
      const first = rateModel(evidenceFromReference(model), {}, steppingClock(3));
      const second = rateModel(evidenceFromReference(model), {}, steppingClock(3));

      expect(second, model.repo_id).to.deep.equal(first);
    }
  });

  it('when the 20 reference models are rated, then every score is in [0,1] with at most 3 decimals, or -1 exactly when it has no value', () => {
    for (const model of Object.values(referenceModels())) {
      const { rating, explanation } = rateModel(evidenceFromReference(model), {}, steppingClock(1));
      const scores = [rating.net_score, rating.ramp_up_time, rating.performance_claims, rating.license, rating.dataset_and_code_score, rating.reproducibility, rating.tree_score, ...SIZE_DEVICES.map((device) => rating.size_score[device])];

      for (const score of scores) {
        expect(score, model.repo_id).to.be.within(0, 1);
        expect(decimals(score), `${model.repo_id} ${score}`).to.be.at.most(3);
      }
      for (const metric of ['bus_factor', 'dataset_quality', 'code_quality', 'reviewedness'] as const) {
        const value = rating[metric];
        expect(value === -1 ? !explanation[metric].applicable : value >= 0 && value <= 1, `${model.repo_id} ${metric} ${value}`).to.equal(true);
      }
    }
  });

  it('when the clock advances 2 ms per reading and license evidence took 0.5 s to collect, then latencies add both', () => {
    const { rating, explanation } = rateModel(evidenceFromReference(referenceModel('gpt2')), { collectionSeconds: { license: 0.5 } }, steppingClock(2));

    expect(rating.ramp_up_time_latency).to.equal(0.002);
    expect(rating.license_latency).to.equal(0.502);
    expect(explanation.license.latencySeconds).to.equal(0.502);
    expect(rating.tree_score_latency).to.equal(0.002);
  });

  it('when the net score is timed, then its latency includes the latency of every metric it combines', () => {
    const { rating } = rateModel(evidenceFromReference(referenceModel('gpt2')), { collectionSeconds: { bus_factor: 1, tree_score: 7 } }, steppingClock(2));

    expect(rating.net_score_latency).to.equal(round3(0.002 + 10 * 0.002 + 1));
  });

  it('when parents with net scores are given, then tree_score averages them and net_score does not change', () => {
    const evidence = evidenceFromReference(referenceModel('parvk11/audience_classifier_model'));
    const alone = rateModel(evidence, {}, steppingClock(1));

    const withParent = rateModel(evidence, { parents: [{ id: 'bert', name: 'distilbert-base-uncased', netScore: 0.7051 }] }, steppingClock(1));

    expect(withParent.rating.tree_score).to.equal(0.705);
    expect(withParent.rating.net_score).to.equal(alone.rating.net_score);
  });

  it('when the registry name differs from the repository id, then the rating carries the registry name', () => {
    expect(rateModel(evidenceFromReference(referenceModel('gpt2')), { name: 'gpt2-acme-mirror' }, steppingClock(1)).rating.name).to.equal('gpt2-acme-mirror');
  });

  it('when an execution estimate is passed in, then it is used instead of the static estimator', () => {
    const estimate = { value: 0 as const, method: 'execution' as const, explanation: ['crashed'], inputs: {} };

    const { rating, explanation } = rateModel(evidenceFromReference(referenceModel('gpt2')), { reproducibility: estimate }, steppingClock(1));

    expect(rating.reproducibility).to.equal(0);
    expect(explanation.reproducibility.inputs['method']).to.equal('execution');
  });

  it('when a rating is explained, then every metric has a value, reasons, inputs, applicability and latency', () => {
    const { explanation } = rateModel(evidenceFromReference(referenceModel('openai/whisper-tiny')), {}, steppingClock(1));

    for (const name of METRIC_NAMES) {
      expect(explanation[name], name).to.include.all.keys('value', 'explanation', 'inputs', 'applicable', 'latencySeconds');
      expect(explanation[name].explanation.length, name).to.be.above(0);
    }
    expect(explanation.category.value).to.equal('automatic-speech-recognition');
  });

  it('when values are rounded, then halves round away from zero and -0 never appears', () => {
    expect([round3(0.0005), round3(1.0005), round3(0.6664999), round3(-0.0001), round3(-1)]).to.deep.equal([0.001, 1.001, 0.666, 0, -1]);
    expect(Object.is(round3(-0.0001), 0)).to.equal(true);
  });
});
