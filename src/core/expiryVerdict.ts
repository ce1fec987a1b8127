import { hostOf, parseActor } from './actor';
import type { RoleInterval } from './leaderIntervals';
import type { ClockOffsets } from './overlaps';
import { staleSide } from './staleSide';
import type { Micros } from './time';

/** Whether a server's `Expiring session` / `closeSession` took effect, and on what the verdict rests. */
export type ExpiryVerdict = (
  | { effective: true; epoch?: number }
  /** Another node already led a newer term: `because` in words (`epoch 1 < epoch 2`); `byClocks` when only start times said so. */
  | { effective: false; newerLeader: string; because: string; byClocks: boolean }
) & {
  /** What the session's client logged next, when the bundle has its log: it saw the expiry, or closed the session itself. */
  client?: { action: 'clientExpired' | 'closed'; time: Micros };
};

/** Only the leader of the current epoch expires sessions: a close it proposes after being deposed is never committed. */
export function judgeExpiry(
  actor: string,
  time: Micros,
  zkTerms: readonly RoleInterval[],
  offsets: ClockOffsets = {},
): ExpiryVerdict | undefined {
  const at = time + (offsets[hostOf(actor)] ?? 0);
  const shifted = (iv: RoleInterval) => {
    const d = offsets[hostOf(iv.node)] ?? 0;
    return { start: iv.start + d, end: iv.end + d };
  };
  const own = zkTerms.find((iv) => isActor(iv.node, actor) && covers(shifted(iv), at));
  // Not leading by its own log: the expiry cannot be judged here (its term may be in a log not in the bundle).
  if (!own) return undefined;
  for (const other of zkTerms) {
    if (isActor(other.node, actor)) continue;
    const o = shifted(other);
    if (!(o.start <= at && at <= o.end)) continue;
    const s = staleSide({
      role: own.role,
      nodes: [own.node, other.node],
      start: Math.max(o.start, shifted(own).start),
      end: at,
      intervals: [own, other],
    });
    if (s?.node !== own.node) continue;
    return { effective: false, newerLeader: other.node, because: s.why, byClocks: s.by === 'start' };
  }
  return { effective: true, epoch: own.epoch };
}

function covers(iv: { start: Micros; end: Micros }, at: Micros): boolean {
  return iv.start <= at && at <= iv.end;
}

/** A term's holder is the actor that logged the line: the same peer, or the same node when no peer is named. */
function isActor(termNode: string, actor: string): boolean {
  const t = parseActor(termNode);
  const a = parseActor(actor);
  return t.node === a.node && (t.peer === undefined || a.peer === undefined || t.peer === a.peer);
}

/** The verdict in words, nodes named by `label`: one wording for the hover, `session` and the report. */
export function verdictWords(v: ExpiryVerdict, label: (node: string) => string): string {
  const client =
    v.client?.action === 'clientExpired' ? '; its client saw the expiry' : v.client ? '; its client closed the session itself later' : '';
  if (v.effective) return `logged by the leader of the current epoch${v.epoch !== undefined ? ` (${v.epoch})` : ''}${client}`;
  const clocks = v.byClocks ? ', by the clocks only' : '';
  return `logged by a deposed leader — did not take effect: ${label(v.newerLeader)} already led (${v.because}${clocks})${client}`;
}

/** An event's words, with the verdict when it did not take effect: as `session` prints it and its view shows it. */
export function withVerdict(e: { what: string; effective?: boolean; why?: string }): string {
  return e.effective === false ? `${e.what} — ${e.why ?? ''}` : e.what;
}
