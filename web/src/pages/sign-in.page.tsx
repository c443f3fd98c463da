import { useState } from 'preact/hooks';
import { authenticate } from '../api';
import { ErrorAlert, Notice, StatusMessage } from '../components/feedback';
import { PageTitle } from '../components/page-title';
import { signIn } from '../session';

export function SignInPage({ notice }: { notice: string | undefined }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const token = await authenticate(name.trim(), password);
      signIn({ token, userName: name.trim() });
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <div class="narrow">
      <PageTitle title="Sign in" />
      <p class="lead">Sign in to browse, search, add and download models, datasets and code.</p>
      {notice !== undefined && <Notice tone="warning">{notice}</Notice>}
      {error !== undefined && <ErrorAlert error={error} />}
      <form class="card form" onSubmit={submit}>
        <div class="field">
          <label for="sign-in-name">User name</label>
          <input id="sign-in-name" name="username" autocomplete="username" required value={name} onInput={(event) => setName(event.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="sign-in-password">Password</label>
          <input id="sign-in-password" name="password" type="password" autocomplete="current-password" required value={password} onInput={(event) => setPassword(event.currentTarget.value)} />
        </div>
        <button type="submit" class="button" aria-disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <StatusMessage>{busy ? 'Signing in…' : ''}</StatusMessage>
      </form>
      <p class="hint">
        The token the registry gives you is kept only in this browser tab and is forgotten when you close it. The registry's health is public: <a href="#/health">view the health dashboard</a>.
      </p>
    </div>
  );
}
