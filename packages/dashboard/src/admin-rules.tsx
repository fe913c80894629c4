import type { AlertRule } from '@vigil/schema';
import { type FormEvent, type InputHTMLAttributes, useState } from 'react';
import { AdminTable, ConfirmButton, Field, Notice, TextField, useAdminAction } from './admin-form.js';
import { useDashboard } from './dashboard-context.js';
import { fmt } from './format.js';
import { Status, toneOf } from './ui.js';

const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
const COMPARATORS = ['>', '>=', '<', '<=', '==', '!='] as const;
const AGGREGATIONS = ['avg', 'max', 'min', 'p95', 'rate', 'ratio'] as const;
const TYPES = ['system', 'performance', 'error', 'service', 'business', 'security', 'auth'] as const;

/** The rule with a new threshold, severity and for-duration; keeps the hysteresis valid. */
function edited(rule: AlertRule, threshold: number, severity: AlertRule['severity'], forMillis: number): AlertRule {
  // A resolve threshold equal to the old threshold (the default) follows the new one; a
  // separate one stays as set, and the server says if it ends up on the wrong side.
  const resolve = rule.resolveThreshold === rule.threshold ? threshold : rule.resolveThreshold;
  return { ...rule, threshold, severity, forMillis, resolveThreshold: resolve };
}

function EditRuleForm({ rule, onDone }: { rule: AlertRule; onDone: (saved: string | null) => void }) {
  const { api } = useDashboard();
  const { notice, run } = useAdminAction();
  const [threshold, setThreshold] = useState(String(rule.threshold));
  const [severity, setSeverity] = useState(rule.severity);
  const [forSeconds, setForSeconds] = useState(String(Number(rule.forMillis ?? 0) / 1000));
  const prefix = `rule-${rule.id}`;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const next = edited(rule, Number(threshold), severity, Math.round(Number(forSeconds) * 1000));
    // Errors stay in the form, next to the fields; success closes it and is said by the table.
    if (await run(() => api.putRule(next).then(() => ''), 'Not saved')) onDone(`Rule “${rule.name}” saved.`);
  };
  return (
    <form onSubmit={submit} className="admin-form" aria-label={`Edit ${rule.name}`}>
      <Field id={`${prefix}-threshold`} label={`Threshold (${rule.comparator})`}>
        <input
          id={`${prefix}-threshold`}
          type="number"
          step="any"
          required
          value={threshold}
          onChange={(e) => setThreshold(e.target.value)}
          aria-describedby={`${prefix}-error`}
        />
      </Field>
      <Field id={`${prefix}-severity`} label="Severity">
        <select
          id={`${prefix}-severity`}
          value={severity}
          onChange={(e) => setSeverity(e.target.value as AlertRule['severity'])}
        >
          {SEVERITIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </Field>
      <Field id={`${prefix}-for`} label="Holds for, seconds">
        <input
          id={`${prefix}-for`}
          type="number"
          min={0}
          max={86_400}
          required
          value={forSeconds}
          onChange={(e) => setForSeconds(e.target.value)}
        />
      </Field>
      <div className="actions">
        <button type="submit" className="primary">
          Save rule
        </button>
        <button type="button" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
      <Notice notice={notice} id={`${prefix}-error`} />
    </form>
  );
}

function RuleRow({
  rule,
  act,
  reload,
}: {
  rule: AlertRule;
  act: ReturnType<typeof useAdminAction>;
  reload: () => void;
}) {
  const { api } = useDashboard();
  const [editing, setEditing] = useState(false);
  const toggle = async () => {
    await act.run(
      () =>
        api
          .putRule({ ...rule, enabled: !rule.enabled })
          .then(() => `Rule “${rule.name}” ${rule.enabled ? 'disabled' : 'enabled'}.`),
      `Could not change “${rule.name}”`,
    );
    reload();
  };
  const remove = async () => {
    await act.run(
      () => api.deleteRule(rule.id).then(() => `Rule “${rule.name}” deleted.`),
      `Could not delete “${rule.name}”`,
    );
    reload();
  };
  return (
    <>
      <tr data-rule={rule.id}>
        <th scope="row">{rule.name}</th>
        <td>
          <Status tone={toneOf(rule.severity)}>{rule.severity}</Status>
        </td>
        <td>
          {rule.comparator} {fmt(rule.threshold)}
          {Number(rule.forMillis) > 0 ? ` for ${Number(rule.forMillis) / 1000} s` : ''}
        </td>
        <td>{rule.enabled ? 'enabled' : 'disabled'}</td>
        <td className="actions">
          <button
            type="button"
            onClick={() => void toggle()}
            aria-label={`${rule.enabled ? 'Disable' : 'Enable'} ${rule.name}`}
          >
            {rule.enabled ? 'Disable' : 'Enable'}
          </button>
          {rule.generated === true ? (
            <span className="muted">generated</span>
          ) : (
            <>
              <button
                type="button"
                aria-expanded={editing}
                aria-label={`Edit ${rule.name}`}
                onClick={() => setEditing(!editing)}
              >
                Edit
              </button>
              <ConfirmButton label={`Delete ${rule.name}`} onConfirm={() => void remove()}>
                Delete
              </ConfirmButton>
            </>
          )}
        </td>
      </tr>
      {editing ? (
        <tr>
          <td colSpan={5}>
            <EditRuleForm
              rule={rule}
              onDone={(saved) => {
                setEditing(false);
                if (saved === null) return;
                act.setNotice({ ok: true, text: saved });
                reload();
              }}
            />
          </td>
        </tr>
      ) : null}
    </>
  );
}

const BLANK = {
  id: '',
  name: '',
  type: 'performance',
  severity: 'high',
  metric: 'api',
  series: '',
  aggregation: 'p95',
  windowMinutes: '5',
  comparator: '>',
  threshold: '',
  forSeconds: '60',
};

function CreateRuleForm({ onCreated }: { onCreated: () => void }) {
  const { api } = useDashboard();
  const { notice, run } = useAdminAction();
  const [f, setF] = useState(BLANK);
  const set = (k: keyof typeof BLANK) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const rule = {
      id: f.id.trim(),
      name: f.name.trim(),
      type: f.type,
      severity: f.severity,
      query: {
        metric: f.metric.trim(),
        aggregation: f.aggregation,
        windowMillis: Math.round(Number(f.windowMinutes) * 60_000),
        ...(f.series.trim() === '' ? {} : { name: f.series.trim() }),
      },
      comparator: f.comparator,
      threshold: Number(f.threshold),
      forMillis: Math.round(Number(f.forSeconds) * 1000),
    };
    if (await run(() => api.createRule(rule).then(() => `Rule “${rule.name}” added.`), 'Rule not added')) {
      setF(BLANK);
      onCreated();
    }
  };
  const input = (k: keyof typeof BLANK, label: string, attrs: InputHTMLAttributes<HTMLInputElement>, hint?: string) => (
    <TextField
      id={`rule-new-${k}`}
      label={label}
      {...(hint === undefined ? {} : { hint })}
      errorId="rule-create-error"
      value={f[k]}
      onChange={set(k)}
      {...attrs}
    />
  );
  const select = (k: keyof typeof BLANK, label: string, options: readonly string[]) => (
    <Field id={`rule-new-${k}`} label={label}>
      <select id={`rule-new-${k}`} value={f[k]} onChange={set(k)}>
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    </Field>
  );
  return (
    <form
      onSubmit={submit}
      className="admin-form admin-form-wide"
      aria-labelledby="rule-create-h"
      data-testid="rule-create"
    >
      <h4 id="rule-create-h">Add an alert rule</h4>
      {input(
        'id',
        'Rule id',
        { required: true, pattern: '[a-z0-9][a-z0-9._\\-]{0,63}' },
        'Lower-case letters, digits, dots and dashes.',
      )}
      {input('name', 'Rule name', { required: true, maxLength: 200 })}
      {select('type', 'Type', TYPES)}
      {select('severity', 'Severity', SEVERITIES)}
      {input('metric', 'Metric (event type)', { required: true }, 'api, timing, vital, gauge, error…')}
      {input('series', 'Series name (optional)', {}, 'e.g. cpu.percent for a gauge')}
      {select('aggregation', 'Aggregation', AGGREGATIONS)}
      {input('windowMinutes', 'Window, minutes', { type: 'number', min: 1, max: 1440, required: true })}
      {select('comparator', 'Comparator', COMPARATORS)}
      {input('threshold', 'Threshold', { type: 'number', step: 'any', required: true })}
      {input('forSeconds', 'Holds for, seconds', { type: 'number', min: 0, max: 86_400, required: true })}
      <button type="submit">Add rule</button>
      <Notice notice={notice} id="rule-create-error" />
    </form>
  );
}

/**
 * Alert rules: enable or disable, edit threshold, severity and for-duration, delete, and add
 * one. Rules the server generates (one per health check) can only be switched.
 *
 * @example
 * <RulesAdmin rules={data.rules} reload={rules.reload} />
 */
export function RulesAdmin({ rules, reload }: { rules: AlertRule[]; reload: () => void }) {
  const act = useAdminAction();
  return (
    <>
      <Notice notice={act.notice} id="rules-error" />
      <AdminTable
        label="Alert rules"
        testId="rules-table"
        columns={['Rule', 'Severity', 'Condition', 'State', 'Actions']}
      >
        {[...rules]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((r) => (
            <RuleRow key={r.id} rule={r} act={act} reload={reload} />
          ))}
      </AdminTable>
      <CreateRuleForm onCreated={reload} />
    </>
  );
}
