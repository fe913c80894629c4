import type { RetentionSettings } from '@vigil/schema';
import { type FormEvent, useState } from 'react';
import { ChannelsAdmin } from './admin-channels.js';
import { HealthChecksAdmin } from './admin-checks.js';
import { KeysAdmin } from './admin-keys.js';
import { RulesAdmin } from './admin-rules.js';
import { UsersAdmin } from './admin-users.js';
import { useDashboard } from './dashboard-context.js';
import { Panel } from './ui.js';
import { useResource } from './use-resource.js';

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
 * Administration for admins: alert rules, users, ingest keys, notification channels, health
 * checks and data retention. Rendered for the admin role only; the server refuses these calls
 * to other roles anyway.
 *
 * @example
 * {role === 'admin' ? <AdminSection /> : null}
 */
export function AdminSection() {
  const { role } = useDashboard();
  const rules = useResource((api) => api.rules());
  const users = useResource((api) => (role === 'admin' ? api.users() : Promise.resolve({ users: [] })));
  const keys = useResource((api) => (role === 'admin' ? api.keys() : Promise.resolve({ keys: [] })));
  const channels = useResource((api) => api.channels());
  const checks = useResource((api) => (role === 'admin' ? api.healthChecks() : Promise.resolve({ checks: [] })));
  const retention = useResource((api) => api.retention());
  if (role !== 'admin') return null;
  return (
    <section className="vigil-admin" aria-labelledby="vigil-admin-h" data-testid="admin-section">
      <h2 id="vigil-admin-h">Administration</h2>
      <div className="grid">
        <Panel title="Alert rules" resource={rules} wide>
          {(r) => <RulesAdmin rules={r.rules} reload={rules.reload} />}
        </Panel>
        <Panel title="Users" resource={users} wide>
          {(u) => <UsersAdmin users={u.users} reload={users.reload} />}
        </Panel>
        <Panel title="Ingest keys" resource={keys} wide>
          {(k) => <KeysAdmin keys={k.keys} reload={keys.reload} />}
        </Panel>
        <Panel title="Notification channels" resource={channels} wide>
          {(c) => <ChannelsAdmin channels={c.channels} reload={channels.reload} />}
        </Panel>
        <Panel title="Health checks" resource={checks} wide>
          {(c) => <HealthChecksAdmin checks={c.checks} reload={checks.reload} />}
        </Panel>
        <Panel title="Data retention" resource={retention}>
          {(r) => <RetentionForm settings={r} reload={retention.reload} />}
        </Panel>
      </div>
    </section>
  );
}
