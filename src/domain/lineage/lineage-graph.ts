import type { DeclarationKind, LineageDeclaration, LineageRelationship, LineageSource } from './declarations';
import { externalNodeId } from './stable-id';

/** A registered artifact as the lineage needs it: who it is and which parents its metadata declares. */
export interface LineageArtifact {
  readonly id: string;
  readonly name: string;
  readonly type: DeclarationKind;
  readonly declarations: readonly LineageDeclaration[];
  /** Facts shown on its node, e.g. `{ repository_url, revision }`. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * Finds the registered artifact a declared name refers to (by source repository or name), over data
 * the caller already loaded; undefined when the registry does not hold it.
 */
export type LineageResolver = (name: string, kind: DeclarationKind) => LineageArtifact | undefined;

/** The contract's ArtifactLineageNode. */
export interface LineageNode {
  readonly artifact_id: string;
  readonly name: string;
  /** How the node was found: `registry` for the requested artifact, else the metadata that named it. */
  readonly source: LineageSource | 'registry';
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** The contract's ArtifactLineageEdge, parent → child, plus the metadata that revealed it. */
export interface LineageEdge {
  readonly from_node_artifact_id: string;
  readonly to_node_artifact_id: string;
  readonly relationship: LineageRelationship;
  readonly source: LineageSource;
}

export interface LineageGraph {
  readonly nodes: readonly LineageNode[];
  readonly edges: readonly LineageEdge[];
}

export interface LineageResult {
  readonly graph: LineageGraph;
  /** Each cycle once, as node ids from a node back to itself (exclusive). */
  readonly cycles: readonly (readonly string[])[];
  /** A bound stopped the walk; some registered ancestors were not expanded. */
  readonly truncated: boolean;
}

export interface LineageLimits {
  /** Generations walked above the requested artifact. */
  readonly maxDepth: number;
  readonly maxNodes: number;
}

export const LINEAGE_LIMITS: LineageLimits = { maxDepth: 10, maxNodes: 200 };

class GraphBuilder {
  readonly nodes = new Map<string, LineageNode>();
  readonly edges = new Map<string, LineageEdge>();
  truncated = false;

  addNode(node: LineageNode): boolean {
    if (this.nodes.has(node.artifact_id)) return false;
    this.nodes.set(node.artifact_id, node);
    return true;
  }

  addEdge(from: string, to: string, declaration: LineageDeclaration): void {
    const key = `${from}\u0000${to}\u0000${declaration.relationship}`;
    if (!this.edges.has(key)) this.edges.set(key, { from_node_artifact_id: from, to_node_artifact_id: to, relationship: declaration.relationship, source: declaration.source });
  }
}

const repositoryUrl = (kind: DeclarationKind, name: string): string =>
  kind === 'code' ? `https://github.com/${name}` : `https://huggingface.co/${kind === 'dataset' ? 'datasets/' : ''}${name}`;

function externalNode(declaration: LineageDeclaration): LineageNode {
  return {
    artifact_id: externalNodeId(declaration.kind, declaration.name),
    name: declaration.name,
    source: declaration.source,
    metadata: { registered: false, type: declaration.kind, repository_url: repositoryUrl(declaration.kind, declaration.name) },
  };
}

const registeredNode = (artifact: LineageArtifact, source: LineageNode['source']): LineageNode => ({
  artifact_id: artifact.id,
  name: artifact.name,
  source,
  metadata: { ...artifact.metadata, registered: true, type: artifact.type },
});

/**
 * The lineage of `root`: its declared parents, and theirs while they are registered here (an
 * unregistered ancestor is an external node with a stable id, and the walk stops there). Computed at
 * read time from stored declarations and the registry's current contents, so registering a parent
 * after its child links them without touching the child. Breadth-first, each artifact expanded once
 * (a visited set), so diamonds share nodes and cycles end; cycles are reported, never followed twice.
 */
export function buildLineageGraph(root: LineageArtifact, resolve: LineageResolver, limits: LineageLimits = LINEAGE_LIMITS): LineageResult {
  const builder = new GraphBuilder();
  builder.addNode(registeredNode(root, 'registry'));
  const expanded = new Set<string>([root.id]);
  let frontier: LineageArtifact[] = [root];
  for (let depth = 0; frontier.length > 0; depth += 1) {
    const next: LineageArtifact[] = [];
    for (const child of frontier) {
      for (const declaration of child.declarations) {
        const parent = resolve(declaration.name, declaration.kind);
        if (parent?.id === child.id) continue;
        const node = parent ? registeredNode(parent, declaration.source) : externalNode(declaration);
        if (!builder.nodes.has(node.artifact_id) && builder.nodes.size >= limits.maxNodes) {
          builder.truncated = true;
          continue;
        }
        builder.addNode(node);
        builder.addEdge(node.artifact_id, child.id, declaration);
        if (!parent || expanded.has(parent.id)) continue;
        if (depth + 1 >= limits.maxDepth) {
          if (parent.declarations.length > 0) builder.truncated = true;
          continue;
        }
        expanded.add(parent.id);
        next.push(parent);
      }
    }
    frontier = next;
  }
  const graph = { nodes: [...builder.nodes.values()], edges: [...builder.edges.values()] };
  return { graph, cycles: findCycles(graph), truncated: builder.truncated };
}

/** Cycles along parent → child edges, each reported once (rotated to start at its smallest id). */
export function findCycles(graph: LineageGraph): string[][] {
  const children = new Map<string, string[]>();
  for (const edge of graph.edges) children.set(edge.from_node_artifact_id, [...(children.get(edge.from_node_artifact_id) ?? []), edge.to_node_artifact_id]);
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const found = new Map<string, string[]>();
  const visit = (id: string): void => {
    state.set(id, 'open');
    path.push(id);
    for (const next of children.get(id) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = path.slice(path.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0] ?? next);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        found.set(rotated.join('>'), rotated);
      } else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(id, 'done');
  };
  for (const node of graph.nodes) if (!state.has(node.artifact_id)) visit(node.artifact_id);
  return [...found.values()];
}

/** The nodes with an edge into `id`: its direct parents, optionally of one type only. */
export function parentsOf(graph: LineageGraph, id: string, type?: DeclarationKind): LineageNode[] {
  const parentIds = new Set(graph.edges.filter((edge) => edge.to_node_artifact_id === id).map((edge) => edge.from_node_artifact_id));
  return graph.nodes.filter((node) => parentIds.has(node.artifact_id) && (type === undefined || node.metadata?.['type'] === type));
}

/** Every node `id` descends from, directly or not, each once: a walk up parent edges with a visited set. */
export function ancestorsOf(graph: { readonly edges: readonly Pick<LineageEdge, 'from_node_artifact_id' | 'to_node_artifact_id'>[] }, id: string): string[] {
  const parents = new Map<string, string[]>();
  for (const edge of graph.edges) parents.set(edge.to_node_artifact_id, [...(parents.get(edge.to_node_artifact_id) ?? []), edge.from_node_artifact_id]);
  const seen = new Set<string>([id]);
  const stack = [id];
  for (let current = stack.pop(); current !== undefined; current = stack.pop()) {
    for (const parent of parents.get(current) ?? []) {
      if (seen.has(parent)) continue;
      seen.add(parent);
      stack.push(parent);
    }
  }
  seen.delete(id);
  return [...seen];
}
