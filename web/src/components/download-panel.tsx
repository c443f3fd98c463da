import { useRef, useState } from 'preact/hooks';
import { downloadPackage, type DownloadedFile } from '../api';
import { PACKAGE_PARTS, type ArtifactDetails, type PackagePart } from '../api-types';
import { formatBytes, plural } from '../format';
import { ErrorAlert, StatusMessage } from './feedback';
import { ProgressBar } from './progress';

const PART_LABELS: Record<PackagePart, string> = { weights: 'Weights', datasets: 'Datasets', code: 'Code', docs: 'Docs' };
const PART_ABOUT: Record<PackagePart, string> = {
  weights: 'learned parameters (safetensors, bin, onnx, …)',
  datasets: 'data files',
  code: 'configs, tokenizers and scripts',
  docs: 'model card, license and other prose',
};

type State =
  | { kind: 'idle' }
  | { kind: 'downloading'; label: string; loaded: number; total: number | undefined }
  | { kind: 'done'; file: DownloadedFile }
  | { kind: 'failed'; label: string; error: unknown };

/** Details of an artifact whose content the registry stores. */
export type MirroredDetails = ArtifactDetails & { package: NonNullable<ArtifactDetails['package']> };

/** Offers the whole package and each part; saves through a Blob so the token header can be sent. */
export function DownloadPanel({ details, onDownloaded }: { details: MirroredDetails; onDownloaded: () => void }) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const busy = useRef(false);
  const parts = PACKAGE_PARTS.filter((part) => details.package.parts[part] !== undefined);

  const start = async (part: PackagePart | undefined): Promise<void> => {
    if (busy.current) return;
    busy.current = true;
    const label = part === undefined ? 'the full package' : `the ${part} part`;
    setState({ kind: 'downloading', label, loaded: 0, total: undefined });
    try {
      const file = await downloadPackage(details.metadata, part, (loaded, total) => setState({ kind: 'downloading', label, loaded, total }));
      save(file);
      setState({ kind: 'done', file });
      onDownloaded();
    } catch (error) {
      setState({ kind: 'failed', label, error });
    } finally {
      busy.current = false;
    }
  };

  return (
    <>
      <table class="table">
        <caption class="visually-hidden">Downloads</caption>
        <thead>
          <tr>
            <th scope="col">Content</th>
            <th scope="col" class="num">Files</th>
            <th scope="col" class="num">Size</th>
            <th scope="col"><span class="visually-hidden">Action</span></th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Full package <span class="meta">— exactly the stored zip</span></th>
            <td class="num">{details.package.file_count.toLocaleString('en')}</td>
            <td class="num">{formatBytes(details.package.size)}</td>
            <td>
              <button type="button" class="button" onClick={() => void start(undefined)}>
                Download full package
              </button>
            </td>
          </tr>
          {parts.map((part) => {
            const bundle = details.package.parts[part];
            return (
              bundle && (
                <tr key={part}>
                  <th scope="row">
                    {PART_LABELS[part]} <span class="meta">— {PART_ABOUT[part]}</span>
                  </th>
                  <td class="num">{bundle.file_count.toLocaleString('en')}</td>
                  <td class="num">{formatBytes(bundle.size)}</td>
                  <td>
                    <button type="button" class="button button--secondary" onClick={() => void start(part)}>
                      Download {part}
                    </button>
                  </td>
                </tr>
              )
            );
          })}
        </tbody>
      </table>
      <StatusMessage>
        {state.kind === 'downloading' && `Downloading ${state.label}…`}
        {state.kind === 'done' && <DownloadResult file={state.file} />}
      </StatusMessage>
      {state.kind === 'downloading' && (
        <ProgressBar
          label={`Downloading ${state.label}`}
          {...(state.total === undefined ? {} : { value: state.loaded, max: state.total })}
          valueText={`${formatBytes(state.loaded)}${state.total === undefined ? '' : ` of ${formatBytes(state.total)}`} received`}
        />
      )}
      {state.kind === 'failed' && <ErrorAlert error={state.error} onRetry={() => setState({ kind: 'idle' })} retryLabel="Dismiss" />}
    </>
  );
}

function DownloadResult({ file }: { file: DownloadedFile }) {
  const { announcedSha256: announced, receivedSha256: received } = file;
  const verdict =
    announced === undefined || received === undefined
      ? 'The digest could not be checked in this browser.'
      : announced === received
        ? 'Your browser computed the same digest: the file is intact.'
        : `Warning: your browser computed ${received}, which differs. Do not use this file.`;
  return (
    <div class={announced !== undefined && received !== undefined && announced !== received ? 'alert alert--error' : 'alert alert--success'}>
      <p class="alert__title">
        Saved <strong data-testid="download-filename">{file.filename}</strong> ({formatBytes(file.blob.size)}).
      </p>
      <p>
        sha256 announced by the registry: <code class="digest" data-testid="download-sha256">{announced ?? received ?? 'not available'}</code>
      </p>
      <p>{verdict}</p>
    </div>
  );
}

function save(file: DownloadedFile): void {
  const url = URL.createObjectURL(file.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser time to start reading the blob before releasing it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function FilesTable({ details }: { details: MirroredDetails }) {
  const { files, files_truncated: truncated, file_count: count } = details.package;
  return (
    <details class="files" open={files.length <= 12}>
      <summary>Files in the package ({plural(count, 'file')})</summary>
      <table class="table table--compact">
        <caption class="visually-hidden">Files in the package</caption>
        <thead>
          <tr>
            <th scope="col">Path</th>
            <th scope="col">Part</th>
            <th scope="col" class="num">Size</th>
          </tr>
        </thead>
        <tbody>
          {files.map((file) => (
            <tr key={file.path}>
              <td><code>{file.path}</code></td>
              <td>{file.part}</td>
              <td class="num">{formatBytes(file.size)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {truncated && <p class="meta">Only the first {files.length.toLocaleString('en')} files are listed.</p>}
    </details>
  );
}
