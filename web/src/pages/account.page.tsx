import { useState } from 'preact/hooks';
import { deleteUser, setUserPassword } from '../api';
import { useAccount } from '../account';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorAlert, Notice, StatusMessage } from '../components/feedback';
import { PageTitle } from '../components/page-title';
import { describePermissions, PASSWORD_HINT } from '../components/permission-fields';
import { signOut, useSession } from '../session';

/** Everyone's own account: see their permissions, change their password, delete the account. */
export function AccountPage() {
  const { session } = useSession();
  const account = useAccount();
  if (session === undefined) return null;
  return (
    <>
      <PageTitle title="Your account" />
      <p class="lead">
        Signed in as <strong>{session.userName}</strong>.{' '}
        {account.status === 'done' && account.data !== undefined && <>Permissions: {describePermissions(account.data.permissions)}.</>}
      </p>
      {account.status === 'failed' && <ErrorAlert error={account.error} onRetry={account.reload} />}
      <ChangePassword name={session.userName} />
      <DeleteAccount name={session.userName} />
    </>
  );
}

type Step = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done' } | { kind: 'failed'; error: unknown };

function ChangePassword({ name }: { name: string }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const mismatch = repeat.length > 0 && next !== repeat;
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (step.kind === 'busy' || mismatch) return;
    setStep({ kind: 'busy' });
    try {
      await setUserPassword(name, next, current);
      setCurrent('');
      setNext('');
      setRepeat('');
      setStep({ kind: 'done' });
    } catch (error) {
      setStep({ kind: 'failed', error });
    }
  };
  return (
    <section class="card" aria-labelledby="password-heading">
      <h2 id="password-heading">Change your password</h2>
      <p>Your other sign-ins (other tabs and devices) end when the password changes; this one stays.</p>
      <form class="form" onSubmit={submit}>
        <div class="field">
          <label for="current-password">Current password</label>
          <input id="current-password" type="password" autocomplete="current-password" required value={current} onInput={(event) => setCurrent(event.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="new-password">New password</label>
          <input id="new-password" type="password" autocomplete="new-password" required aria-describedby="new-password-hint" value={next} onInput={(event) => setNext(event.currentTarget.value)} />
          <p class="hint" id="new-password-hint">{PASSWORD_HINT}</p>
        </div>
        <div class="field">
          <label for="repeat-password">New password again</label>
          <input id="repeat-password" type="password" autocomplete="new-password" required aria-invalid={mismatch} aria-describedby="repeat-password-error" value={repeat} onInput={(event) => setRepeat(event.currentTarget.value)} />
          <p class="hint" id="repeat-password-error">{mismatch ? 'The two new passwords differ.' : ''}</p>
        </div>
        <button type="submit" class="button" aria-disabled={step.kind === 'busy' || mismatch}>
          Change password
        </button>
        <StatusMessage>{step.kind === 'busy' ? 'Changing your password…' : step.kind === 'done' ? 'Your password was changed.' : ''}</StatusMessage>
      </form>
      {step.kind === 'done' && <Notice tone="success">Your password was changed. Other sign-ins have ended.</Notice>}
      {step.kind === 'failed' && <ErrorAlert error={step.error} />}
    </section>
  );
}

function DeleteAccount({ name }: { name: string }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const remove = async (): Promise<void> => {
    setConfirming(false);
    try {
      await deleteUser(name);
      signOut(`The account “${name}” was deleted.`);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <section class="card danger-zone" aria-labelledby="delete-account-heading">
      <h2 id="delete-account-heading">Delete your account</h2>
      <p>Your sign-ins end at once. Artifacts you registered stay in the registry.</p>
      <button type="button" class="button button--danger" aria-haspopup="dialog" onClick={() => setConfirming(true)}>
        Delete my account…
      </button>
      {error !== undefined && <ErrorAlert error={error} />}
      <ConfirmDialog id="delete-account-dialog" open={confirming} title="Delete your account?" confirmLabel="Yes, delete my account" onConfirm={() => void remove()} onCancel={() => setConfirming(false)}>
        <p>The account “{name}” will be deleted and you will be signed out. This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}
