import { expect } from 'chai';
import {
  ancestorsOf, buildLineageGraph, declaredParents, externalNodeId, parentsOf,
  type DeclarationKind, type LineageArtifact, type LineageResolver,
} from '../../../../src/domain/lineage';

/** A registry as the caller would load it: artifacts by id, looked up by the name their metadata uses. */
function registry(...artifacts: LineageArtifact[]): LineageResolver {
  return (name: string, kind: DeclarationKind) => artifacts.find((artifact) => artifact.type === kind && artifact.name.toLowerCase() === name.toLowerCase());
}

const model = (id: string, name: string, card: Record<string, unknown> = {}): LineageArtifact =>
  ({ id, name, type: 'model', declarations: declaredParents({ repo: name, cardMetadata: card }).declarations });
const dataset = (id: string, name: string): LineageArtifact => ({ id, name, type: 'dataset', declarations: [] });
const edges = (result: ReturnType<typeof buildLineageGraph>) => result.graph.edges.map((edge) => `${edge.from_node_artifact_id}->${edge.to_node_artifact_id}:${edge.relationship}`);

describe('buildLineageGraph', () => {
  it('when a chain of registered models declares its bases, then the graph is transitive with edges from parent to child', () => {
    const base = model('1', 'google-bert/bert-base-uncased');
    const tuned = model('2', 'acme/bert-squad', { base_model: 'google-bert/bert-base-uncased' });
    const quant = model('3', 'acme/bert-squad-q4', { base_model: 'acme/bert-squad', base_model_relation: 'quantized' });

    const result = buildLineageGraph(quant, registry(base, tuned, quant));

    expect(edges(result)).to.deep.equal(['2->3:quantized', '1->2:finetune']);
    expect(result.graph.nodes.map((node) => `${node.artifact_id}:${node.source}`)).to.deep.equal(['3:registry', '2:model_card', '1:model_card']);
    expect(result).to.deep.include({ cycles: [], truncated: false });
  });

  it('when two parents share a grandparent (a diamond), then the grandparent appears once with both edges', () => {
    const root = model('g', 'org/base');
    const left = model('l', 'org/left', { base_model: 'org/base' });
    const right = model('r', 'org/right', { base_model: 'org/base' });
    const merged = model('m', 'org/merged', { base_model: ['org/left', 'org/right'] });

    const result = buildLineageGraph(merged, registry(root, left, right, merged));

    expect(result.graph.nodes.map((node) => node.artifact_id)).to.deep.equal(['m', 'l', 'r', 'g']);
    expect(edges(result)).to.deep.equal(['l->m:merge', 'r->m:merge', 'g->l:finetune', 'g->r:finetune']);
  });

  it('when two models declare each other, then the walk ends and the cycle is reported once', () => {
    const a = model('a', 'org/a', { base_model: 'org/b' });
    const b = model('b', 'org/b', { base_model: 'org/a' });

    const result = buildLineageGraph(a, registry(a, b));

    expect(edges(result)).to.deep.equal(['b->a:finetune', 'a->b:finetune']);
    expect(result.cycles).to.deep.equal([['a', 'b']]);
  });

  it('when a parent is not registered, then it is an external node with a stable id and the walk stops there', () => {
    const child = model('c', 'acme/child', { base_model: 'meta-llama/Llama-2-7b-hf', datasets: ['rajpurkar/squad'] });

    const first = buildLineageGraph(child, registry(child));
    const again = buildLineageGraph(child, registry(child));

    const external = first.graph.nodes.find((node) => node.name === 'meta-llama/Llama-2-7b-hf');
    expect(external).to.deep.equal({
      artifact_id: externalNodeId('model', 'meta-llama/Llama-2-7b-hf'), name: 'meta-llama/Llama-2-7b-hf', source: 'model_card',
      metadata: { registered: false, type: 'model', repository_url: 'https://huggingface.co/meta-llama/Llama-2-7b-hf' },
    });
    expect(external?.artifact_id).to.match(/^ext-[0-9a-f]{16}$/);
    expect(again).to.deep.equal(first);
  });

  it('when the parent is registered after the child, then reading the lineage again links them without touching the child', () => {
    const child = model('c', 'acme/child', { base_model: 'acme/parent' });
    const before = buildLineageGraph(child, registry(child));

    const after = buildLineageGraph(child, registry(child, model('p', 'acme/parent')));

    expect(before.graph.edges[0]?.from_node_artifact_id).to.match(/^ext-/);
    expect(edges(after)).to.deep.equal(['p->c:finetune']);
  });

  it('when a registered dataset is declared, then it is a node with its registry id', () => {
    const child = model('c', 'acme/child', { base_model: 'org/base', datasets: 'rajpurkar/squad' });

    const result = buildLineageGraph(child, registry(child, dataset('d', 'rajpurkar/squad')));

    expect(parentsOf(result.graph, 'c', 'dataset').map((node) => node.artifact_id)).to.deep.equal(['d']);
    expect(parentsOf(result.graph, 'c', 'model').map((node) => node.name)).to.deep.equal(['org/base']);
  });

  it('when the ancestry is deeper than the bound, then the walk stops and says it was truncated', () => {
    const chain = Array.from({ length: 6 }, (_, i) => model(String(i), `org/m${i}`, i < 5 ? { base_model: `org/m${i + 1}` } : {}));

    const result = buildLineageGraph(chain[0] as LineageArtifact, registry(...chain), { maxDepth: 3, maxNodes: 100 });

    expect(result.graph.nodes.map((node) => node.artifact_id)).to.deep.equal(['0', '1', '2', '3']);
    expect(result.truncated).to.equal(true);
  });

  it('when the graph would exceed the node bound, then extra parents are left out and it says it was truncated', () => {
    const child = model('c', 'acme/merge', { base_model: ['o/a', 'o/b', 'o/c', 'o/d'] });

    const result = buildLineageGraph(child, registry(child), { maxDepth: 10, maxNodes: 3 });

    expect(result.graph.nodes).to.have.length(3);
    expect(result.truncated).to.equal(true);
  });

  it('when an artifact resolves to itself, then no self edge is drawn', () => {
    const self: LineageArtifact = { id: 's', name: 'org/s', type: 'model', declarations: [{ name: 'org/s', kind: 'model', relationship: 'finetune', source: 'model_card' }] };

    expect(buildLineageGraph(self, registry(self)).graph.edges).to.deep.equal([]);
  });

  it('when ancestors are listed, then each appears once even through a diamond and a cycle', () => {
    const a = model('a', 'o/a', { base_model: ['o/b', 'o/c'] });
    const b = model('b', 'o/b', { base_model: 'o/d' });
    const c = model('c', 'o/c', { base_model: 'o/d' });
    const d = model('d', 'o/d', { base_model: 'o/a' });

    const graph = buildLineageGraph(a, registry(a, b, c, d)).graph;

    expect(ancestorsOf(graph, 'a').sort()).to.deep.equal(['b', 'c', 'd']);
  });
});

describe('externalNodeId', () => {
  it('when the same name is written in another case, then the id is the same; another kind gives another id', () => {
    expect(externalNodeId('model', 'Org/Name')).to.equal(externalNodeId('model', 'org/name'));
    expect(externalNodeId('dataset', 'org/name')).not.to.equal(externalNodeId('model', 'org/name'));
  });
});
