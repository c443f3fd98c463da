import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, registerUrl, type Registration } from '../api';
import type { ArtifactType, GateRefusal } from '../api-types';
import { gateRefusal, isAbort } from '../errors';
import { formatScore, humanise } from '../format';
import { ErrorAlert, Notice, StatusMessage } from './feedback';
import { ProgressBar } from './progress';
import { Registered } from './registered';
import { TypeSelect } from './type-select';

const EXAMPLES: Record<ArtifactType, string> = {
  model: 'https://huggingface.co/google-bert/bert-base-uncased',
  dataset: 'https://huggingface.co/datasets/rajpurkar/squad',
  code: 'https://github.com/huggingface/transformers',
};

type State =
  | { kind: 'idle' }
  | { kind: 'registering'; url: string; startedAt: number }
  | { kind: 'done'; registration: Registration }
  | { kind: 'cancelled' }
  | { kind: 'failed'; error: unknown };

/** Registers from a Hugging Face or GitHub URL: the registry mirrors the content, rates it and gates it. */
export function RegisterForm() {
  const [type, setType] = useState<ArtifactType>('model');
  const [url, setUrl] = useState('');
  const [state, setState] = useState<State>({ kind: 'idle' });
  const controller = useRef<AbortController | undefined>(undefined);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (state.kind === 'registering') return;
    const target = url.trim();
    controller.current = new AbortController();
    setState({ kind: 'registering', url: target, startedAt: performance.now() });
    try {
      setState({ kind: 'done', registration: await registerUrl(type, target, controller.current.signal) });
    } catch (error) {
      setState(isAbort(error) ? { kind: 'cancelled' } : { kind: 'failed', error });
    }
  };

  return (
    <form class="card form" aria-labelledby="register-heading" onSubmit={submit}>
      <h2 id="register-heading">Register from a URL</h2>
      <p class="section__intro">The registry fetches the repository, pins its commit, rates it and keeps it only if the rating meets the bar.</p>
      <TypeSelect id="register-type" value={type} onChange={setType} />
      <div class="field">
        <label for="register-url">Source URL</label>
        <input id="register-url" type="url" required value={url} placeholder={EXAMPLES[type]} aria-describedby="register-url-hint" onInput={(event) => setUrl(event.currentTarget.value)} />
        <p class="hint" id="register-url-hint">
          A Hugging Face model or dataset page, or a GitHub repository, for example <code>{EXAMPLES[type]}</code>.
        </p>
      </div>
      <div class="actions">
        <button type="submit" class="button">
          Register
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
      {state.kind === 'cancelled' && (
        <Notice tone="warning">Stopped waiting. The registry may still finish the registration; look for the artifact in a minute.</Notice>
      )}
      {state.kind === 'failed' && <Failure error={state.error} />}
    </form>
  );
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
      <table class="table table--compact">
        <caption class="visually-hidden">Metrics below the bar</caption>
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col" class="num">Value</th>
          </tr>
        </thead>
        <tbody>
          {refusal.failing.map((item) => (
            <tr key={item.metric}>
              <td>{humanise(item.metric)}</td>
              <td class="num">{formatScore(item.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorDetail error={error} />
    </div>
  );
}

function ErrorDetail({ error }: { error: unknown }) {
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return requestId === undefined ? null : <p class="alert__meta">Request id <code>{requestId}</code></p>;
}
