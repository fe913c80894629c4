import type { WindowData } from './load-window.js';
import { countOf, distinctVisitors, mergeDistribution, percent, round, sumOf } from './rollup-math.js';

/** What {@link userExperience} returns. */
export interface UserExperience {
  /** Sessions started in the range (exact, from session start events). */
  sessionsStarted: number;
  /** Distinct sessions and users seen (HyperLogLog estimates). */
  distinctSessions: number;
  distinctUsers: number;
  /** Mean duration of the sessions that ended in the range, ms. */
  avgSessionMillis: number | null;
  /** User actions per started session. */
  actionsPerSession: number | null;
  /** Action counts per phase, with their share of all actions. */
  engagementByPhase: { phase: string; actions: number; share: number | null }[];
  satisfaction: {
    ratings: number;
    average: number | null;
    /** Count per score 1–5. */
    distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
  };
}

/**
 * User experience figures of a window: sessions, session length, actions per session,
 * engagement by phase and the 1–5 satisfaction histogram (read from the rating sketches, whose
 * bins keep integer scores apart).
 *
 * @example
 * userExperience(data).satisfaction.distribution; // { '1': 2, '2': 1, '3': 4, '4': 30, '5': 63 }
 */
export function userExperience(data: WindowData): UserExperience {
  const { session, action, rating } = data.rollups;
  const started = countOf(session, (k) => k.name === 'start');
  const ended = countOf(session, (k) => k.name === 'end');
  const actions = countOf(action);
  const phases = new Map<string, number>();
  for (const r of action) phases.set(r.key.phase, (phases.get(r.key.phase) ?? 0) + r.count);
  const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  const d = mergeDistribution(rating);
  for (const bin of d?.sketch.bins() ?? []) {
    const score = String(Math.min(5, Math.max(1, Math.round(bin.value)))) as keyof typeof distribution;
    distribution[score] += bin.count;
  }
  const ratings = countOf(rating);
  const visitors = distinctVisitors(data.sessions);
  return {
    sessionsStarted: started,
    distinctSessions: visitors.sessions,
    distinctUsers: visitors.users,
    avgSessionMillis: ended === 0 ? null : round(sumOf(session, (k) => k.name === 'end') / ended, 0),
    actionsPerSession: started === 0 ? null : round(actions / started),
    engagementByPhase: [...phases.entries()]
      .map(([phase, n]) => ({ phase, actions: n, share: round(percent(n, actions)) }))
      .sort((a, b) => b.actions - a.actions || (a.phase < b.phase ? -1 : 1)),
    satisfaction: {
      ratings,
      average: ratings === 0 ? null : round(sumOf(rating) / ratings),
      distribution,
    },
  };
}
