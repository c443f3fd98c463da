import { expect } from 'chai';
import {
  buildFamilyGraph, canonicalGraph, mergeLineage, type DeclarationKind, type LineageArtifact, type LineageEdge, type LineageNode, type LineageResolver, type LineageResult,
} from '../../../../src/domain/lineage';
import type { LineageDeclaration } from '../../../../src/domain/lineage/declarations';

// The family graph's exact answer: order, what is left out, and how graphs are merged.
const declare = (name: string, kind: DeclarationKind = 'model', relationship: LineageDeclaration['relationship'] = 'finetune'): LineageDeclaration =>
  ({ name, kind, relationship, source: 'model_card' } as LineageDeclaration);
const artifact = (id: string, declarations: LineageDeclaration[] = [], type: DeclarationKind = 'model'): LineageArtifact =>
  ({ id, name: `org/${id}`, type, declarations, metadata: { downloads: id.length } });
const resolverOf = (artifacts: LineageArtifact[]): LineageResolver => (name, kind) => artifacts.find((a) => a.name === name && a.type === kind);
const edge = (from: string, to: string, relationship = 'finetune'): LineageEdge =>
  ({ from_node_artifact_id: from, to_node_artifact_id: to, relationship, source: 'model_card' } as LineageEdge);
const node = (id: string, source: LineageNode['source'], registered: boolean): LineageNode => ({ artifact_id: id, name: id, source, metadata: { registered } });
const edgeText = (graph: { edges: readonly LineageEdge[] }) => graph.edges.map((e) => `${e.from_node_artifact_id}>${e.to_node_artifact_id}:${e.relationship}`);

describe('lineage: canonical order', () => {
  it('when nodes and edges come in any order, then nodes sort by id and edges by parent, child, then relationship', () => {
    const graph = canonicalGraph({
      nodes: ['e', 'c', 'a', 'd', 'b'].map((id) => node(id, 'registry', true)),
      edges: [edge('b', 'c'), edge('a', 'c', 'quantized'), edge('d', 'e'), edge('a', 'c', 'adapter'), edge('a', 'b'), edge('c', 'd')],
    });

    expect(graph.nodes.map((n) => n.artifact_id)).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
    expect(edgeText(graph)).to.deep.equal(['a>b:finetune', 'a>c:adapter', 'a>c:quantized', 'b>c:finetune', 'c>d:finetune', 'd>e:finetune']);
  });
});

describe('buildFamilyGraph: what counts as family', () => {
  it('when a model declares datasets, itself, an unregistered model or the same parent twice, then only one edge to the registered parent is drawn', () => {
    const base = artifact('base');
    const data = artifact('data', [], 'dataset');
    const child = artifact('child', [declare('org/data', 'dataset'), declare('org/child'), declare('org/ghost'), declare('org/base'), declare('org/base')]);
    const all = [base, data, child];

    const result = buildFamilyGraph('child', [base, child], resolverOf(all));

    expect(edgeText(result.graph)).to.deep.equal(['base>child:finetune']);
    expect(result.graph.nodes.map((n) => n.artifact_id)).to.deep.equal(['base', 'child']);
    expect(result.truncated).to.equal(false);
    expect(result.graph.nodes[0]).to.deep.equal({ artifact_id: 'base', name: 'org/base', source: 'registry', metadata: { downloads: 4, registered: true, type: 'model' } });
  });

  it('when the asked-for id is not among the models, then it is a lone node named by its id', () => {
    const result = buildFamilyGraph('missing', [artifact('base')], resolverOf([]));

    expect(result.graph.nodes).to.deep.equal([{ artifact_id: 'missing', name: 'missing', source: 'registry', metadata: { registered: true, type: 'model' } }]);
    expect(result.truncated).to.equal(false);
  });

  it('when the family is cut at the node bound, then no edge reaches a model left out', () => {
    const a = artifact('a');
    const b = artifact('b', [declare('org/a')]);
    const c = artifact('c', [declare('org/b')]);

    const result = buildFamilyGraph('a', [a, b, c], resolverOf([a, b, c]), { maxDepth: 10, maxNodes: 2 });

    expect(result.truncated).to.equal(true);
    expect(result.graph.nodes.map((n) => n.artifact_id)).to.deep.equal(['a', 'b']);
    expect(edgeText(result.graph)).to.deep.equal(['a>b:finetune']);
  });
});

describe('mergeLineage', () => {
  const result = (nodes: LineageNode[], edges: LineageEdge[], truncated = false): LineageResult => ({ graph: { nodes, edges }, cycles: [], truncated });

  it('when graphs overlap, then each node and edge appears once, a registered node wins as registry, others keep the first source', () => {
    const merged = mergeLineage([
      result([node('x', 'config_json', false), node('y', 'model_card', false)], [edge('x', 'y')]),
      result([node('x', 'model_card', true), node('y', 'config_json', false)], [edge('x', 'y'), edge('y', 'x', 'merge')]),
    ]);

    expect(merged.graph.nodes).to.deep.equal([node('x', 'registry', true), node('y', 'model_card', false)]);
    expect(edgeText(merged.graph)).to.deep.equal(['x>y:finetune', 'y>x:merge']);
    expect(merged.cycles).to.have.length(1);
  });

  it('when any one graph was cut, then the merge says so; when none was, it does not', () => {
    expect(mergeLineage([result([], []), result([], [], true)]).truncated).to.equal(true);
    expect(mergeLineage([result([], []), result([], [])]).truncated).to.equal(false);
  });
});

describe('buildFamilyGraph: which members the node bound keeps', () => {
  it('when the bound cuts a member\'s neighbours, then the ones with the smallest ids are kept, whatever order the registry lists them in', () => {
    const root = artifact('r');
    const models = [artifact('z', [declare('org/r')]), artifact('m', [declare('org/r')]), artifact('a', [declare('org/r')]), root];

    const result = buildFamilyGraph('r', models, resolverOf(models), { maxDepth: 10, maxNodes: 3 });

    expect(result.graph.nodes.map((n) => n.artifact_id)).to.deep.equal(['a', 'm', 'r']);
    expect(result.truncated).to.equal(true);
  });
});

describe('family graph and merge: the first declaration of an edge wins', () => {
  it('when a child declares the same parent twice with the same relationship, then the edge keeps the first source', () => {
    const root = artifact('r');
    const child: LineageArtifact = { id: 'c', name: 'org/c', type: 'model', declarations: [{ ...declare('org/r'), source: 'config_json' }, declare('org/r')] };
    const models = [root, child];

    expect(buildFamilyGraph('r', models, resolverOf(models)).graph.edges).to.deep.equal([
      { from_node_artifact_id: 'r', to_node_artifact_id: 'c', relationship: 'finetune', source: 'config_json' },
    ]);
  });

  it('when two graphs hold the same edge from different metadata, then the merge keeps the first one\'s', () => {
    const result = (graphEdge: LineageEdge): LineageResult => ({ graph: { nodes: [node('a', 'registry', true), node('b', 'registry', true)], edges: [graphEdge] }, cycles: [], truncated: false });

    const merged = mergeLineage([result({ ...edge('a', 'b'), source: 'config_json' }), result(edge('a', 'b'))]);

    expect(merged.graph.edges).to.deep.equal([{ ...edge('a', 'b'), source: 'config_json' }]);
  });

  it('when a merged node carries no metadata, then it is kept as an unregistered node', () => {
    const bare: LineageNode = { artifact_id: 'x', name: 'x', source: 'model_card' };

    const merged = mergeLineage([{ graph: { nodes: [bare], edges: [] }, cycles: [], truncated: false }]);

    expect(merged.graph.nodes).to.deep.equal([bare]);
  });
});
