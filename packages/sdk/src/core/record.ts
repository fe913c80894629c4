import type { Attrs, ErrorEvent, ErrorKind } from '@vigil/schema';
import { LIMITS } from '@vigil/schema';
import { type Client, getClient } from './client.js';

/** Reports an internal SDK error to the diagnostic handler; never throws. */
export function report(where: string, error: unknown): void {
  getClient()?.transport.diag({ type: 'error', where, error });
}

/** A duration made safe for the wire: finite, 0 to one hour. Returns -1 for unusable input. */
export function duration(ms: number): number {
  if (typeof ms !== 'number' || !(ms >= 0)) return -1;
  return Math.min(ms, LIMITS.maxDurationMillis);
}

/** Queues an action event; the shared path of every `record…Event` and `recordUserAction`. */
export function recordAction(phase: string, name: string, userId?: string, attrs?: Attrs): void {
  const c = getClient();
  if (c === undefined) return;
  try {
    c.record({
      type: 'action',
      ts: Date.now(),
      sessionId: c.sessionId,
      phase,
      name: String(name),
      // Absent fields stay as undefined keys (one object shape, dropped by JSON.stringify).
      userId: userId == null ? undefined : String(userId),
      attrs: attrs ?? undefined,
    });
  } catch (error) {
    report('recordAction', error);
  }
}

/** Queues a timing event. */
export function recordTiming(phase: string, name: string, ms: number, attrs?: Attrs): void {
  const c = getClient();
  if (c === undefined) return;
  try {
    const durationMs = duration(ms);
    if (durationMs < 0) return;
    c.record({
      type: 'timing',
      ts: Date.now(),
      sessionId: c.sessionId,
      phase,
      name: String(name),
      durationMs,
      attrs: attrs ?? undefined,
    });
  } catch (error) {
    report('recordTiming', error);
  }
}

function describe(error: unknown): { message: string; name?: unknown; stack?: unknown } {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const e = error as { message?: unknown; name?: unknown; stack?: unknown };
    return { message: String(e.message ?? ''), name: e.name, stack: e.stack };
  }
  if (typeof error === 'string') return { message: error };
  let text: string;
  try {
    text = JSON.stringify(error) ?? String(error);
  } catch {
    text = typeof error;
  }
  return { message: `Non-Error thrown: ${text}` };
}

/** Details of an error event beyond its kind. */
export interface ErrorDetails {
  phase?: string;
  userId?: string;
  context?: Attrs;
}

/** Builds an error event from anything thrown. */
export function errorEvent(c: Client, error: unknown, kind: ErrorKind, d: ErrorDetails): ErrorEvent {
  const info = describe(error);
  const e: ErrorEvent = {
    type: 'error',
    ts: Date.now(),
    kind,
    message: info.message.slice(0, LIMITS.maxMessageLength) || 'Error',
  };
  if (c.sessionId !== undefined) e.sessionId = c.sessionId;
  if (typeof info.name === 'string' && info.name !== '') e.name = info.name.slice(0, LIMITS.maxNameLength);
  if (typeof info.stack === 'string') e.stack = info.stack.slice(0, LIMITS.maxStackLength);
  if (d.phase !== undefined) e.phase = d.phase;
  if (d.userId !== undefined && d.userId !== null) e.userId = String(d.userId);
  if (d.context !== undefined && d.context !== null) e.context = d.context;
  return e;
}

/** Queues an error event built from anything thrown. */
export function recordErrorEvent(error: unknown, kind: ErrorKind, d: ErrorDetails): void {
  const c = getClient();
  if (c === undefined) return;
  try {
    c.recordError(errorEvent(c, error, kind, d));
  } catch (e) {
    report('trackError', e);
  }
}
