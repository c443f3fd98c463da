import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, getDetails, registerUrl, type Registration } from '../api';
import type { ArtifactType, GateRefusal, TrustVerdict } from '../api-types';
import { gateRefusal, isAbort } from '../errors';
import { formatScore } from '../format';
import { ErrorAlert, Notice, StatusMessage } from './feedback';
import { ProgressBar } from './progress';
import { Registered } from './registered';
import { FailingMetrics, TrustVerdictPanel } from './trust-badge';
import { TypeSelect } from './type-select';

const EXAMPLES: Record<ArtifactType, string> = {
  model: 'https://huggingface.co/google-bert/bert-base-uncased',
  dataset: 'https://huggingface.co/datasets/rajpurkar/squad',
  code: 'https://github.com/huggingface/transformers',
};

/** `register` stores whatever the rating says and flags it; `vet` stores a public model only if it meets the bar. */
type Intent = 'register' | 'vet';

type State =
  | { kind: 'idle' }
  | { kind: 'registering'; url: string; startedAt: number }
  | { kind: 'done'; registration: Registration; verdict?: TrustVerdict }
  | { kind: 'cancelled' }
  | { kind: 'failed'; error: unknown };

/**
 * Registers from a Hugging Face, GitHub or Kaggle URL: the registry mirrors the content and rates
 * models. Registering flags a model below the trust bar; vetting refuses it.
 */
export function RegisterForm() {
  const [type, setType] = useState<ArtifactType>('model');
  const [intent, setIntent] = useState<Intent>('register');
  const [url, setUrl] = useState('');
  const [name, setName] = useState('');
  const vetting = type === 'model' && intent === 'vet';
  const [state, setState] = useState<State>({ kind: 'idle' });
  const controller = useRef<AbortController | undefined>(undefined);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (state.kind === 'registering') return;
    const target = url.trim();
    controller.current = new AbortController();
    setState({ kind: 'registering', url: target, startedAt: performance.now() });
    try {
      const registration = await registerUrl(type, target, { name: name.trim(), vet: vetting }, controller.current.signal);
      setState({ kind: 'done', registration, ...(await verdictOf(registration)) });
    } catch (error) {
      setState(isAbort(error) ? { kind: 'cancelled' } : { kind: 'failed', error });
    }
  };

  return (
    <form class="card form" aria-labelledby="register-heading" onSubmit={submit}>
      <h2 id="register-heading">Register from a URL</h2>
      <p class="section__intro">
        The registry fetches the source, pins its commit and rates models. Registering keeps a model whatever its rating and flags it when it is below the trust bar; vetting keeps it only if it meets the bar.
      </p>
      <TypeSelect id="register-type" value={type} onChange={setType} />
      {type === 'model' && (
        <fieldset class="type-filter">
          <legend>When the rating is below the bar</legend>
          <label class="check">
            <input type="radio" name="register-intent" value="register" checked={intent === 'register'} onChange={() => setIntent('register')} />
            Register and flag it
          </label>
          <label class="check">
            <input type="radio" name="register-intent" value="vet" checked={intent === 'vet'} onChange={() => setIntent('vet')} />
            Vet: refuse it (Hugging Face models)
          </label>
        </fieldset>
      )}
      <div class="field">
        <label for="register-url">Source URL</label>
        <input id="register-url" type="url" required value={url} placeholder={EXAMPLES[type]} aria-describedby="register-url-hint" onInput={(event) => setUrl(event.currentTarget.value)} />
        <p class="hint" id="register-url-hint">
          A Hugging Face model or dataset page, a GitHub repository (also <code>/tree/branch</code> or <code>/tree/branch/folder</code>), or a Kaggle dataset, for example <code>{EXAMPLES[type]}</code>.
        </p>
      </div>
      <div class="field">
        <label for="register-name">Name to register under (optional)</label>
        <input id="register-name" type="text" value={name} maxLength={256} aria-describedby="register-name-hint" onInput={(event) => setName(event.currentTarget.value)} />
        <p class="hint" id="register-name-hint">
          Leave empty to take the name from the URL.
        </p>
      </div>
      <div class="actions">
        <button type="submit" class="button">
          {vetting ? 'Vet and register' : 'Register'}
        </button>
        {state.kind === 'registering' && (
          <button type="button" class="button button--secondary" onClick={() => controller.current?.abort()}>
            Stop waiting
          </button>
        )}
      </div>
      <StatusMessage>{state.kind === 'registering' ? `Fetching, rating and storing ${state.url}. This can take a while for large repositories…` : state.kind === 'done' ? 'Registration finished.' : ''}</StatusMessage>
      {state.kind === 'registering' && <Elapsed startedAt={state.startedAt} />}
      {state.kind === 'done' && <Registered registration={state.registration} />}
      {state.kind === 'done' && state.verdict !== undefined && <TrustVerdictPanel verdict={state.verdict} />}
      {state.kind === 'cancelled' && (
        <Notice tone="warning">Stopped waiting. The registry may still finish the registration; look for the artifact in a minute.</Notice>
      )}
      {state.kind === 'failed' && <Failure error={state.error} />}
    </form>
  );
}

/** The trust verdict of a newly registered model; its absence (or a failed read) just shows no verdict. */
async function verdictOf(registration: Registration): Promise<{ verdict?: TrustVerdict }> {
  if (registration.kind !== 'registered' || registration.artifact.metadata.type !== 'model') return {};
  const { metadata } = registration.artifact;
  const details = await getDetails(metadata.type, metadata.id).catch(() => undefined);
  return details?.trust === undefined ? {} : { verdict: details.trust };
}

/** An indeterminate bar with the seconds spent: the registry does not report ingest progress. */
function Elapsed({ startedAt }: { startedAt: number }) {
  const [now, setNow] = useState(performance.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.floor((now - startedAt) / 1000));
  return <ProgressBar label="Registration in progress" valueText={`Working… ${seconds} s so far`} />;
}

function Failure({ error }: { error: unknown }) {
  const refusal = gateRefusal(error);
  return refusal === undefined ? <ErrorAlert error={error} /> : <GateRefused refusal={refusal} error={error} />;
}

function GateRefused({ refusal, error }: { refusal: GateRefusal; error: unknown }) {
  return (
    <div class="alert alert--error" role="alert">
      <p class="alert__title">Not registered: the rating does not meet the registry's bar.</p>
      <p>
        Every applicable metric must be at least {refusal.threshold === undefined ? 'the configured minimum' : formatScore(refusal.threshold)}. These were below it:
      </p>
      <FailingMetrics failing={refusal.failing} caption="Metrics below the bar" />
      <ErrorDetail error={error} />
    </div>
  );
}

function ErrorDetail({ error }: { error: unknown }) {
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return requestId === undefined ? null : <p class="alert__meta">Request id <code>{requestId}</code></p>;
}
