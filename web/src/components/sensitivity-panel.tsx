import { useState } from 'preact/hooks';
import { getDownloadHistory, getSensitivity, removeSensitivity, setSensitivity } from '../api';
import type { ArtifactDetails, ModelSensitivity } from '../api-types';
import { useAccount } from '../account';
import { formatDate } from '../format';
import { useSession } from '../session';
import { useLoad } from '../use-load';
import { ErrorAlert, StatusMessage } from './feedback';

const OUTCOME_LABELS: Record<string, string> = { allowed: 'Allowed', refused: 'Refused', failed: 'Check failed' };

const EXAMPLE = `// Arguments: MODEL_NAME UPLOADER_USERNAME DOWNLOADER_USERNAME ZIP_FILE_PATH
const [model, uploader, downloader] = process.argv.slice(2);
if (downloader !== uploader) {
  console.log(downloader + ' may not download ' + model);
  process.exit(1);
}`;

type Outcome = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; message: string } | { kind: 'failed'; error: unknown };

/**
 * A model's sensitivity: whether a program decides its downloads, and, for its uploader and
 * administrators, the program itself (to set or remove) and the history of the downloads it decided.
 */
export function SensitivityPanel({ details, refreshKey }: { details: ArtifactDetails; refreshKey: number }) {
  const { session } = useSession();
  const account = useAccount();
  const id = details.metadata.id;
  const sensitivity = useLoad(() => getSensitivity(id), [id]);
  const canManage = session?.userName === details.created_by || (account.status === 'done' && account.data?.permissions.admin === true);
  if (sensitivity.status === 'failed' && sensitivity.data === undefined) return <ErrorAlert error={sensitivity.error} onRetry={sensitivity.reload} />;
  if (sensitivity.data === undefined) return <StatusMessage>Loading the model's sensitivity…</StatusMessage>;
  return (
    <>
      <Status view={sensitivity.data} />
      {canManage && <HookEditor id={id} view={sensitivity.data} onChanged={sensitivity.reload} />}
      {canManage && <DownloadHistory id={id} refreshKey={refreshKey} />}
    </>
  );
}

function Status({ view }: { view: ModelSensitivity }) {
  return (
    <dl class="facts" data-testid="sensitivity-status">
      <div>
        <dt>Status</dt>
        <dd>
          {view.sensitive ? <span class="badge badge--sensitive">Sensitive</span> : <span class="badge badge--open">Not sensitive</span>}{' '}
          {view.sensitive ? 'a program decides each download' : 'anyone with the download permission may download it'}
        </dd>
      </div>
      {view.sensitive && view.set_by !== undefined && view.set_at !== undefined && (
        <div>
          <dt>Program set</dt>
          <dd>{formatDate(view.set_at)} by {view.set_by}</dd>
        </div>
      )}
      {view.hook_sha256 !== undefined && (
        <div class="facts__wide">
          <dt>Program sha256</dt>
          <dd><code class="digest">{view.hook_sha256}</code></dd>
        </div>
      )}
    </dl>
  );
}

function HookEditor({ id, view, onChanged }: { id: string; view: ModelSensitivity; onChanged: () => void }) {
  const [source, setSource] = useState(view.hook ?? '');
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const run = async (action: () => Promise<unknown>, message: string): Promise<void> => {
    if (outcome.kind === 'busy') return;
    setOutcome({ kind: 'busy' });
    try {
      await action();
      setOutcome({ kind: 'done', message });
      onChanged();
    } catch (error) {
      setOutcome({ kind: 'failed', error });
    }
  };
  const save = (event: Event): void => {
    event.preventDefault();
    void run(() => setSensitivity(id, source), 'The program was saved: it now decides every download of this model.');
  };
  const remove = (): void => {
    void run(async () => {
      await removeSensitivity(id);
      setSource('');
    }, 'The program was removed: the model is no longer sensitive.');
  };
  return (
    <form class="form" onSubmit={save}>
      <div class="field">
        <label for="hook-source">Pre-download program (JavaScript)</label>
        <textarea id="hook-source" spellcheck={false} rows={8} required aria-describedby="hook-source-hint" placeholder={EXAMPLE} value={source} onInput={(event) => setSource(event.currentTarget.value)} />
        <p class="hint" id="hook-source-hint">
          Runs before every download with the arguments MODEL_NAME UPLOADER_USERNAME DOWNLOADER_USERNAME ZIP_FILE_PATH. Exit 0 allows the download; anything else refuses it, and what
          the program printed is shown to the person refused. It runs without network, environment or file writes, with limited time and memory.
        </p>
      </div>
      <div class="actions">
        <button type="submit" class="button">Save program</button>
        {view.sensitive && (
          <button type="button" class="button button--secondary" onClick={remove}>
            Remove program
          </button>
        )}
      </div>
      <StatusMessage>{outcome.kind === 'busy' ? 'Saving…' : outcome.kind === 'done' ? outcome.message : ''}</StatusMessage>
      {outcome.kind === 'failed' && <ErrorAlert error={outcome.error} />}
    </form>
  );
}

function DownloadHistory({ id, refreshKey }: { id: string; refreshKey: number }) {
  const history = useLoad(() => getDownloadHistory(id), [id, refreshKey]);
  const entries = history.data === undefined ? [] : [...history.data].reverse();
  return (
    <>
      <h3 id="download-history-heading">Download history</h3>
      <div class="toolbar">
        <button type="button" class="button button--secondary" onClick={history.reload}>
          Refresh download history
        </button>
        <StatusMessage>{history.status === 'loading' ? 'Loading the download history…' : history.status === 'done' ? `${entries.length} ${entries.length === 1 ? 'download' : 'downloads'} recorded.` : ''}</StatusMessage>
      </div>
      {history.status === 'failed' && <ErrorAlert error={history.error} onRetry={history.reload} />}
      {entries.length > 0 && (
        <table class="table table--compact" aria-labelledby="download-history-heading" data-testid="download-history">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">User</th>
              <th scope="col">Outcome</th>
              <th scope="col">What</th>
              <th scope="col">Program output</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry, index) => (
              <tr key={`${entry.date}-${index}`}>
                <td>{formatDate(entry.date)}</td>
                <td>{entry.user.name}</td>
                <td>{OUTCOME_LABELS[entry.outcome] ?? entry.outcome}</td>
                <td>{entry.detail ?? ''}</td>
                <td>{entry.hook_output === undefined || entry.hook_output === '' ? '' : <code>{entry.hook_output}</code>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
