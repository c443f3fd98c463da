import { useState } from 'preact/hooks';
import { checkLicense } from '../api';
import type { IdentifiedLicense, LicenseCheckReport } from '../api-types';
import { ErrorAlert, StatusMessage } from './feedback';
import { ProgressBar } from './progress';

type State = { kind: 'idle' } | { kind: 'checking' } | { kind: 'done'; report: LicenseCheckReport } | { kind: 'failed'; error: unknown };

/** May this GitHub project's code be used to fine-tune this model? The verdict, its reasons and duties. */
export function LicenseCheck({ modelId }: { modelId: string }) {
  const [url, setUrl] = useState('');
  const [commercial, setCommercial] = useState(true);
  const [distribute, setDistribute] = useState(true);
  const [state, setState] = useState<State>({ kind: 'idle' });

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (state.kind === 'checking') return;
    setState({ kind: 'checking' });
    try {
      setState({ kind: 'done', report: await checkLicense(modelId, url.trim(), { commercial, distribute }) });
    } catch (error) {
      setState({ kind: 'failed', error });
    }
  };

  return (
    <>
      <form class="form form--inline" onSubmit={submit}>
        <div class="field field--grow">
          <label for="license-url">GitHub repository</label>
          <input id="license-url" type="url" required placeholder="https://github.com/owner/repo" value={url} onInput={(event) => setUrl(event.currentTarget.value)} />
        </div>
        <fieldset class="checks">
          <legend>The use</legend>
          <label class="check">
            <input type="checkbox" checked={commercial} onChange={(event) => setCommercial(event.currentTarget.checked)} />
            Commercial
          </label>
          <label class="check">
            <input type="checkbox" checked={distribute} onChange={(event) => setDistribute(event.currentTarget.checked)} />
            The fine-tuned model is distributed
          </label>
        </fieldset>
        <button type="submit" class="button">
          Check license
        </button>
      </form>
      <StatusMessage>
        {state.kind === 'checking' && 'Checking both licenses…'}
        {state.kind === 'done' && (state.report.compatible ? 'Compatible.' : 'Not compatible.')}
      </StatusMessage>
      {state.kind === 'checking' && <ProgressBar label="Checking both licenses (this reads the project from GitHub)" />}
      {state.kind === 'failed' && <ErrorAlert error={state.error} />}
      {state.kind === 'done' && <Verdict report={state.report} />}
    </>
  );
}

function Verdict({ report }: { report: LicenseCheckReport }) {
  return (
    <div class={`verdict ${report.compatible ? 'verdict--yes' : 'verdict--no'}`} data-testid="license-verdict">
      <p class="verdict__title">
        <span aria-hidden="true">{report.compatible ? '✓ ' : '✗ '}</span>
        {report.compatible ? 'Compatible' : 'Not compatible'}
      </p>
      <p>
        For fine-tuning and inference, {report.use.commercial ? 'commercial' : 'non-commercial'} use, {report.use.distribute ? 'with' : 'without'} distributing the result.
      </p>
      <dl class="licenses">
        <LicenseRow label="Model license" license={report.model_license} />
        <LicenseRow label="Code license" license={report.code_license} />
      </dl>
      <h3>Reasons</h3>
      <ul>
        {report.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
      <h3>Obligations</h3>
      {report.obligations.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul>
          {report.obligations.map((obligation) => (
            <li key={obligation}>{obligation}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function LicenseRow({ label, license }: { label: string; license: IdentifiedLicense }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        <strong>{license.expression ?? 'not identified'}</strong>
        {license.chosen !== undefined && license.chosen !== license.expression && <> (relying on {license.chosen})</>}
        <span class="meta"> — read from {license.source}, {license.confidence}</span>
      </dd>
    </div>
  );
}
