import type { Role, UserRow } from '@vigil/schema';
import { type FormEvent, useState } from 'react';
import { AdminTable, Field, Notice, TextField, useAdminAction } from './admin-form.js';
import { useDashboard } from './dashboard-context.js';
import { fmtTime } from './format.js';

const ROLES: Role[] = ['viewer', 'operator', 'admin'];

function CreateUserForm({ onDone }: { onDone: () => void }) {
  const { api } = useDashboard();
  const { notice, run } = useAdminAction();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(async () => {
      const { user, password: generated } = await api.createUser(name.trim(), role, password || undefined);
      // A generated password is shown this once: only its hash is stored.
      return generated === null
        ? `User ${user.name} added as ${user.role}.`
        : `User ${user.name} added as ${user.role}. Their password, shown only now: ${generated}`;
    }, 'User not added');
    if (ok) {
      setName('');
      setPassword('');
    }
    onDone();
  };
  return (
    <form onSubmit={submit} className="admin-form" aria-labelledby="user-create-h" data-testid="user-create">
      <h4 id="user-create-h">Add a user</h4>
      <TextField
        id="user-name"
        label="User name"
        errorId="user-create-error"
        required
        maxLength={64}
        autoComplete="off"
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <Field id="user-role" label="Role">
        <select id="user-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </Field>
      <TextField
        id="user-password"
        label="Password (optional)"
        hint="Leave empty to have one generated."
        errorId="user-create-error"
        type="password"
        autoComplete="new-password"
        minLength={12}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <button type="submit">Add user</button>
      <Notice notice={notice} id="user-create-error" />
    </form>
  );
}

/**
 * The users table (role, state, password reset) and the form to add one. Admins cannot demote
 * or disable themselves; the server says so and the message is read out.
 *
 * @example
 * <UsersAdmin users={data.users} reload={users.reload} />
 */
export function UsersAdmin({ users, reload }: { users: UserRow[]; reload: () => void }) {
  const { api } = useDashboard();
  const { notice, run } = useAdminAction();
  const change = async (user: UserRow, patch: Parameters<typeof api.patchUser>[1], said: string) => {
    await run(async () => {
      const { password } = await api.patchUser(user.id, patch);
      return password === null ? said : `${said} New password, shown only now: ${password}`;
    }, `Could not change ${user.name}`);
    reload();
  };
  return (
    <>
      {users.length === 0 ? <p className="empty">No users yet.</p> : null}
      <AdminTable label="Users" testId="users-table" columns={['User', 'Role', 'State', 'Actions']}>
        {users.map((u) => (
          <tr key={u.id} data-user={u.name}>
            <th scope="row">{u.name}</th>
            <td>
              <select
                aria-label={`Role of ${u.name}`}
                value={u.role}
                onChange={(e) => void change(u, { role: e.target.value }, `${u.name} is now ${e.target.value}.`)}
              >
                {ROLES.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            </td>
            <td>
              {u.disabled ? 'disabled' : 'active'} <span className="muted">since {fmtTime(u.createdAt)}</span>
            </td>
            <td className="actions">
              <button
                type="button"
                aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.name}`}
                onClick={() =>
                  void change(u, { disabled: !u.disabled }, `${u.name} ${u.disabled ? 'enabled' : 'disabled'}.`)
                }
              >
                {u.disabled ? 'Enable' : 'Disable'}
              </button>
              <button
                type="button"
                aria-label={`Reset the password of ${u.name}`}
                onClick={() => void change(u, { resetPassword: true }, `Password of ${u.name} reset.`)}
              >
                Reset password
              </button>
            </td>
          </tr>
        ))}
      </AdminTable>
      <Notice notice={notice} id="users-error" />
      <CreateUserForm onDone={reload} />
    </>
  );
}
