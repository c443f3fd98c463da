import { findByName, getDetails } from '../api';
import type { ArtifactMetadata } from '../api-types';
import { formatDate } from '../format';
import { artifactHref } from '../router';
import { useLoad } from '../use-load';
import { ErrorAlert, StatusMessage } from './feedback';
import { TypeBadge } from './type-filter';

const MAX_SIBLINGS = 20;

/** Every artifact registered under the same name, with its version: the versions of this package. */
export function VersionsPanel({ artifact }: { artifact: ArtifactMetadata }) {
  const versions = useLoad(async () => {
    const page = await findByName(artifact.name);
    const shown = page.items.slice(0, MAX_SIBLINGS);
    const details = await Promise.all(shown.map((item) => getDetails(item.type, item.id)));
    return { rows: details, more: page.items.length > shown.length || page.nextOffset !== undefined };
  }, [artifact.name]);
  if (versions.status === 'failed') return <ErrorAlert error={versions.error} onRetry={versions.reload} />;
  if (versions.status === 'loading') return <StatusMessage>Loading versions…</StatusMessage>;
  const { rows, more } = versions.data;
  return (
    <>
      <table class="table table--compact">
        <caption class="visually-hidden">Artifacts named {artifact.name}</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Type</th>
            <th scope="col">Registered</th>
            <th scope="col">Id</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.metadata.id}>
              <td>
                {row.metadata.id === artifact.id ? (
                  <span aria-current="page">
                    {row.version ?? 'no version'} <span class="meta">(this one)</span>
                  </span>
                ) : (
                  <a href={artifactHref(row.metadata.type, row.metadata.id)}>{row.version ?? 'no version'}</a>
                )}
              </td>
              <td><TypeBadge type={row.metadata.type} /></td>
              <td>{formatDate(row.created_at)}</td>
              <td><code>{row.metadata.id}</code></td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && <p class="meta">Only the first {MAX_SIBLINGS} artifacts with this name are listed; search by name to see them all.</p>}
    </>
  );
}
