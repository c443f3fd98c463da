import type { LineageEdge, LineageGraph, LineageNode } from './api-types';

export interface PlacedNode {
  readonly node: LineageNode;
  readonly column: number;
  readonly x: number;
  readonly y: number;
}

export interface PlacedEdge {
  readonly edge: LineageEdge;
  readonly path: string;
  /** The relationship's label sits on the edge's straight first stretch, right after its source. */
  readonly label: { readonly text: string; readonly x: number; readonly y: number; readonly width: number };
}

export interface LineageLayout {
  readonly nodes: PlacedNode[];
  readonly edges: PlacedEdge[];
  readonly width: number;
  readonly height: number;
}

export const NODE = { width: 220, height: 44, gapX: 180, gapY: 14, padding: 12 } as const;
const LABEL = { charWidth: 6.2, padding: 10, offset: 6, height: 16 } as const;

/**
 * Longest-path layering of the ancestry DAG: a node's column is how far it is from the models it
 * feeds, so every edge points right and the requested model sits in the last column. Within a
 * column, nodes are ordered by the rows of what they feed (one barycentre pass, fewer crossings).
 * Edges that would close a cycle are ignored for layering; they are still drawn.
 */
export function layoutLineage(graph: LineageGraph, focusId: string): LineageLayout {
  const ids = new Set(graph.nodes.map((node) => node.artifact_id));
  const edges = graph.edges.filter((edge) => ids.has(edge.from_node_artifact_id) && ids.has(edge.to_node_artifact_id));
  const children = new Map<string, string[]>();
  for (const edge of edges) children.set(edge.from_node_artifact_id, [...(children.get(edge.from_node_artifact_id) ?? []), edge.to_node_artifact_id]);

  const rank = new Map<string, number>();
  const visiting = new Set<string>();
  const rankOf = (id: string): number => {
    const known = rank.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const value = Math.max(-1, ...(children.get(id) ?? []).filter((child) => !visiting.has(child)).map(rankOf)) + 1;
    visiting.delete(id);
    rank.set(id, value);
    return value;
  };
  graph.nodes.forEach((node) => rankOf(node.artifact_id));
  const depth = Math.max(0, ...rank.values());
  const columnOf = (id: string): number => depth - (rank.get(id) ?? 0);

  const columns: LineageNode[][] = Array.from({ length: depth + 1 }, () => []);
  for (const node of graph.nodes) columns[columnOf(node.artifact_id)]?.push(node);
  const row = new Map<string, number>();
  for (let column = depth; column >= 0; column -= 1) {
    const members = columns[column] ?? [];
    const weight = (node: LineageNode): number => {
      if (node.artifact_id === focusId) return -1;
      const rows = (children.get(node.artifact_id) ?? []).map((child) => row.get(child)).filter((value): value is number => value !== undefined);
      return rows.length === 0 ? Number.MAX_SAFE_INTEGER : rows.reduce((sum, value) => sum + value, 0) / rows.length;
    };
    members.sort((a, b) => weight(a) - weight(b) || a.name.localeCompare(b.name));
    members.forEach((node, index) => row.set(node.artifact_id, index));
  }

  const tallest = Math.max(1, ...columns.map((members) => members.length));
  const height = NODE.padding * 2 + tallest * NODE.height + (tallest - 1) * NODE.gapY;
  const width = NODE.padding * 2 + (depth + 1) * NODE.width + depth * NODE.gapX;
  const placed = new Map<string, PlacedNode>();
  columns.forEach((members, column) => {
    const columnHeight = members.length * NODE.height + (members.length - 1) * NODE.gapY;
    const top = (height - columnHeight) / 2;
    members.forEach((node, index) => {
      placed.set(node.artifact_id, { node, column, x: NODE.padding + column * (NODE.width + NODE.gapX), y: top + index * (NODE.height + NODE.gapY) });
    });
  });

  const ports = portsOf(edges, placed);
  return {
    nodes: [...placed.values()],
    edges: edges.flatMap((edge) => {
      const port = ports.get(edge);
      return port === undefined ? [] : [route(edge, port)];
    }),
    width,
    height,
  };
}

interface Port {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/**
 * Where each edge leaves its source and enters its target: several edges on one side of a node are
 * spread along it, ordered by the other end's height so that they do not cross at the node.
 */
function portsOf(edges: readonly LineageEdge[], placed: ReadonlyMap<string, PlacedNode>): Map<LineageEdge, Port> {
  const centre = (id: string): number => (placed.get(id)?.y ?? 0) + NODE.height / 2;
  const spread = (group: LineageEdge[], otherEnd: (edge: LineageEdge) => string): Map<LineageEdge, number> => {
    const sorted = [...group].sort((a, b) => centre(otherEnd(a)) - centre(otherEnd(b)));
    return new Map(sorted.map((edge, index) => [edge, ((index + 1) * NODE.height) / (sorted.length + 1)]));
  };
  const group = (key: (edge: LineageEdge) => string): Map<string, LineageEdge[]> => {
    const groups = new Map<string, LineageEdge[]>();
    for (const edge of edges) groups.set(key(edge), [...(groups.get(key(edge)) ?? []), edge]);
    return groups;
  };
  const outOffsets = new Map<LineageEdge, number>();
  const inOffsets = new Map<LineageEdge, number>();
  for (const outgoing of group((edge) => edge.from_node_artifact_id).values()) spread(outgoing, (edge) => edge.to_node_artifact_id).forEach((v, k) => outOffsets.set(k, v));
  for (const incoming of group((edge) => edge.to_node_artifact_id).values()) spread(incoming, (edge) => edge.from_node_artifact_id).forEach((v, k) => inOffsets.set(k, v));
  const ports = new Map<LineageEdge, Port>();
  for (const edge of edges) {
    const from = placed.get(edge.from_node_artifact_id);
    const to = placed.get(edge.to_node_artifact_id);
    if (from === undefined || to === undefined) continue;
    ports.set(edge, { x1: from.x + NODE.width, y1: from.y + (outOffsets.get(edge) ?? NODE.height / 2), x2: to.x, y2: to.y + (inOffsets.get(edge) ?? NODE.height / 2) });
  }
  return ports;
}

function route(edge: LineageEdge, { x1, y1, x2, y2 }: Port): PlacedEdge {
  const text = edge.relationship.replace(/_/g, ' ');
  const width = text.length * LABEL.charWidth + LABEL.padding;
  // A straight stretch under the label, then a curve into the target.
  const straight = Math.min(x1 + LABEL.offset + width + 6, x2 - 24);
  const bend = Math.max(16, (x2 - straight) / 2);
  return {
    edge,
    path: `M ${x1} ${y1} H ${straight} C ${straight + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`,
    label: { text, x: x1 + LABEL.offset, y: y1, width },
  };
}
