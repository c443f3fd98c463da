import { getAudit } from '../api';
import type { ArtifactMetadata } from '../api-types';
import { formatDate } from '../format';
import { useLoad } from '../use-load';
import { ErrorAlert, StatusMessage } from './feedback';

const ACTION_LABELS: Record<string, string> = { CREATE: 'Created', UPDATE: 'Updated', DOWNLOAD: 'Downloaded', RATE: 'Rated', AUDIT: 'Audit read' };

/** Who did what to the artifact, newest first. Reading the trail is itself recorded by the registry. */
export function AuditTrail({ artifact, refreshKey }: { artifact: ArtifactMetadata; refreshKey: number }) {
  const trail = useLoad(() => getAudit(artifact.type, artifact.id), [artifact.type, artifact.id, refreshKey]);
  const entries = trail.data === undefined ? [] : [...trail.data].reverse();
  return (
    <>
      <div class="toolbar">
        <button type="button" class="button button--secondary" onClick={trail.reload}>
          Refresh audit trail
        </button>
        <StatusMessage>{trail.status === 'loading' ? 'Loading the audit trail…' : trail.status === 'done' ? `${entries.length} entries.` : ''}</StatusMessage>
      </div>
      {trail.status === 'failed' && <ErrorAlert error={trail.error} onRetry={trail.reload} />}
      {entries.length > 0 && (
        <table class="table table--compact">
          <caption class="visually-hidden">Audit trail, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Action</th>
              <th scope="col">User</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry, index) => (
              <tr key={`${entry.date}-${entry.action}-${index}`}>
                <td>{formatDate(entry.date)}</td>
                <td>{ACTION_LABELS[entry.action] ?? entry.action}</td>
                <td>
                  {entry.user.name}
                  {entry.user.is_admin && <span class="meta"> (admin)</span>}
                </td>
                <td>{entry.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
