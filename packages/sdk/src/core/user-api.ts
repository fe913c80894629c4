import type { Attrs, AttrValue, ErrorKind } from '@vigil/schema';
import { recordAction, recordErrorEvent, recordTiming, report } from './record.js';

const AUTH = /^(log(in|out)|sign|register|password|mfa|session|auth|oauth|sso)/;
const CONTENT = /^(course|video|lesson|content|quiz|enrol|download|search)/;
const PWA = /^(pwa|offline|install|cache|sync|push)/;
const phases = new Map<string, string>();

/**
 * The phase of an action name from its first word: `login` → `auth`, `video_start` →
 * `content`, `offline_sync_success` → `pwa`; anything else is `ui`.
 *
 * @example
 * phaseOfAction('course_view'); // 'content'
 */
export function phaseOfAction(action: string): string {
  let phase = phases.get(action);
  if (phase === undefined) {
    const a = action.toLowerCase();
    phase = AUTH.test(a) ? 'auth' : CONTENT.test(a) ? 'content' : PWA.test(a) ? 'pwa' : 'ui';
    // Action names are few; the bound only guards against names built from ids.
    if (phases.size >= 256) phases.clear();
    phases.set(action, phase);
  }
  return phase;
}

const CATEGORY: Record<string, [ErrorKind, string | undefined]> = {
  authentication: ['auth', 'auth'],
  auth: ['auth', 'auth'],
  api: ['api', 'api'],
  validation: ['validation', undefined],
  system: ['system', 'system'],
  content: ['javascript', 'content'],
  pwa: ['javascript', 'pwa'],
  ui: ['javascript', 'ui'],
};
const PHASE = /^[a-z][a-z0-9_-]*$/;

/**
 * `useMonitoring().recordUserAction`: an action whose phase follows from its name (see
 * {@link phaseOfAction}); `meta` becomes the event's attributes.
 *
 * @example
 * recordUserAction('video_start', userId, { courseId, videoId });
 */
export function recordUserAction(action: string, userId?: string | null, meta?: Attrs): void {
  try {
    recordAction(phaseOfAction(String(action)), action, userId ?? undefined, meta);
  } catch (error) {
    report('recordUserAction', error);
  }
}

/**
 * `useMonitoring().recordError`: maps the category to an error kind and phase
 * (`authentication` → kind `auth`; `pwa` → kind `javascript`, phase `pwa`…). A `userId` in
 * the context becomes the event's `userId`, which the collector pseudonymises.
 *
 * @example
 * recordUserError(error, 'authentication', { userId });
 */
export function recordUserError(error: unknown, category: string, context?: Record<string, unknown>): void {
  try {
    const cat = String(category).toLowerCase();
    const [kind, phase] = CATEGORY[cat] ?? ['javascript', PHASE.test(cat) ? cat : undefined];
    let userId: string | undefined;
    let ctx: Attrs | undefined;
    if (context !== undefined && context !== null) {
      ctx = {};
      for (const k in context) {
        const v = context[k];
        if (k === 'userId' && (typeof v === 'string' || typeof v === 'number')) userId = String(v);
        else if (v !== undefined) ctx[k] = v as AttrValue;
      }
    }
    if (CATEGORY[cat] === undefined) ctx = { ...ctx, category: cat };
    recordErrorEvent(error, kind, {
      phase,
      userId,
      context: ctx !== undefined && Object.keys(ctx).length > 0 ? ctx : undefined,
    });
  } catch (e) {
    report('recordError', e);
  }
}

/**
 * `useMonitoring().recordPerformance`: a timing in a phase.
 *
 * @example
 * recordUserPerformance('video_load', loadTime, 'content');
 */
export function recordUserPerformance(name: string, ms: number, phase: string): void {
  recordTiming(PHASE.test(phase) ? phase : 'ui', name, ms);
}
