import { getCost } from '../api';
import type { ArtifactMetadata, LineageNode } from '../api-types';
import { formatMegabytes, plural } from '../format';
import { useLoad } from '../use-load';
import { ErrorAlert, StatusMessage } from './feedback';

/** Download size alone and with everything it depends on, with the dependencies listed. */
export function CostPanel({ artifact, names }: { artifact: ArtifactMetadata; names: ReadonlyMap<string, LineageNode> }) {
  const cost = useLoad(async () => {
    const [alone, total] = await Promise.all([getCost(artifact.type, artifact.id, false), getCost(artifact.type, artifact.id, true)]);
    return { alone, total };
  }, [artifact.type, artifact.id]);
  if (cost.status === 'failed') return <ErrorAlert error={cost.error} onRetry={cost.reload} />;
  if (cost.status === 'loading') return <StatusMessage>Computing the size…</StatusMessage>;
  const own = cost.data.alone[artifact.id]?.total_cost ?? cost.data.total[artifact.id]?.standalone_cost;
  const withDependencies = cost.data.total[artifact.id]?.total_cost;
  const dependencies = Object.entries(cost.data.total).filter(([id]) => id !== artifact.id);
  return (
    <>
      <dl class="figures">
        <div>
          <dt>Alone</dt>
          <dd>{own === undefined ? 'unknown' : formatMegabytes(own)}</dd>
        </div>
        <div>
          <dt>With {plural(dependencies.length, 'dependency', 'dependencies')}</dt>
          <dd>{withDependencies === undefined ? 'unknown' : formatMegabytes(withDependencies)}</dd>
        </div>
      </dl>
      {dependencies.length > 0 && (
        <table class="table table--compact">
          <caption class="visually-hidden">Size of each dependency</caption>
          <thead>
            <tr>
              <th scope="col">Dependency</th>
              <th scope="col" class="num">Alone</th>
              <th scope="col" class="num">With its dependencies</th>
            </tr>
          </thead>
          <tbody>
            {dependencies.map(([id, entry]) => (
              <tr key={id}>
                <td>{names.get(id)?.name ?? <code>{id}</code>}</td>
                <td class="num">{entry.standalone_cost === undefined ? '—' : formatMegabytes(entry.standalone_cost)}</td>
                <td class="num">{formatMegabytes(entry.total_cost)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
