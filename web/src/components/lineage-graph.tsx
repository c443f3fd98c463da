import type { ArtifactType, LineageGraph as Graph, LineageNode } from '../api-types';
import { plural } from '../format';
import { layoutLineage, NODE, type PlacedNode } from '../lineage-layout';
import { artifactHref } from '../router';

const MAX_LABEL = 24;
const clip = (text: string): string => (text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text);
const relation = (name: string): string => name.replace(/_/g, ' ');
const isRegistered = (node: LineageNode): boolean => node.metadata?.registered === true || !node.artifact_id.startsWith('ext-');
const typeOf = (node: LineageNode): ArtifactType => node.metadata?.type ?? 'model';

/**
 * The lineage as an SVG layered DAG (`?include=all`): the model's family, ancestors to the left of
 * what derives from them, with the datasets, code and outside ancestors each member declares.
 * Registered artifacts are links; outside ancestors are dashed. The list of relationships below is
 * the same graph as text.
 */
export function LineageGraph({ graph, focusId }: { graph: Graph; focusId: string }) {
  const layout = layoutLineage(graph, focusId);
  const names = new Map(graph.nodes.map((node) => [node.artifact_id, node]));
  const focus = names.get(focusId);
  if (graph.edges.length === 0) return <p>No ancestors were found in this model's metadata: no base model, datasets or code are named.</p>;
  return (
    <div class="lineage">
      <ul class="legend" aria-label="Legend">
        <li><span class="legend__swatch legend__swatch--focus" aria-hidden="true" /> This model</li>
        <li><span class="legend__swatch legend__swatch--registered" aria-hidden="true" /> In this registry (select to open)</li>
        <li><span class="legend__swatch legend__swatch--external" aria-hidden="true" /> Outside this registry</li>
      </ul>
      <div class="lineage__canvas">
        <svg
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          width={layout.width}
          height={layout.height}
          role="group"
          aria-label={`Lineage graph of ${focus?.name ?? 'this model'}: ${plural(graph.nodes.length, 'artifact')}, ${plural(graph.edges.length, 'relationship')}. The same relationships are listed as text below.`}
        >
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#4b5563" />
            </marker>
          </defs>
          <g aria-hidden="true">
            {layout.edges.map(({ edge, path }) => (
              <path key={`${edge.from_node_artifact_id}-${edge.to_node_artifact_id}-${edge.relationship}`} d={path} class="lineage__edge" marker-end="url(#arrow)" />
            ))}
            {layout.edges.map(({ edge, label }) => (
              <g key={`label-${edge.from_node_artifact_id}-${edge.to_node_artifact_id}-${edge.relationship}`} class="lineage__label">
                <rect x={label.x} y={label.y - 8} width={label.width} height={16} rx={8} />
                <text x={label.x + label.width / 2} y={label.y + 4} text-anchor="middle">
                  {label.text}
                </text>
              </g>
            ))}
          </g>
          {layout.nodes.map((placed) => (
            <NodeBox key={placed.node.artifact_id} placed={placed} focus={placed.node.artifact_id === focusId} />
          ))}
        </svg>
      </div>
      <details class="lineage__text">
        <summary>Lineage as text ({plural(graph.edges.length, 'relationship')})</summary>
        <ul>
          {graph.edges.map((edge) => {
            const from = names.get(edge.from_node_artifact_id);
            const to = names.get(edge.to_node_artifact_id);
            return (
              <li key={`${edge.from_node_artifact_id}-${edge.to_node_artifact_id}-${edge.relationship}`}>
                <NodeName node={from} id={edge.from_node_artifact_id} /> is the <strong>{relation(edge.relationship)}</strong> of <NodeName node={to} id={edge.to_node_artifact_id} />
              </li>
            );
          })}
        </ul>
      </details>
    </div>
  );
}

function NodeName({ node, id }: { node: LineageNode | undefined; id: string }) {
  if (node === undefined) return <code>{id}</code>;
  const kind = `${typeOf(node)}, ${isRegistered(node) ? 'in this registry' : 'outside this registry'}`;
  return isRegistered(node) ? (
    <>
      <a href={artifactHref(typeOf(node), node.artifact_id)}>{node.name}</a> ({kind})
    </>
  ) : (
    <>
      {node.name} ({kind})
    </>
  );
}

function NodeBox({ placed, focus }: { placed: PlacedNode; focus: boolean }) {
  const { node, x, y } = placed;
  const registered = isRegistered(node);
  const kind = focus ? `${typeOf(node)} · this model` : `${typeOf(node)} · ${registered ? 'registered' : 'external'}`;
  const variant = focus ? 'focus' : registered ? 'registered' : 'external';
  const box = (
    <g class={`lineage__node lineage__node--${variant}`}>
      <title>{`${node.name} (${kind})`}</title>
      <rect x={x} y={y} width={NODE.width} height={NODE.height} rx={8} />
      <text x={x + 12} y={y + 19} class="lineage__name">
        {clip(node.name)}
      </text>
      <text x={x + 12} y={y + 35} class="lineage__kind">
        {kind}
      </text>
    </g>
  );
  if (focus || !registered) return box;
  return (
    <a href={artifactHref(typeOf(node), node.artifact_id)} aria-label={`Open ${node.name} (${typeOf(node)})`}>
      {box}
    </a>
  );
}
