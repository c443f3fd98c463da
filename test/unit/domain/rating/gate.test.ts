import { expect } from 'chai';
import { DEFAULT_MIN_SCORE, gateDecision, rateModel, type ModelRating } from '../../../../src/domain/rating';
import { steppingClock } from './evidence-mother';
import { evidenceFromReference, referenceModel } from './reference-evidence';

const rated = (id: string) => rateModel(evidenceFromReference(referenceModel(id)), {}, steppingClock(1));

describe('gateDecision', () => {
  it('when every applicable metric reaches the threshold, then the model is accepted and the inapplicable ones are named as skipped', () => {
    const { rating, explanation } = rated('albert-base-v2');

    const decision = gateDecision(rating, explanation, DEFAULT_MIN_SCORE);

    expect(decision.accepted).to.equal(true);
    expect(decision.skipped).to.have.members(['dataset_quality', 'code_quality', 'reviewedness', 'tree_score']);
  });

  it('when a template card without license is rated, then it is refused with each failing metric and its value', () => {
    const { rating, explanation } = rated('parvk11/audience_classifier_model');

    const decision = gateDecision(rating, explanation, 0.5);

    expect(decision.accepted).to.equal(false);
    expect(decision.failing.map((failure) => failure.metric)).to.deep.equal(['net_score', 'ramp_up_time', 'performance_claims', 'license', 'dataset_and_code_score', 'reproducibility']);
    expect(decision.failing.find((failure) => failure.metric === 'license')).to.deep.equal({ metric: 'license', value: 0 });
  });

  it('when reviewedness is -1, then it does not disqualify even without explanations', () => {
    const { rating } = rated('albert-base-v2');

    expect(gateDecision({ ...rating, reviewedness: -1 }, {}, 0.5).skipped).to.include('reviewedness');
  });

  it('when a repository is linked but its review history was not collected, then reviewedness is skipped and named as unavailable', () => {
    const { rating, explanation } = rated('openai/whisper-tiny');

    const decision = gateDecision(rating, explanation, 0.5);

    expect(decision.accepted).to.equal(true);
    expect(decision.skipped).to.include('reviewedness');
    expect(decision.unavailable).to.deep.equal([{ metric: 'reviewedness', reason: 'no review history was collected for openai/whisper' }]);
  });

  it('when a linked repository shows nothing reviewed, then reviewedness 0 fails the gate', () => {
    const { rating, explanation } = rated('openai/whisper-tiny');
    const shown = { ...explanation, reviewedness: { ...explanation.reviewedness, applicable: true, value: 0 } };

    expect(gateDecision({ ...rating, reviewedness: 0 }, shown, 0.5).failing).to.deep.include({ metric: 'reviewedness', value: 0 });
  });

  it('when only the cloud server can hold the model, then size_score passes on its best device', () => {
    const { rating, explanation } = rated('albert-base-v2');
    const huge: ModelRating = { ...rating, size_score: { raspberry_pi: 0, jetson_nano: 0, desktop_pc: 0, aws_server: 0.72 } };

    expect(gateDecision(huge, explanation, 0.5).accepted).to.equal(true);
    expect(gateDecision({ ...huge, size_score: { ...huge.size_score, aws_server: 0.49 } }, explanation, 0.5).failing).to.deep.equal([{ metric: 'size_score', value: 0.49 }]);
  });

  it('when tree_score applies and is low, then it fails the gate; when it does not apply, then it is skipped', () => {
    const { rating, explanation } = rated('albert-base-v2');

    expect(gateDecision({ ...rating, tree_score: 0.2 }, { ...explanation, tree_score: { ...explanation.tree_score, applicable: true } }, 0.5).failing).to.deep.equal([{ metric: 'tree_score', value: 0.2 }]);
    expect(gateDecision({ ...rating, tree_score: 0.2 }, explanation, 0.5).accepted).to.equal(true);
  });

  it('when the threshold is 0, then everything passes; when it is out of range, then it is refused', () => {
    const { rating, explanation } = rated('parvk11/audience_classifier_model');

    expect(gateDecision(rating, explanation, 0).accepted).to.equal(true);
    expect(() => gateDecision(rating, explanation, 1.5)).to.throw(RangeError, 'from 0 to 1');
    expect(() => gateDecision(rating, explanation, Number.NaN)).to.throw(RangeError);
  });
});
