import { useRef } from 'preact/hooks';
import { getAudit } from '../api';
import type { ArtifactMetadata } from '../api-types';
import { formatDate } from '../format';
import { useLoad } from '../use-load';
import { ErrorAlert, StatusMessage } from './feedback';

const ACTION_LABELS: Record<string, string> = { CREATE: 'Created', UPDATE: 'Updated', DOWNLOAD: 'Downloaded', RATE: 'Rated', AUDIT: 'Audit read' };

/**
 * Who did what to the artifact, newest first. Showing the trail as the page opens (or after a
 * download) is a passive view the registry does not record; pressing Refresh is a read the person
 * asked for, and the registry records it like any other.
 */
export function AuditTrail({ artifact, refreshKey }: { artifact: ArtifactMetadata; refreshKey: number }) {
  const asked = useRef(false);
  const trail = useLoad(() => {
    const passive = !asked.current;
    asked.current = false;
    return getAudit(artifact.type, artifact.id, passive);
  }, [artifact.type, artifact.id, refreshKey]);
  const refresh = (): void => {
    asked.current = true;
    trail.reload();
  };
  const entries = trail.data === undefined ? [] : [...trail.data].reverse();
  return (
    <>
      <div class="toolbar">
        <button type="button" class="button button--secondary" onClick={refresh}>
          Refresh audit trail
        </button>
        <StatusMessage>{trail.status === 'loading' ? 'Loading the audit trail…' : trail.status === 'done' ? `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}.` : ''}</StatusMessage>
      </div>
      {trail.status === 'failed' && <ErrorAlert error={trail.error} onRetry={refresh} />}
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
