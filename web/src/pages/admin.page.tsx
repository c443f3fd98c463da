import { useState } from 'preact/hooks';
import { resetRegistry } from '../api';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorAlert, Notice, StatusMessage } from '../components/feedback';
import { PageTitle } from '../components/page-title';
import { ProgressBar } from '../components/progress';
import { UsersAdmin } from '../components/users-admin';
import { useAccount } from '../account';
import { useSession } from '../session';

type State = { kind: 'idle' } | { kind: 'confirming' } | { kind: 'resetting' } | { kind: 'done' } | { kind: 'failed'; error: unknown };

export function AdminPage() {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const { session } = useSession();
  const account = useAccount();
  const reset = async (): Promise<void> => {
    setState({ kind: 'resetting' });
    try {
      await resetRegistry();
      setState({ kind: 'done' });
    } catch (error) {
      setState({ kind: 'failed', error });
    }
  };
  return (
    <>
      <PageTitle title="Administration" />
      <p class="lead">Users and registry-wide actions. Only administrators may perform them.</p>
      {account.status === 'done' && account.data?.permissions.admin === true && session !== undefined && <UsersAdmin self={session.userName} />}
      {account.status === 'done' && account.data?.permissions.admin !== true && (
        <Notice tone="warning">Your account is not an administrator's: the registry will refuse these actions.</Notice>
      )}
      <section class="card danger-zone" aria-labelledby="reset-heading">
        <h2 id="reset-heading">Reset the registry</h2>
        <p>
          Deletes every artifact, stored package, audit entry and user except the default administrator, and revokes everyone else's sign-in tokens. This cannot be undone.
        </p>
        <button type="button" class="button button--danger" onClick={() => setState({ kind: 'confirming' })} aria-haspopup="dialog">
          Reset the registry…
        </button>
        <StatusMessage>{state.kind === 'resetting' ? 'Resetting the registry…' : state.kind === 'done' ? 'The registry was reset.' : ''}</StatusMessage>
        {state.kind === 'resetting' && <ProgressBar label="Resetting the registry" />}
        {state.kind === 'done' && (
          <Notice tone="success">
            <p class="alert__title">The registry was reset.</p>
            <p>
              It now holds no artifacts. <a href="#/add">Add one</a>.
            </p>
          </Notice>
        )}
        {state.kind === 'failed' && <ErrorAlert error={state.error} />}
      </section>
      <ConfirmDialog
        id="reset-dialog"
        open={state.kind === 'confirming'}
        title="Reset the whole registry?"
        confirmLabel="Yes, delete everything"
        onConfirm={() => void reset()}
        onCancel={() => setState({ kind: 'idle' })}
      >
        <p>Every artifact, package, audit entry and user except the default administrator will be deleted. This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
