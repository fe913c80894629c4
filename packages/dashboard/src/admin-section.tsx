import { type FormEvent, useState } from 'react';
import type { AlertRule, RetentionSettings } from './api-types.js';
import { useDashboard } from './dashboard-context.js';
import { fmt, fmtTime } from './format.js';
import { Panel, Status, TableScroll, toneOf } from './ui.js';
import { useResource } from './use-resource.js';

function RulesTable({ rules, reload }: { rules: AlertRule[]; reload: () => void }) {
  const { api } = useDashboard();
  const [message, setMessage] = useState('');
  const toggle = async (rule: AlertRule) => {
    try {
      await api.putRule({ ...rule, enabled: !rule.enabled });
      setMessage(`Rule “${rule.name}” ${rule.enabled ? 'disabled' : 'enabled'}.`);
    } catch (e) {
      setMessage(`Could not change “${rule.name}”: ${(e as Error).message}`);
    }
    reload();
  };
  return (
    <>
      <p role="status" className="muted">
        {message}
      </p>
      <TableScroll label="Alert rules">
        <table data-testid="rules-table">
          <caption className="sr-only">Alert rules</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Severity</th>
              <th scope="col">Condition</th>
              <th scope="col">State</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {[...rules]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((r) => (
                <tr key={r.id} data-rule={r.id}>
                  <th scope="row">{r.name}</th>
                  <td>
                    <Status tone={toneOf(r.severity)}>{r.severity}</Status>
                  </td>
                  <td>
                    {r.comparator} {fmt(r.threshold)}
                  </td>
                  <td>{r.enabled ? 'enabled' : 'disabled'}</td>
                  <td>
                    <button
                      type="button"
                      onClick={() => void toggle(r)}
                      aria-label={`${r.enabled ? 'Disable' : 'Enable'} ${r.name}`}
                    >
                      {r.enabled ? 'Disable' : 'Enable'}
                    </button>
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

function RetentionForm({ settings, reload }: { settings: RetentionSettings; reload: () => void }) {
  const { api } = useDashboard();
  const [detailed, setDetailed] = useState(String(settings.detailedDays));
  const [aggregated, setAggregated] = useState(String(settings.aggregatedDays));
  const [message, setMessage] = useState('');
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.putRetention({ detailedDays: Number(detailed), aggregatedDays: Number(aggregated) });
      setMessage('Retention saved.');
      reload();
    } catch (err) {
      setMessage(`Not saved: ${(err as Error).message}`);
    }
  };
  return (
    <form onSubmit={save} className="note-form" data-testid="retention-form">
      <label htmlFor="ret-detailed">Detailed data, days (default {settings.defaults.detailedDays})</label>
      <input id="ret-detailed" type="number" min={1} value={detailed} onChange={(e) => setDetailed(e.target.value)} />
      <label htmlFor="ret-aggregated">Aggregated data, days (default {settings.defaults.aggregatedDays})</label>
      <input
        id="ret-aggregated"
        type="number"
        min={1}
        value={aggregated}
        onChange={(e) => setAggregated(e.target.value)}
      />
      <button type="submit">Save retention</button>
      <p role="status" className="muted">
        {message}
      </p>
    </form>
  );
}

/**
 * Administration for admins: alert rules (enable or disable), users, ingest keys, notification
 * channels and data retention. The server refuses these calls to other roles anyway.
 *
 * @example
 * {role === 'admin' ? <AdminSection /> : null}
 */
export function AdminSection() {
  const rules = useResource((api) => api.rules());
  const users = useResource((api) => api.users());
  const keys = useResource((api) => api.keys());
  const channels = useResource((api) => api.channels());
  const retention = useResource((api) => api.retention());
  return (
    <section className="vigil-admin" aria-labelledby="vigil-admin-h">
      <h2 id="vigil-admin-h">Administration</h2>
      <div className="grid">
        <Panel title="Alert rules" resource={rules} wide isEmpty={(r) => r.rules.length === 0}>
          {(r) => <RulesTable rules={r.rules} reload={rules.reload} />}
        </Panel>
        <Panel title="Users" resource={users} isEmpty={(u) => u.users.length === 0}>
          {(u) => (
            <ul className="plain">
              {u.users.map((x) => (
                <li key={x.id}>
                  <strong>{x.name}</strong> {x.role}
                  {x.disabled ? ' (disabled)' : ''} <span className="muted">since {fmtTime(x.createdAt)}</span>
                </li>
              ))}
            </ul>
          )}
        </Panel>
        <Panel title="Ingest keys" resource={keys} isEmpty={(k) => k.keys.length === 0}>
          {(k) => (
            <ul className="plain">
              {k.keys.map((x) => (
                <li key={x.id}>
                  <strong>{x.label}</strong> {x.project}
                  {x.environment ? ` / ${x.environment}` : ''}{' '}
                  <span className="muted">{x.revokedAt ? `revoked ${fmtTime(x.revokedAt)}` : 'active'}</span>
                </li>
              ))}
            </ul>
          )}
        </Panel>
        <Panel
          title="Notification channels"
          resource={channels}
          isEmpty={(c) => c.channels.length === 0}
          empty="No channels configured."
        >
          {(c) => (
            <ul className="plain">
              {c.channels.map((x) => (
                <li key={x.name}>
                  <strong>{x.name}</strong> {x.type}
                </li>
              ))}
            </ul>
          )}
        </Panel>
        <Panel title="Data retention" resource={retention}>
          {(r) => <RetentionForm settings={r} reload={retention.reload} />}
        </Panel>
      </div>
    </section>
  );
}
