import type { Alert } from '@vigil/schema';
import { useState } from 'react';
import { useDashboard } from './dashboard-context.js';
import { fmt, fmtTime } from './format.js';
import { Status, toneOf } from './ui.js';

/** What a row's action buttons call: the action, then the alert as the server returned it. */
export type AlertAct = (alert: Alert, run: () => Promise<unknown>, done: string) => Promise<void>;

/** The alert's state in words: acknowledgement is shown on top of the status. */
export function alertState(a: Alert): string {
  if (a.status === 'firing' && a.acknowledgedAt !== null) return 'acknowledged';
  return a.status;
}

/**
 * One alert: severity, state, value and times, and (for operators) its actions.
 *
 * @example
 * <AlertRow alert={a} act={act} />
 */
export function AlertRow({ alert: a, act }: { alert: Alert; act: AlertAct }) {
  const { api, canAct } = useDashboard();
  const [noting, setNoting] = useState(false);
  const [note, setNote] = useState('');
  const state = alertState(a);
  const active = a.status === 'firing' || a.status === 'pending';
  const noteId = `note-${a.id}`;
  return (
    <li className={`alert-item sev-${a.severity}`} data-alert-id={a.id} data-state={state}>
      <div className="alert-head">
        <Status tone={toneOf(a.severity)}>{a.severity}</Status>
        <Status tone={toneOf(state)}>{state}</Status>
        <strong className="alert-title">{a.title}</strong>
      </div>
      <p className="muted">
        {a.type} · value {fmt(a.value)} (threshold {fmt(a.threshold)}) · fired {fmtTime(a.firedAt ?? a.pendingSince)}
        {a.acknowledgedBy ? ` · acknowledged by ${a.acknowledgedBy}` : ''}
        {a.incidentId ? ` · incident ${a.incidentId}` : ''}
      </p>
      {canAct ? (
        <div className="actions">
          {active && a.acknowledgedAt === null ? (
            <button type="button" onClick={() => act(a, () => api.alertAction(a.id, 'ack'), 'acknowledged')}>
              Acknowledge
            </button>
          ) : null}
          {active ? (
            <button type="button" onClick={() => act(a, () => api.alertAction(a.id, 'dismiss'), 'dismissed')}>
              Dismiss
            </button>
          ) : (
            <button type="button" onClick={() => act(a, () => api.alertAction(a.id, 'reopen'), 'reopened')}>
              Reopen
            </button>
          )}
          {a.incidentId === null ? (
            <button type="button" onClick={() => act(a, () => api.alertIncident(a.id), 'turned into an incident')}>
              Open incident
            </button>
          ) : null}
          <button type="button" aria-expanded={noting} onClick={() => setNoting(!noting)}>
            Add note
          </button>
        </div>
      ) : null}
      {canAct && noting ? (
        <form
          className="note-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (note.trim() === '') return;
            void act(a, () => api.alertNote(a.id, note.trim()), 'noted').then(() => {
              setNote('');
              setNoting(false);
            });
          }}
        >
          <label htmlFor={noteId}>Note on “{a.title}”</label>
          <textarea id={noteId} value={note} maxLength={4000} rows={2} onChange={(e) => setNote(e.target.value)} />
          <button type="submit">Save note</button>
        </form>
      ) : null}
    </li>
  );
}
