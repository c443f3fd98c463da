import { expect } from 'chai';
import {
  buildFamilyGraph, buildLineageGraph, declaredParents, mergeLineage, type DeclarationKind, type LineageArtifact, type LineageResolver,
} from '../../../../src/domain/lineage';

function registry(...artifacts: LineageArtifact[]): LineageResolver {
  return (name: string, kind: DeclarationKind) => artifacts.find((artifact) => artifact.type === kind && artifact.name.toLowerCase() === name.toLowerCase());
}

const model = (id: string, name: string, card: Record<string, unknown> = {}): LineageArtifact =>
  ({ id, name, type: 'model', declarations: declaredParents({ repo: name, cardMetadata: card }).declarations, metadata: { registered: true } });
const edges = (result: ReturnType<typeof buildFamilyGraph>) => result.graph.edges.map((edge) => `${edge.from_node_artifact_id}->${edge.to_node_artifact_id}:${edge.relationship}`);

describe('buildFamilyGraph', () => {
  const base = model('1', 'org/base');
  const chat = model('2', 'org/chat', { base_model: 'org/base' });
  const quant = model('3', 'org/chat-q4', { base_model: 'org/chat', base_model_relation: 'quantized' });
  const merged = model('4', 'org/merged', { base_model: ['org/chat', 'other/model'] });
  const other = model('5', 'other/model');
  const stranger = model('6', 'org/stranger', { base_model: 'nobody/here' });
  const all = [base, chat, quant, merged, other, stranger];

  it('when a leaf is asked, then its ancestors, their descendants and co-parents form one family, and strangers stay out', () => {
    const result = buildFamilyGraph('3', all, registry(...all));

    expect(result.graph.nodes.map((node) => node.artifact_id)).to.deep.equal(['1', '2', '3', '4', '5']);
    expect(edges(result)).to.deep.equal(['1->2:finetune', '2->3:quantized', '2->4:merge', '5->4:merge']);
    expect(result.graph.nodes.every((node) => node.source === 'registry')).to.equal(true);
  });

  it('when each member is asked, then each gets exactly the same graph', () => {
    const graphs = ['1', '2', '3', '4', '5'].map((id) => buildFamilyGraph(id, all, registry(...all)).graph);

    for (const graph of graphs) expect(graph).to.deep.equal(graphs[0]);
  });

  it('when a model declares a parent nobody registered, then it is alone', () => {
    expect(buildFamilyGraph('6', all, registry(...all)).graph).to.deep.equal({ nodes: [{ artifact_id: '6', name: 'org/stranger', source: 'registry', metadata: { registered: true, type: 'model' } }], edges: [] });
  });

  it('when two models name each other, then the cycle is reported and the walk ends', () => {
    const a = model('a', 'x/a', { base_model: 'x/b' });
    const b = model('b', 'x/b', { base_model: 'x/a' });

    expect(buildFamilyGraph('a', [a, b], registry(a, b)).cycles).to.deep.equal([['a', 'b']]);
  });

  it('when the family is larger than the node bound, then it is cut and says so', () => {
    const result = buildFamilyGraph('1', all, registry(...all), { maxDepth: 10, maxNodes: 3 });

    expect(result.graph.nodes).to.have.length(3);
    expect(result.truncated).to.equal(true);
  });
});

describe('mergeLineage', () => {
  it('when ancestor graphs of several members are merged, then nodes and edges appear once and registered ones say registry', () => {
    const base = model('1', 'org/base', { datasets: ['squad'] });
    const chat = model('2', 'org/chat', { base_model: 'org/base' });
    const resolve = registry(base, chat);

    const merged = mergeLineage([buildLineageGraph(chat, resolve), buildLineageGraph(base, resolve)]);

    expect(merged.graph.nodes.map((node) => `${node.artifact_id.startsWith('ext-') ? 'ext' : node.artifact_id}:${node.source}`)).to.deep.equal(['1:registry', '2:registry', 'ext:model_card']);
    expect(merged.graph.edges).to.have.length(2);
  });
});
