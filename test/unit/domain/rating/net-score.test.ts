import { expect } from 'chai';
import { NET_SCORE_WEIGHTS, netScore, type MetricResult, type SizeScore } from '../../../../src/domain/rating';
import type { NetScoreInputs } from '../../../../src/domain/rating/net-score';

const result = (value: number, applicable = true): MetricResult => ({ value, applicable, explanation: [], inputs: {} });
const size = (value: SizeScore): MetricResult<SizeScore> => ({ value, applicable: true, explanation: [], inputs: {} });

function inputs(overrides: Partial<Record<keyof typeof NET_SCORE_WEIGHTS, number>> = {}): NetScoreInputs {
  const one = (name: Exclude<keyof typeof NET_SCORE_WEIGHTS, 'size_score'>) => result(overrides[name] ?? 1);
  return {
    license: one('license'), ramp_up_time: one('ramp_up_time'), bus_factor: one('bus_factor'), performance_claims: one('performance_claims'),
    dataset_and_code_score: one('dataset_and_code_score'), dataset_quality: one('dataset_quality'), code_quality: one('code_quality'),
    reproducibility: one('reproducibility'), reviewedness: one('reviewedness'),
    size_score: size({ raspberry_pi: 0, jetson_nano: 1, desktop_pc: 1, aws_server: 1 }),
  };
}

describe('net_score', () => {
  it('when the weights are read, then they sum to 1 and leave tree_score out', () => {
    expect(Object.values(NET_SCORE_WEIGHTS).reduce((sum, weight) => sum + weight, 0)).to.be.closeTo(1, 1e-12);
    expect(NET_SCORE_WEIGHTS).not.to.have.property('tree_score');
  });

  it('when every metric is 1 and size is the mean over devices, then the net score is 1 minus the size shortfall', () => {
    expect(netScore(inputs()).value).to.be.closeTo(1 - 0.05 * 0.25, 1e-12);
  });

  it('when reviewedness is -1, then it is left out and the weights re-normalised', () => {
    const net = netScore(inputs({ reviewedness: -1, license: 0 }));

    expect(net.value).to.be.closeTo((0.9 - 0.15 - 0.05 * 0.25) / 0.9, 1e-12);
    expect(net.inputs['excluded']).to.deep.equal(['reviewedness']);
  });

  it('when the net score is explained, then the sentences use plain names and shares, not the formula', () => {
    const net = netScore(inputs({ reviewedness: -1, reproducibility: 0, ramp_up_time: 0.5 }));

    const text = net.explanation.join(' ');
    expect(text).to.not.match(/_|×|-1|re-normalised/);
    expect(net.explanation[0]).to.match(/^The net score, \d\.\d+, is an average of 9 metrics/).and.include('license 1.00 (counts 17 %)').and.include('ramp-up time 0.50 (counts 11 %)');
    expect(net.explanation[1]).to.equal('Left out, with no value: reviewedness (the model links no code repository); the other metrics count for more to make up for it.');
    expect(net.explanation[2]).to.equal('It lost most on reproducibility (0.00), ramp-up time (0.50), size fit (average of the four devices) (0.75).');
  });

  it('when reviewedness is 0, then it counts as 0 rather than being left out', () => {
    expect(netScore(inputs({ reviewedness: 0 })).value).to.be.closeTo(0.9 - 0.05 * 0.25, 1e-12);
  });
});
