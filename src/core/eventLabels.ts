import type { LogEvent } from './model';

/** How events are named to a reader, in every view (timeline, Outline, workspace symbols): one wording. */

type Of<K extends LogEvent['kind']> = Extract<LogEvent, { kind: K }>;

/** `zbs-metad started (pid 42461)`. */
export function processStartLabel(e: Of<'processStart'>): string {
  return `${e.program} started${e.pid !== undefined ? ` (pid ${e.pid})` : ''}`;
}

/** `meta election won (seq 381)`: the meta service's election sequence orders its leaders. */
export function metaElectionLabel(e: Of<'metaElection'>): string {
  return `meta election won (seq ${e.seq})`;
}

/** `meta leader`, `zk leader`: a role's interval. */
export function leaderLabel(role: string): string {
  return `${role} leader`;
}

/** `meta leader starts` / `meta leader ends`: the edges of a role's interval. */
export function leaderEdgeLabel(role: string, edge: 'starts' | 'ends'): string {
  return `${leaderLabel(role)} ${edge}`;
}

/** `session 0x1000adfaccc0001 expired`. */
export function sessionExpiredLabel(sessionId: string): string {
  return `session ${sessionId} expired`;
}
