import { type InputHTMLAttributes, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { TableScroll } from './ui.js';

/** The outcome of the last admin action: said politely on success, assertively on failure. */
export interface AdminNotice {
  ok: boolean;
  text: string;
}

/**
 * Runs admin actions and keeps the last outcome for {@link Notice}: the action returns the
 * success text; a thrown error becomes `failPrefix: message`.
 *
 * @example
 * const { notice, run } = useAdminAction();
 * await run(() => api.revokeKey(id).then(() => 'Key revoked.'), 'Not revoked');
 */
export function useAdminAction() {
  const [notice, setNotice] = useState<AdminNotice | null>(null);
  const run = useCallback(async (action: () => Promise<string>, failPrefix: string): Promise<boolean> => {
    try {
      setNotice({ ok: true, text: await action() });
      return true;
    } catch (e) {
      setNotice({ ok: false, text: `${failPrefix}: ${(e as Error).message}` });
      return false;
    }
  }, []);
  return { notice, run, setNotice };
}

/**
 * Two live regions that are always in the page (a region added together with its text is often
 * not read): successes in a status, failures in an alert with `id` for `aria-describedby`.
 *
 * @example
 * <Notice notice={notice} id="users-error" />
 */
export function Notice({ notice, id }: { notice: AdminNotice | null; id: string }) {
  return (
    <>
      <p role="status" className="muted">
        {notice?.ok ? notice.text : ''}
      </p>
      <p role="alert" className="error-text" id={id}>
        {notice !== null && !notice.ok ? notice.text : ''}
      </p>
    </>
  );
}

/**
 * A destructive button that asks again in place (no modal dialog): the confirm button takes
 * the focus, Cancel or Escape puts things back.
 *
 * @example
 * <ConfirmButton label="Revoke key ci" onConfirm={() => revoke(id)}>Revoke</ConfirmButton>
 */
export function ConfirmButton({
  label,
  onConfirm,
  children,
}: {
  label: string;
  onConfirm: () => void;
  children: ReactNode;
}) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" aria-label={label} onClick={() => setAsking(true)}>
        {children}
      </button>
    );
  }
  return (
    <span className="actions">
      <button
        ref={confirmRef}
        type="button"
        className="primary"
        aria-label={`Confirm: ${label}`}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setAsking(false);
        }}
      >
        Confirm
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

/**
 * A labelled form control; `hint` is read after the label.
 *
 * @example
 * <Field id="user-name" label="User name"><input id="user-name" required /></Field>
 */
export function Field({
  id,
  label,
  hint,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint === undefined ? null : (
        <span id={`${id}-hint`} className="muted hint">
          {hint}
        </span>
      )}
    </div>
  );
}

/**
 * A scrollable admin table with its caption and column headers; `children` are the body rows.
 *
 * @example
 * <AdminTable label="Users" testId="users-table" columns={['User', 'Role']}>{rows}</AdminTable>
 */
export function AdminTable({
  label,
  testId,
  columns,
  children,
}: {
  label: string;
  testId: string;
  columns: string[];
  children: ReactNode;
}) {
  return (
    <TableScroll label={label}>
      <table data-testid={testId}>
        <caption className="sr-only">{label}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </TableScroll>
  );
}

/**
 * A labelled input: its hint and the form's error region (`errorId`) describe it, so a failed
 * save is read together with the field.
 *
 * @example
 * <TextField id="key-label" label="Label" errorId="key-create-error" required value={v} onChange={…} />
 */
export function TextField({
  id,
  label,
  hint,
  errorId,
  ...attrs
}: { id: string; label: string; hint?: string; errorId?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const describedBy = [hint === undefined ? '' : `${id}-hint`, errorId ?? ''].filter((x) => x !== '').join(' ');
  return (
    <Field id={id} label={label} {...(hint === undefined ? {} : { hint })}>
      <input id={id} {...(describedBy === '' ? {} : { 'aria-describedby': describedBy })} {...attrs} />
    </Field>
  );
}
