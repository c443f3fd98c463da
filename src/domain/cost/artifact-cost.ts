import { ancestorsOf } from '../lineage';

/** The edges of a lineage graph (ArtifactLineageGraph), parent → child. */
export interface DependencyEdges {
  readonly edges: readonly { readonly from_node_artifact_id: string; readonly to_node_artifact_id: string }[];
}

/** Decimal megabytes, as the Hugging Face Hub and disk vendors count: 1 MB = 10^6 bytes. */
export const BYTES_PER_MB = 1_000_000;

export interface ArtifactCostEntry {
  readonly standalone_cost?: number;
  readonly total_cost: number;
}

/** The contract's ArtifactCost: MB per artifact id. */
export type ArtifactCostMap = Readonly<Record<string, ArtifactCostEntry>>;

const round3 = (value: number): number => Math.round(value * 1000) / 1000;

/** Stored download size in MB (10^6 bytes), rounded to 3 decimals. */
export function standaloneCostMb(bytes: number): number {
  if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`a size must be a non-negative number of bytes; got ${bytes}`);
  return round3(bytes / BYTES_PER_MB);
}

/** Without dependencies: `{ [id]: { total_cost } }`, the artifact alone. */
export const standaloneCost = (id: string, bytes: number): ArtifactCostMap => ({ [id]: { total_cost: standaloneCostMb(bytes) } });

/**
 * With dependencies: the requested artifact and every registered artifact it depends on (its lineage
 * ancestors: base models, datasets, code), each once. For every entry, `standalone_cost` is its own
 * size and `total_cost` its own size plus that of each of its own registered ancestors, each counted
 * once even when reached along several paths (a diamond) or around a cycle. Sizes are summed in bytes
 * and converted once, so rounding does not accumulate. Nodes without a size in `sizesById` (external
 * ancestors, which the registry does not hold) cost nothing and are left out.
 */
export function dependencyCost(rootId: string, graph: DependencyEdges, sizesById: Readonly<Record<string, number>>): ArtifactCostMap {
  const size = (id: string): number | undefined => (Object.prototype.hasOwnProperty.call(sizesById, id) ? sizesById[id] : undefined);
  const rootSize = size(rootId);
  if (rootSize === undefined) throw new RangeError(`no size is known for the requested artifact ${rootId}`);
  const priced = (ids: readonly string[]): string[] => ids.filter((id) => size(id) !== undefined);
  const members = [rootId, ...priced(ancestorsOf(graph, rootId))];
  const entries = members.map((id): [string, ArtifactCostEntry] => {
    const own = size(id) ?? 0;
    const total = priced(ancestorsOf(graph, id)).reduce((sum, ancestor) => sum + (size(ancestor) ?? 0), own);
    return [id, { standalone_cost: standaloneCostMb(own), total_cost: standaloneCostMb(total) }];
  });
  return Object.fromEntries(entries);
}
