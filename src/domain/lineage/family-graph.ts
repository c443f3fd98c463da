import { LINEAGE_LIMITS, type LineageArtifact, type LineageEdge, type LineageGraph, type LineageLimits, type LineageNode, type LineageResolver, type LineageResult, findCycles } from './lineage-graph';

const byId = (a: LineageNode, b: LineageNode): number => (a.artifact_id < b.artifact_id ? -1 : a.artifact_id > b.artifact_id ? 1 : 0);
const edgeKey = (edge: LineageEdge): string => `${edge.from_node_artifact_id}\u0000${edge.to_node_artifact_id}\u0000${edge.relationship}`;
const byEdge = (a: LineageEdge, b: LineageEdge): number => (edgeKey(a) < edgeKey(b) ? -1 : edgeKey(a) > edgeKey(b) ? 1 : 0);

/** Nodes by id and edges by endpoints, each in a fixed order, so the same family reads the same from any member. */
export function canonicalGraph(graph: LineageGraph): LineageGraph {
  return { nodes: [...graph.nodes].sort(byId), edges: [...graph.edges].sort(byEdge) };
}

/**
 * The connected family of registered models around `rootId`: every model reachable along declared
 * model-to-model relationships in either direction (ancestors, descendants, their other parents and
 * children…), the root included. `models` are the registry's models with their declarations;
 * `resolve` finds the registered model a declared name refers to. Each node is a registered model
 * (`source: registry`); each edge runs parent → child with the relationship and the metadata that
 * declared it. The answer does not depend on which member was asked about.
 */
export function buildFamilyGraph(
  rootId: string,
  models: readonly LineageArtifact[],
  resolve: LineageResolver,
  limits: LineageLimits = LINEAGE_LIMITS,
): LineageResult {
  const byArtifact = new Map(models.map((model) => [model.id, model]));
  const edges = new Map<string, LineageEdge>();
  const neighbours = new Map<string, Set<string>>();
  const link = (a: string, b: string): void => {
    neighbours.set(a, (neighbours.get(a) ?? new Set()).add(b));
    neighbours.set(b, (neighbours.get(b) ?? new Set()).add(a));
  };
  for (const child of models) {
    for (const declaration of child.declarations) {
      if (declaration.kind !== 'model') continue;
      const parent = resolve(declaration.name, 'model');
      if (parent === undefined || parent.id === child.id || !byArtifact.has(parent.id)) continue;
      const edge: LineageEdge = { from_node_artifact_id: parent.id, to_node_artifact_id: child.id, relationship: declaration.relationship, source: declaration.source };
      if (!edges.has(edgeKey(edge))) edges.set(edgeKey(edge), edge);
      link(parent.id, child.id);
    }
  }
  const members = new Set<string>([rootId]);
  let truncated = false;
  for (const queue = [rootId]; queue.length > 0;) {
    const current = queue.shift() as string;
    for (const next of [...(neighbours.get(current) ?? [])].sort()) {
      if (members.has(next)) continue;
      if (members.size >= limits.maxNodes) {
        truncated = true;
        continue;
      }
      members.add(next);
      queue.push(next);
    }
  }
  const nodes = [...members].map((id): LineageNode => {
    const model = byArtifact.get(id);
    return { artifact_id: id, name: model?.name ?? id, source: 'registry', metadata: { ...model?.metadata, registered: true, type: 'model' } };
  });
  const graph = canonicalGraph({ nodes, edges: [...edges.values()].filter((edge) => members.has(edge.from_node_artifact_id) && members.has(edge.to_node_artifact_id)) });
  return { graph, cycles: findCycles(graph), truncated };
}

/**
 * Several lineage graphs as one: nodes and edges once each. A registered node keeps `source:
 * registry`; any other keeps the source of the first graph that named it (callers pass graphs in a
 * fixed order, so the union is the same whichever member was asked about).
 */
export function mergeLineage(results: readonly LineageResult[]): LineageResult {
  const nodes = new Map<string, LineageNode>();
  const edges = new Map<string, LineageEdge>();
  for (const { graph } of results) {
    for (const node of graph.nodes) {
      const registered = node.metadata?.['registered'] === true;
      if (!nodes.has(node.artifact_id) || registered) nodes.set(node.artifact_id, registered ? { ...node, source: 'registry' } : node);
    }
    for (const edge of graph.edges) if (!edges.has(edgeKey(edge))) edges.set(edgeKey(edge), edge);
  }
  const graph = canonicalGraph({ nodes: [...nodes.values()], edges: [...edges.values()] });
  return { graph, cycles: findCycles(graph), truncated: results.some((result) => result.truncated) };
}
