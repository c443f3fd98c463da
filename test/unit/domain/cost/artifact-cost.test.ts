import { expect } from 'chai';
import { BYTES_PER_MB, dependencyCost, standaloneCost, standaloneCostMb } from '../../../../src/domain/cost';
import { buildLineageGraph, declaredParents, type LineageArtifact } from '../../../../src/domain/lineage';
import { referenceModel } from '../rating/reference-evidence';

const edge = (from: string, to: string) => ({ from_node_artifact_id: from, to_node_artifact_id: to });

describe('standaloneCostMb', () => {
  it('when bert-base-uncased (3,454,102,158 bytes) is priced, then it costs 3454.102 decimal MB', () => {
    expect(BYTES_PER_MB).to.equal(1_000_000);
    expect(standaloneCostMb(referenceModel('google-bert/bert-base-uncased').size)).to.equal(3454.102);
  });

  it('when no dependencies are asked for, then only total_cost of the artifact is given', () => {
    expect(standaloneCost('3847247294', 412_500_000)).to.deep.equal({ '3847247294': { total_cost: 412.5 } });
  });

  it('when a size is negative or not a number, then it is refused', () => {
    expect(() => standaloneCostMb(-1)).to.throw(RangeError);
    expect(() => standaloneCostMb(Number.NaN)).to.throw(RangeError);
  });
});

describe('dependencyCost', () => {
  it('when the contract example (one artifact, two dependencies) is priced, then the totals match it', () => {
    const graph = { edges: [edge('4628173590', '3847247294'), edge('5738291045', '3847247294')] };

    const cost = dependencyCost('3847247294', graph, { '3847247294': 412_500_000, '4628173590': 280_000_000, '5738291045': 562_500_000 });

    expect(cost).to.deep.equal({
      '3847247294': { standalone_cost: 412.5, total_cost: 1255 },
      '4628173590': { standalone_cost: 280, total_cost: 280 },
      '5738291045': { standalone_cost: 562.5, total_cost: 562.5 },
    });
  });

  it('when two parents share a grandparent (a diamond), then the grandparent is counted once', () => {
    const graph = { edges: [edge('l', 'm'), edge('r', 'm'), edge('g', 'l'), edge('g', 'r')] };

    const cost = dependencyCost('m', graph, { m: 1e6, l: 2e6, r: 3e6, g: 10e6 });

    expect(cost['m']).to.deep.equal({ standalone_cost: 1, total_cost: 16 });
    expect(cost['l']).to.deep.equal({ standalone_cost: 2, total_cost: 12 });
    expect(Object.keys(cost)).to.have.members(['m', 'l', 'r', 'g']);
  });

  it('when the lineage has a cycle, then each artifact is still counted once', () => {
    const cost = dependencyCost('a', { edges: [edge('b', 'a'), edge('a', 'b')] }, { a: 1e6, b: 2e6 });

    expect(cost).to.deep.equal({ a: { standalone_cost: 1, total_cost: 3 }, b: { standalone_cost: 2, total_cost: 3 } });
  });

  it('when an ancestor is external, then it has no size and is left out', () => {
    const child: LineageArtifact = { id: 'c', name: 'acme/child', type: 'model', declarations: declaredParents({ cardMetadata: { base_model: 'meta-llama/Llama-2-7b-hf', datasets: 'acme/tickets' } }).declarations };
    const tickets: LineageArtifact = { id: 'd', name: 'acme/tickets', type: 'dataset', declarations: [] };
    const { graph } = buildLineageGraph(child, (name) => (name === 'acme/tickets' ? tickets : undefined));

    const cost = dependencyCost('c', graph, { c: 500_000, d: 1_500_000 });

    expect(cost).to.deep.equal({ c: { standalone_cost: 0.5, total_cost: 2 }, d: { standalone_cost: 1.5, total_cost: 1.5 } });
  });

  it('when sizes are summed, then bytes are added before rounding so rounding does not accumulate', () => {
    const cost = dependencyCost('a', { edges: [edge('b', 'a'), edge('c', 'a')] }, { a: 400, b: 400, c: 400 });

    expect(cost['a']).to.deep.equal({ standalone_cost: 0, total_cost: 0.001 });
  });

  it('when the requested artifact has no known size, then it is refused', () => {
    expect(() => dependencyCost('x', { edges: [] }, {})).to.throw(RangeError, 'no size is known');
  });
});
