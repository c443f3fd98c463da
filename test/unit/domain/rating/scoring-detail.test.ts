import { expect } from 'chai';
import { gateDecision, plural, thousands, unavailableResult, type MetricResult, type ModelRating, type SizeScore } from '../../../../src/domain/rating';
import { netScore, type NetScoreInputs } from '../../../../src/domain/rating/net-score';

// The scoring core read word for word: what a person is told about a net score and a gate verdict.
const result = (value: number): MetricResult => ({ value, applicable: true, explanation: [], inputs: {} });
const ALL_ONE: SizeScore = { raspberry_pi: 1, jetson_nano: 1, desktop_pc: 1, aws_server: 1 };

function inputs(values: Partial<Record<Exclude<keyof NetScoreInputs, 'size_score'>, MetricResult>> = {}, size: SizeScore = ALL_ONE): NetScoreInputs {
  return {
    license: result(1), ramp_up_time: result(1), bus_factor: result(1), performance_claims: result(1), dataset_and_code_score: result(1),
    dataset_quality: result(1), code_quality: result(1), reproducibility: result(1), reviewedness: result(1),
    ...values,
    size_score: { value: size, applicable: true, explanation: [], inputs: {} },
  };
}

describe('net_score explained', () => {
  it('when every metric is perfect, then there is one sentence: nothing left out, nothing lost', () => {
    const net = netScore(inputs());

    expect(net.value).to.equal(1);
    expect(net.explanation).to.have.length(1);
    expect(net.explanation[0]).to.match(/^The net score, 1\.00, is an average of 10 metrics/);
  });

  it('when reviewedness has no repository and another metric could not be collected, then each is left out with its own reason', () => {
    const net = netScore(inputs({ reviewedness: result(-1), code_quality: unavailableResult('GitHub timed out') }));

    expect(net.inputs['excluded']).to.deep.equal(['code_quality', 'reviewedness']);
    expect(net.explanation[1]).to.equal('Left out, with no value: code quality (its evidence could not be collected), reviewedness (the model links no code repository); the other metrics count for more to make up for it.');
  });

  it('when reviewedness itself could not be collected, then it is left out as evidence not collected, not as a missing repository', () => {
    const net = netScore(inputs({ reviewedness: unavailableResult('rate limited') }));

    expect(net.explanation[1]).to.equal('Left out, with no value: reviewedness (its evidence could not be collected); the other metrics count for more to make up for it.');
  });

  it('when metrics fall short, then the three that cost most are named, largest loss first, and tiny losses are not', () => {
    const net = netScore(inputs({ license: result(0), ramp_up_time: result(0.5), bus_factor: result(0.2), code_quality: result(0.97) }, { ...ALL_ONE, raspberry_pi: 0 }));

    expect(net.explanation.at(-1)).to.equal('It lost most on license (0.00), bus factor (0.20), ramp-up time (0.50).');
  });

  it('when a loss is just at half a point of the score, then it is named; just below, it is not', () => {
    // code_quality counts 10 %: a shortfall of 0.05 loses exactly 0.005 of the net score.
    const atThreshold = netScore(inputs({ code_quality: result(0.95) }));
    const below = netScore(inputs({ code_quality: result(0.96) }));

    expect(atThreshold.explanation.at(-1)).to.equal('It lost most on code quality (0.95).');
    expect(below.explanation).to.have.length(1);
  });

  it('when every metric is left out, then the net score is 0, not a division by zero', () => {
    const none = result(-1);
    const net = netScore(inputs(
      { license: none, ramp_up_time: none, bus_factor: none, performance_claims: none, dataset_and_code_score: none, dataset_quality: none, code_quality: none, reproducibility: none, reviewedness: none },
      { raspberry_pi: -1, jetson_nano: -1, desktop_pc: -1, aws_server: -1 },
    ));

    expect(net.value).to.equal(0);
    expect(net.inputs['weightTotal']).to.equal(0);
  });
});

describe('the ingest gate at its edges', () => {
  const rating = (overrides: Partial<ModelRating> = {}): ModelRating => ({
    net_score: 1, ramp_up_time: 1, bus_factor: 1, performance_claims: 1, license: 1, size_score: ALL_ONE, dataset_and_code_score: 1,
    dataset_quality: 1, code_quality: 1, reproducibility: 1, reviewedness: 1, tree_score: 1, ...overrides,
  } as ModelRating);

  it('when the threshold is 1, then it is accepted and a perfect model passes; above 1, below 0 or not a number, it is refused', () => {
    expect(gateDecision(rating(), {}, 1).accepted).to.equal(true);
    for (const bad of [1.01, -0.01, Number.NaN]) expect(() => gateDecision(rating(), {}, bad), String(bad)).to.throw(RangeError);
  });

  it('when a metric says it does not apply, then it is skipped whatever its value; one with no word on it is checked', () => {
    const decision = gateDecision(rating({ license: 0, code_quality: 0 }), { license: { applicable: false } }, 0.5);

    expect(decision.skipped).to.deep.equal(['license']);
    expect(decision.checked).to.not.include('license');
    expect(decision.failing).to.deep.equal([{ metric: 'code_quality', value: 0 }]);
  });
});

describe('metric helpers', () => {
  it('when evidence is unavailable, then the result has no value, says why, and keeps its inputs', () => {
    expect(unavailableResult('GitHub answered 503', { repo: 'o/r' })).to.deep.equal({
      value: -1,
      applicable: false,
      unavailable: 'GitHub answered 503',
      inputs: { repo: 'o/r', unavailable: 'GitHub answered 503' },
      explanation: ['the evidence could not be collected: GitHub answered 503; not scored (-1) until it is re-collected'],
    });
  });

  it('when counts are written for people, then thousands are grouped and nouns agree', () => {
    expect([0, 999, 1000, 12345, 1234567, 999.6].map(thousands)).to.deep.equal(['0', '999', '1,000', '12,345', '1,234,567', '1,000']);
    expect([plural(1, 'file'), plural(2, 'file'), plural(0, 'file'), plural(2, 'child', 'children')]).to.deep.equal(['1 file', '2 files', '0 files', '2 children']);
  });
});
