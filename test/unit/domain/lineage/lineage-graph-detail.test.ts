import { expect } from 'chai';
import {
  ancestorsOf, buildLineageGraph, findCycles, parentsOf,
  type DeclarationKind, type LineageArtifact, type LineageDeclaration, type LineageGraph, type LineageResolver,
} from '../../../../src/domain/lineage';

function registry(...artifacts: LineageArtifact[]): LineageResolver {
  return (name: string, kind: DeclarationKind) => artifacts.find((artifact) => artifact.type === kind && artifact.name === name);
}

const declares = (name: string, overrides: Partial<LineageDeclaration> = {}): LineageDeclaration =>
  ({ name, kind: 'model', relationship: 'finetune', source: 'model_card', ...overrides });
const artifact = (id: string, ...declarations: LineageDeclaration[]): LineageArtifact => ({ id, name: `o/${id}`, type: 'model', declarations });

/** A graph written as `parent>child` edges over nodes in the given order. */
function graphOf(nodeIds: string[], edgeList: string[]): LineageGraph {
  return {
    nodes: nodeIds.map((id) => ({ artifact_id: id, name: id, source: 'model_card' as const, metadata: { type: 'model' } })),
    edges: edgeList.map((edge) => {
      const [from = '', to = ''] = edge.split('>');
      return { from_node_artifact_id: from, to_node_artifact_id: to, relationship: 'finetune' as const, source: 'model_card' as const };
    }),
  };
}

describe('buildLineageGraph in detail', () => {
  it('gives unregistered parents a link to where they live: GitHub for code, the Hub for models and datasets', () => {
    const root = artifact('r', declares('org/base'), declares('org/data', { kind: 'dataset', relationship: 'training_dataset' }), declares('org/code', { kind: 'code', relationship: 'training_code' }));

    const metadata = buildLineageGraph(root, registry(root)).graph.nodes.slice(1).map((node) => node.metadata);

    expect(metadata).to.deep.equal([
      { registered: false, type: 'model', repository_url: 'https://huggingface.co/org/base' },
      { registered: false, type: 'dataset', repository_url: 'https://huggingface.co/datasets/org/data' },
      { registered: false, type: 'code', repository_url: 'https://github.com/org/code' },
    ]);
  });

  it('when a parent declares the requested artifact back, then the requested node keeps its registry source', () => {
    const a = artifact('a', declares('o/b'));
    const b = artifact('b', declares('o/a', { source: 'config_json' }));

    const result = buildLineageGraph(a, registry(a, b));

    expect(result.graph.nodes.map((node) => `${node.artifact_id}:${node.source}`)).to.deep.equal(['a:registry', 'b:model_card']);
    expect(result.cycles).to.deep.equal([['a', 'b']]);
  });

  it('when the walk comes back to the requested artifact at the depth bound, then it is not counted as a cut', () => {
    const a = artifact('a', declares('o/b'));
    const b = artifact('b', declares('o/a'));

    expect(buildLineageGraph(a, registry(a, b), { maxDepth: 2, maxNodes: 100 }).truncated).to.equal(false);
  });

  it('when the parent at the depth bound declares no parents of its own, then nothing was cut', () => {
    const top = artifact('2');
    const middle = artifact('1', declares('o/2'));
    const root = artifact('0', declares('o/1'));

    const result = buildLineageGraph(root, registry(root, middle, top), { maxDepth: 2, maxNodes: 100 });

    expect(result.graph.nodes.map((node) => node.artifact_id)).to.deep.equal(['0', '1', '2']);
    expect(result.truncated).to.equal(false);
  });

  it('when one parent is declared twice with the same relationship, then the one edge keeps the first declaration\'s source', () => {
    const root = artifact('r', declares('o/p', { source: 'config_json' }), declares('o/p', { source: 'model_card' }));
    const parent = artifact('p');

    expect(buildLineageGraph(root, registry(root, parent)).graph.edges).to.deep.equal([
      { from_node_artifact_id: 'p', to_node_artifact_id: 'r', relationship: 'finetune', source: 'config_json' },
    ]);
  });
});

describe('findCycles in detail', () => {
  it('reports only the nodes on the cycle, not the path that led into it, starting at its smallest id', () => {
    expect(findCycles(graphOf(['p', 'b', 'a'], ['p>b', 'b>a', 'a>b']))).to.deep.equal([['a', 'b']]);
  });

  it('rotates a longer cycle to its smallest id and keeps its direction', () => {
    expect(findCycles(graphOf(['c', 'a', 'b'], ['c>b', 'b>a', 'a>c']))).to.deep.equal([['a', 'c', 'b']]);
  });

  it('when two different cycles spell the same letters, then both are reported', () => {
    const cycles = findCycles(graphOf(['ab', 'c', 'a', 'bc'], ['ab>c', 'c>ab', 'a>bc', 'bc>a']));

    expect(cycles).to.have.deep.members([['ab', 'c'], ['a', 'bc']]);
  });

  it('when diamonds are stacked deep, then each node is walked once and no cycle is found', () => {
    const levels = 40;
    const edgeList = Array.from({ length: levels }, (_, i) => [`n${i}>l${i}`, `n${i}>r${i}`, `l${i}>n${i + 1}`, `r${i}>n${i + 1}`]).flat();
    const nodeIds = Array.from({ length: levels }, (_, i) => [`n${i}`, `l${i}`, `r${i}`]).flat();

    expect(findCycles(graphOf([...nodeIds, `n${levels}`], edgeList))).to.deep.equal([]);
  });
});

describe('parentsOf and ancestorsOf in detail', () => {
  const graph = graphOf(['c', 'p', 'q', 'g'], ['p>c', 'q>c', 'g>p']);

  it('gives only the direct parents, not the grandparents nor the children', () => {
    expect(parentsOf(graph, 'c').map((node) => node.artifact_id)).to.deep.equal(['p', 'q']);
    expect(parentsOf(graph, 'p').map((node) => node.artifact_id)).to.deep.equal(['g']);
  });

  it('when a type is asked for, then parents of other types and parents without metadata are left out', () => {
    const mixed: LineageGraph = {
      nodes: [
        { artifact_id: 'c', name: 'c', source: 'registry', metadata: { type: 'model' } },
        { artifact_id: 'd', name: 'd', source: 'model_card', metadata: { type: 'dataset' } },
        { artifact_id: 'm', name: 'm', source: 'model_card', metadata: { type: 'model' } },
        { artifact_id: 'x', name: 'x', source: 'model_card' },
      ],
      edges: ['d', 'm', 'x'].map((from) => ({ from_node_artifact_id: from, to_node_artifact_id: 'c', relationship: 'finetune' as const, source: 'model_card' as const })),
    };

    expect(parentsOf(mixed, 'c', 'dataset').map((node) => node.artifact_id)).to.deep.equal(['d']);
    expect(parentsOf(mixed, 'c', 'model').map((node) => node.artifact_id)).to.deep.equal(['m']);
    expect(parentsOf(mixed, 'c').map((node) => node.artifact_id)).to.deep.equal(['d', 'm', 'x']);
  });

  it('lists every ancestor up a chain and nothing above the roots', () => {
    expect(ancestorsOf(graph, 'c').sort()).to.deep.equal(['g', 'p', 'q']);
    expect(ancestorsOf(graph, 'g')).to.deep.equal([]);
  });
});
