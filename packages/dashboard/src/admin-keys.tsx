import type { CreatedIngestKey, IngestKeyRow } from '@vigil/schema';
import { type FormEvent, useState } from 'react';
import { AdminTable, ConfirmButton, Notice, TextField, useAdminAction } from './admin-form.js';
import { useDashboard } from './dashboard-context.js';
import { fmtTime } from './format.js';

/** The new key, shown once in a read-only field so it can be selected and copied. */
function NewKey({ created, onDismiss }: { created: CreatedIngestKey; onDismiss: () => void }) {
  return (
    <div className="new-secret" data-testid="new-key">
      <label htmlFor="new-key-value">
        New key “{created.label}” for {created.project}: copy it now, it is not shown again
      </label>
      <input id="new-key-value" readOnly value={created.key} onFocus={(e) => e.currentTarget.select()} />
      <button type="button" onClick={onDismiss}>
        I have copied it
      </button>
    </div>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (key: CreatedIngestKey) => void }) {
  const { api } = useDashboard();
  const { notice, run } = useAdminAction();
  const [project, setProject] = useState('');
  const [environment, setEnvironment] = useState('');
  const [label, setLabel] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(async () => {
      const env = environment.trim();
      const created = await api.createKey({
        project: project.trim(),
        label: label.trim(),
        ...(env === '' ? {} : { environment: env }),
      });
      onCreated(created);
      return `Key “${created.label}” created.`;
    }, 'Key not created');
    if (ok) setLabel('');
  };
  return (
    <form onSubmit={submit} className="admin-form" aria-labelledby="key-create-h" data-testid="key-create">
      <h4 id="key-create-h">Create an ingest key</h4>
      <TextField
        id="key-project"
        label="Project"
        hint="Lower-case letters, digits and dashes."
        errorId="key-create-error"
        required
        pattern="[a-z][a-z0-9\-]{0,63}"
        value={project}
        onChange={(e) => setProject(e.target.value)}
      />
      <TextField
        id="key-environment"
        label="Environment (optional)"
        value={environment}
        onChange={(e) => setEnvironment(e.target.value)}
      />
      <TextField
        id="key-label"
        label="Label"
        errorId="key-create-error"
        required
        maxLength={128}
        value={label}
        onChange={(e) => setLabel(e.target.value)}
      />
      <button type="submit">Create key</button>
      <Notice notice={notice} id="key-create-error" />
    </form>
  );
}

/**
 * Ingest keys: the list (never the secrets), revoking one, and creating one whose key is shown
 * once.
 *
 * @example
 * <KeysAdmin keys={data.keys} reload={keys.reload} />
 */
export function KeysAdmin({ keys, reload }: { keys: IngestKeyRow[]; reload: () => void }) {
  const { api } = useDashboard();
  const { notice, run } = useAdminAction();
  const [created, setCreated] = useState<CreatedIngestKey | null>(null);
  const revoke = async (key: IngestKeyRow) => {
    await run(() => api.revokeKey(key.id).then(() => `Key “${key.label}” revoked.`), `Could not revoke “${key.label}”`);
    reload();
  };
  return (
    <>
      {keys.length === 0 ? <p className="empty">No ingest keys yet.</p> : null}
      <AdminTable label="Ingest keys" testId="keys-table" columns={['Label', 'Project', 'State', 'Action']}>
        {keys.map((k) => (
          <tr key={k.id} data-key={k.label}>
            <th scope="row">{k.label}</th>
            <td>
              {k.project}
              {k.environment ? ` / ${k.environment}` : ''}
            </td>
            <td>{k.revokedAt === null ? `active since ${fmtTime(k.createdAt)}` : `revoked ${fmtTime(k.revokedAt)}`}</td>
            <td>
              {k.revokedAt === null ? (
                <ConfirmButton label={`Revoke key ${k.label}`} onConfirm={() => void revoke(k)}>
                  Revoke
                </ConfirmButton>
              ) : null}
            </td>
          </tr>
        ))}
      </AdminTable>
      <Notice notice={notice} id="keys-error" />
      {created === null ? null : <NewKey created={created} onDismiss={() => setCreated(null)} />}
      <CreateKeyForm
        onCreated={(key) => {
          setCreated(key);
          reload();
        }}
      />
    </>
  );
}
