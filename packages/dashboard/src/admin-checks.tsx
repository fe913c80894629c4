import type { HealthCheckView } from '@vigil/schema';
import { type FormEvent, useState } from 'react';
import { AdminTable, ConfirmButton, Field, Notice, TextField, useAdminAction } from './admin-form.js';
import { useDashboard } from './dashboard-context.js';
import { Status, toneOf } from './ui.js';

const KINDS = ['http', 'tcp', 'postgres', 'redis'] as const;
const TARGET_HINT: Record<string, string> = {
  http: 'An http:// or https:// URL.',
  tcp: 'host:port',
  postgres: 'A postgres:// URL.',
  redis: 'A redis:// URL.',
};

function CreateCheckForm({ onCreated }: { onCreated: () => void }) {
  const { api } = useDashboard();
  const { notice, run } = useAdminAction();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<string>('http');
  const [target, setTarget] = useState('');
  const [intervalSeconds, setIntervalSeconds] = useState('30');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const check = {
      name: name.trim(),
      kind,
      target: target.trim(),
      intervalMillis: Math.round(Number(intervalSeconds) * 1000),
    };
    if (
      await run(() => api.createHealthCheck(check).then(() => `Health check ${check.name} added.`), 'Check not added')
    ) {
      setName('');
      setTarget('');
      onCreated();
    }
  };
  return (
    <form onSubmit={submit} className="admin-form" aria-labelledby="check-create-h" data-testid="check-create">
      <h4 id="check-create-h">Add a health check</h4>
      <TextField
        id="check-name"
        label="Check name"
        hint="Also the service name on the System tab."
        errorId="check-create-error"
        required
        pattern="[a-z][a-z0-9_.\-]{0,63}"
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <Field id="check-kind" label="Kind">
        <select id="check-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
          {KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </Field>
      <TextField
        id="check-target"
        label="Target"
        hint={TARGET_HINT[kind]}
        errorId="check-create-error"
        required
        value={target}
        onChange={(e) => setTarget(e.target.value)}
      />
      <TextField
        id="check-interval"
        label="Interval, seconds"
        type="number"
        min={1}
        max={86_400}
        required
        value={intervalSeconds}
        onChange={(e) => setIntervalSeconds(e.target.value)}
      />
      <button type="submit">Add check</button>
      <Notice notice={notice} id="check-create-error" />
    </form>
  );
}

/**
 * Health checks: the configured ones (targets with passwords masked) with their state,
 * deleting one, and adding one.
 *
 * @example
 * <HealthChecksAdmin checks={data.checks} reload={checks.reload} />
 */
export function HealthChecksAdmin({ checks, reload }: { checks: HealthCheckView[]; reload: () => void }) {
  const { api } = useDashboard();
  const { notice, run } = useAdminAction();
  const remove = async (name: string) => {
    await run(
      () => api.deleteHealthCheck(name).then(() => `Health check ${name} deleted.`),
      `Could not delete ${name}`,
    );
    reload();
  };
  return (
    <>
      {checks.length === 0 ? <p className="empty">No health checks configured.</p> : null}
      <AdminTable label="Health checks" testId="checks-table" columns={['Check', 'Target', 'State', 'Action']}>
        {checks.map((c) => (
          <tr key={c.name} data-check={c.name}>
            <th scope="row">
              {c.name} <span className="muted">{c.kind}</span>
            </th>
            <td className="break">{String(c.target)}</td>
            <td>
              <Status tone={toneOf(c.status)}>{c.status}</Status>
            </td>
            <td>
              <ConfirmButton label={`Delete check ${c.name}`} onConfirm={() => void remove(c.name)}>
                Delete
              </ConfirmButton>
            </td>
          </tr>
        ))}
      </AdminTable>
      <Notice notice={notice} id="checks-error" />
      <CreateCheckForm onCreated={reload} />
    </>
  );
}
