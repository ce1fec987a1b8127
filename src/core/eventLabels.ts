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

/** `session 0x1000adfaccc0001 expired by a deposed leader (no effect)`: an expiry that was never committed. */
export function ineffectiveExpiryLabel(sessionId: string): string {
  return `session ${sessionId} expired by a deposed leader (no effect)`;
}

/** `zookeeper silent`: a process that stopped writing. */
export function silenceLabel(s: { program: string; pid?: number }): string {
  return `${s.program}${s.pid !== undefined ? ` (pid ${s.pid})` : ''} silent`;
}

/** `no lines for 8.05 s (usually every 200 ms)`: how long a process kept quiet against its usual pace. */
export function silenceWords(s: { seconds: number; usualSpacingMs: number }): string {
  return `no lines for ${spokenSeconds(s.seconds)} (usually every ${spokenSeconds(s.usualSpacingMs / 1000)})`;
}

/** `8.05 s`, `230 ms`, `0.4 ms`, `2 min 5 s`: three significant digits, the unit a reader expects. */
export function spokenSeconds(seconds: number): string {
  const three = (v: number) => String(Number(v.toPrecision(3)));
  if (seconds < 1) return `${three(seconds * 1000)} ms`;
  if (seconds < 120) return `${three(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - m * 60)} s`;
}
