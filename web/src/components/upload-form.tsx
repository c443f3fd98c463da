import { useRef, useState } from 'preact/hooks';
import { uploadZip, type Registration, type Upload, type UploadProgress } from '../api';
import type { ArtifactType } from '../api-types';
import { isAbort } from '../errors';
import { formatBytes } from '../format';
import { ErrorAlert, Notice, StatusMessage } from './feedback';
import { ProgressBar } from './progress';
import { Registered } from './registered';
import { TypeSelect } from './type-select';

type State =
  | { kind: 'idle' }
  | { kind: 'uploading'; progress: UploadProgress }
  | { kind: 'done'; registration: Registration }
  | { kind: 'cancelled' }
  | { kind: 'failed'; error: unknown };

/** Announce progress in quarter steps: a screen reader reading every percent would be noise. */
const announced = (progress: UploadProgress): string =>
  progress.phase === 'processing'
    ? 'All bytes sent. The registry is checking and storing the package…'
    : `Uploading… ${Math.floor((progress.loaded / Math.max(1, progress.total)) * 4) * 25}% sent.`;

export function UploadForm() {
  const [type, setType] = useState<ArtifactType>('model');
  const [file, setFile] = useState<File | undefined>(undefined);
  const [name, setName] = useState('');
  const [version, setVersion] = useState('');
  const [state, setState] = useState<State>({ kind: 'idle' });
  const upload = useRef<Upload | undefined>(undefined);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (file === undefined || state.kind === 'uploading') return;
    setState({ kind: 'uploading', progress: { loaded: 0, total: file.size, phase: 'sending' } });
    upload.current = uploadZip(type, file, { name: name.trim(), version: version.trim() }, (progress) => setState({ kind: 'uploading', progress }));
    try {
      setState({ kind: 'done', registration: await upload.current.done });
    } catch (error) {
      setState(isAbort(error) ? { kind: 'cancelled' } : { kind: 'failed', error });
    } finally {
      upload.current = undefined;
    }
  };

  const uploading = state.kind === 'uploading' ? state.progress : undefined;
  return (
    <form class="card form" aria-labelledby="upload-heading" onSubmit={submit}>
      <h2 id="upload-heading">Upload a zip</h2>
      <p class="section__intro">A zip laid out like a Hugging Face repository: a README.md model card, config.json, weights, tokenizer files.</p>
      <TypeSelect id="upload-type" value={type} onChange={setType} />
      <div class="field">
        <label for="upload-file">Zip file</label>
        <input id="upload-file" type="file" accept=".zip,application/zip" required onChange={(event) => setFile(event.currentTarget.files?.[0])} />
      </div>
      <div class="field-row">
        <div class="field">
          <label for="upload-name">Name (optional)</label>
          <input id="upload-name" value={name} aria-describedby="upload-name-hint" onInput={(event) => setName(event.currentTarget.value)} />
          <p class="hint" id="upload-name-hint">Taken from the model card when left empty.</p>
        </div>
        <div class="field">
          <label for="upload-version">Version (optional)</label>
          <input id="upload-version" value={version} placeholder="1.2.0" onInput={(event) => setVersion(event.currentTarget.value)} />
        </div>
      </div>
      <div class="actions">
        <button type="submit" class="button">
          Upload
        </button>
        {uploading !== undefined && (
          <button type="button" class="button button--secondary" onClick={() => upload.current?.cancel()}>
            Cancel upload
          </button>
        )}
      </div>
      <StatusMessage>{uploading !== undefined ? announced(uploading) : state.kind === 'done' ? 'Upload finished.' : ''}</StatusMessage>
      {uploading !== undefined && (
        <ProgressBar
          label="Upload progress"
          {...(uploading.phase === 'sending' ? { value: uploading.loaded, max: uploading.total } : {})}
          valueText={
            uploading.phase === 'sending'
              ? `${Math.round((uploading.loaded / Math.max(1, uploading.total)) * 100)}% — ${formatBytes(uploading.loaded)} of ${formatBytes(uploading.total)} sent`
              : 'All bytes sent; the registry is checking and storing the package…'
          }
        />
      )}
      {state.kind === 'done' && <Registered registration={state.registration} />}
      {state.kind === 'cancelled' && <Notice tone="warning">The upload was cancelled; nothing was stored.</Notice>}
      {state.kind === 'failed' && <ErrorAlert error={state.error} />}
    </form>
  );
}
