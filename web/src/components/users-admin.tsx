import { useEffect, useRef, useState } from 'preact/hooks';
import { createUser, deleteUser, listUsers, setUserPassword, setUserPermissions } from '../api';
import type { PermissionFlags, UserAccount } from '../api-types';
import { useLoad } from '../use-load';
import { ConfirmDialog } from './confirm-dialog';
import { ErrorAlert, Notice, StatusMessage } from './feedback';
import { describePermissions, NO_PERMISSIONS, PASSWORD_HINT, PermissionFields } from './permission-fields';

type Outcome = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; message: string } | { kind: 'failed'; error: unknown };

/** Administrators: every user, a form to add one, and per-user permissions, password reset and deletion. */
export function UsersAdmin({ self }: { self: string }) {
  const users = useLoad(() => listUsers(), []);
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const [deleting, setDeleting] = useState<string | undefined>(undefined);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const list = users.data ?? [];
  const current = list.find((user) => user.name === editing);

  const remove = async (name: string): Promise<void> => {
    setDeleting(undefined);
    setOutcome({ kind: 'busy' });
    try {
      await deleteUser(name);
      if (editing === name) setEditing(undefined);
      setOutcome({ kind: 'done', message: `The user “${name}” was deleted.` });
      users.reload();
    } catch (error) {
      setOutcome({ kind: 'failed', error });
    }
  };

  return (
    <section class="card" aria-labelledby="users-heading">
      <h2 id="users-heading">Users</h2>
      <p>Changing a user's permissions or password ends their other sign-ins. The default administrator cannot be deleted, and the last administrator cannot lose Admin.</p>
      <CreateUser onCreated={(user) => {
        setOutcome({ kind: 'done', message: `The user “${user.name}” was created with: ${describePermissions(user.permissions)}.` });
        users.reload();
      }} />
      <StatusMessage>{outcome.kind === 'done' ? outcome.message : users.status === 'loading' ? 'Loading users…' : ''}</StatusMessage>
      {outcome.kind === 'failed' && <ErrorAlert error={outcome.error} />}
      {users.status === 'failed' && <ErrorAlert error={users.error} onRetry={users.reload} />}
      {list.length > 0 && (
        <table class="table table--compact" data-testid="users-table">
          <caption class="visually-hidden">Users and their permissions</caption>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Permissions</th>
              <th scope="col"><span class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {list.map((user) => (
              <tr key={user.name}>
                <th scope="row">{user.name}{user.name === self && <span class="meta"> (you)</span>}</th>
                <td>{describePermissions(user.permissions)}</td>
                <td>
                  <div class="user-actions">
                    <button type="button" class="button button--secondary" aria-expanded={editing === user.name} aria-controls="user-editor" onClick={() => setEditing(editing === user.name ? undefined : user.name)}>
                      Edit<span class="visually-hidden"> {user.name}</span>
                    </button>
                    <button type="button" class="button button--danger" aria-haspopup="dialog" onClick={() => setDeleting(user.name)}>
                      Delete<span class="visually-hidden"> {user.name}</span>
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div id="user-editor">
        {current !== undefined && <UserEditor key={current.name} user={current} onChanged={(message) => {
          setOutcome({ kind: 'done', message });
          users.reload();
        }} />}
      </div>
      <ConfirmDialog id="delete-user-dialog" open={deleting !== undefined} title={`Delete the user “${deleting ?? ''}”?`} confirmLabel="Yes, delete the user"
        onConfirm={() => deleting !== undefined && void remove(deleting)} onCancel={() => setDeleting(undefined)}>
        <p>Their sign-ins end at once. Artifacts they registered stay. This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}

function CreateUser({ onCreated }: { onCreated: (user: UserAccount) => void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [permissions, setPermissions] = useState<PermissionFlags>({ ...NO_PERMISSIONS, search: true });
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (outcome.kind === 'busy') return;
    setOutcome({ kind: 'busy' });
    try {
      const user = await createUser(name.trim(), password, permissions);
      setName('');
      setPassword('');
      setOutcome({ kind: 'idle' });
      onCreated(user);
    } catch (error) {
      setOutcome({ kind: 'failed', error });
    }
  };
  return (
    <form class="form card-inset" onSubmit={submit} aria-labelledby="create-user-heading">
      <h3 id="create-user-heading">Add a user</h3>
      <div class="field-row">
        <div class="field">
          <label for="new-user-name">New user's name</label>
          <input id="new-user-name" autocomplete="off" required maxLength={128} value={name} onInput={(event) => setName(event.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="new-user-password">New user's password</label>
          <input id="new-user-password" type="password" autocomplete="new-password" required aria-describedby="new-user-password-hint" value={password} onInput={(event) => setPassword(event.currentTarget.value)} />
        </div>
      </div>
      <p class="hint" id="new-user-password-hint">{PASSWORD_HINT}</p>
      <PermissionFields legend="Permissions of the new user" value={permissions} onChange={setPermissions} />
      <button type="submit" class="button" aria-disabled={outcome.kind === 'busy'}>
        Add user
      </button>
      {outcome.kind === 'failed' && <ErrorAlert error={outcome.error} />}
    </form>
  );
}

function UserEditor({ user, onChanged }: { user: UserAccount; onChanged: (message: string) => void }) {
  const [permissions, setPermissions] = useState<PermissionFlags>(user.permissions);
  const [password, setPassword] = useState('');
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const run = async (action: () => Promise<string>): Promise<void> => {
    if (outcome.kind === 'busy') return;
    setOutcome({ kind: 'busy' });
    try {
      const message = await action();
      setOutcome({ kind: 'done', message });
      onChanged(message);
    } catch (error) {
      setOutcome({ kind: 'failed', error });
    }
  };
  const savePermissions = (event: Event): void => {
    event.preventDefault();
    void run(async () => `The permissions of “${user.name}” are now: ${describePermissions((await setUserPermissions(user.name, permissions)).permissions)}.`);
  };
  const resetPassword = (event: Event): void => {
    event.preventDefault();
    void run(async () => {
      await setUserPassword(user.name, password);
      setPassword('');
      return `The password of “${user.name}” was reset.`;
    });
  };
  return (
    <div class="user-editor card-inset">
      <h3 ref={heading} tabIndex={-1}>Edit “{user.name}”</h3>
      <form class="form" onSubmit={savePermissions}>
        <PermissionFields legend={`Permissions of ${user.name}`} value={permissions} onChange={setPermissions} />
        <button type="submit" class="button">Save permissions</button>
      </form>
      <form class="form" onSubmit={resetPassword}>
        <div class="field">
          <label for="reset-password">New password for {user.name}</label>
          <input id="reset-password" type="password" autocomplete="new-password" required aria-describedby="reset-password-hint" value={password} onInput={(event) => setPassword(event.currentTarget.value)} />
          <p class="hint" id="reset-password-hint">{PASSWORD_HINT}</p>
        </div>
        <button type="submit" class="button button--secondary">Reset password</button>
      </form>
      {outcome.kind === 'done' && <Notice tone="success">{outcome.message}</Notice>}
      {outcome.kind === 'failed' && <ErrorAlert error={outcome.error} />}
    </div>
  );
}
