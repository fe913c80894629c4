import type { ChannelView } from '@vigil/schema';
import { type FormEvent, useState } from 'react';
import { Field, Notice, useAdminAction } from './admin-form.js';
import { useDashboard } from './dashboard-context.js';

/** The server answers secrets as this; they are never shown or sent back as they are. */
const MASK = '***';
/** The secret field of each channel type that has one. */
const SECRET_OF: Record<string, string> = { webhook: 'secret', email: 'password' };
/** The plain text fields each type's form edits. */
const TEXT_FIELDS: Record<string, [field: string, label: string][]> = {
  webhook: [['url', 'URL']],
  email: [
    ['host', 'SMTP host'],
    ['port', 'SMTP port'],
    ['username', 'SMTP user name (optional)'],
    ['from', 'From address'],
    ['to', 'To addresses, comma-separated'],
  ],
  browser: [],
};

const asText = (v: unknown) => (Array.isArray(v) ? v.join(', ') : v === null || v === undefined ? '' : String(v));

/** The channel as the form's fields say, or the reason it cannot be saved. */
function toChannel(
  base: ChannelView,
  text: Record<string, string>,
  secret: string,
  clear: boolean,
): ChannelView | string {
  const next: ChannelView = { ...base };
  for (const [field] of TEXT_FIELDS[base.type] ?? []) {
    const v = (text[field] ?? '').trim();
    if (field === 'port') next.port = Number(v);
    else if (field === 'to')
      next.to = v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    else next[field] = v === '' && field === 'username' ? null : v;
  }
  const key = SECRET_OF[base.type];
  if (key !== undefined) {
    // The server keeps only what it is sent: a masked secret must be typed again or removed.
    if (secret !== '') next[key] = secret;
    else if (clear || base[key] === null) next[key] = null;
    else return `Type the ${key} again or choose to remove it: the server never sends it back.`;
  }
  return next;
}

function ChannelForm({ channel, onSaved }: { channel: ChannelView; onSaved: () => void }) {
  const { api } = useDashboard();
  const { notice, run, setNotice } = useAdminAction();
  const fields = TEXT_FIELDS[channel.type] ?? [];
  const [text, setText] = useState(() => Object.fromEntries(fields.map(([f]) => [f, asText(channel[f])])));
  const [secret, setSecret] = useState('');
  const [clear, setClear] = useState(false);
  const [format, setFormat] = useState(asText(channel.format) || 'vigil');
  const [flag, setFlag] = useState(channel.type === 'browser' ? channel.sound !== false : channel.secure === true);
  const secretKey = SECRET_OF[channel.type];
  const p = `channel-${channel.name}`;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const next = toChannel(channel, text, secret, clear);
    if (typeof next === 'string') return setNotice({ ok: false, text: next });
    if (channel.type === 'webhook') next.format = format;
    if (channel.type === 'email') next.secure = flag;
    if (channel.type === 'browser') next.sound = flag;
    if (await run(() => api.putChannel(next).then(() => `Channel ${channel.name} saved.`), 'Not saved')) {
      setSecret('');
      onSaved();
    }
  };
  return (
    <form
      onSubmit={submit}
      className="admin-form"
      aria-label={`Channel ${channel.name} (${channel.type})`}
      data-channel={channel.name}
    >
      <h4>
        {channel.name} <span className="muted">{channel.type}</span>
      </h4>
      {fields.map(([f, label]) => (
        <Field key={f} id={`${p}-${f}`} label={label}>
          <input
            id={`${p}-${f}`}
            required={f !== 'username'}
            type={f === 'port' ? 'number' : 'text'}
            value={text[f] ?? ''}
            onChange={(e) => setText({ ...text, [f]: e.target.value })}
          />
        </Field>
      ))}
      {channel.type === 'webhook' ? (
        <Field id={`${p}-format`} label="Payload format">
          <select id={`${p}-format`} value={format} onChange={(e) => setFormat(e.target.value)}>
            <option>vigil</option>
            <option>alertmanager</option>
          </select>
        </Field>
      ) : null}
      {channel.type === 'webhook' ? null : (
        <label>
          <input type="checkbox" checked={flag} onChange={(e) => setFlag(e.target.checked)} />{' '}
          {channel.type === 'browser' ? 'Play a sound' : 'TLS from the first byte (port 465)'}
        </label>
      )}
      {secretKey === undefined ? null : (
        <>
          <Field
            id={`${p}-secret`}
            label={`${secretKey === 'secret' ? 'Signing secret' : 'SMTP password'} (${channel[secretKey] === MASK ? 'set, hidden' : 'not set'})`}
            hint="Never shown; type it to set or keep it."
          >
            <input
              id={`${p}-secret`}
              type="password"
              autoComplete="new-password"
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              aria-describedby={`${p}-secret-hint ${p}-error`}
            />
          </Field>
          {channel[secretKey] === MASK ? (
            <label>
              <input type="checkbox" checked={clear} onChange={(e) => setClear(e.target.checked)} /> Remove the{' '}
              {secretKey}
            </label>
          ) : null}
        </>
      )}
      <button type="submit">Save channel {channel.name}</button>
      <Notice notice={notice} id={`${p}-error`} />
    </form>
  );
}

/**
 * Notification channels, each with a form for its configuration. Secrets arrive masked and
 * are never put back into a field: saving asks for them again (or their removal).
 *
 * @example
 * <ChannelsAdmin channels={data.channels} reload={channels.reload} />
 */
export function ChannelsAdmin({ channels, reload }: { channels: ChannelView[]; reload: () => void }) {
  if (channels.length === 0) return <p className="empty">No channels configured.</p>;
  return (
    <div className="admin-list">
      {channels.map((c) => (
        <ChannelForm key={c.name} channel={c} onSaved={reload} />
      ))}
    </div>
  );
}
