import { actorId, hostOf, parseActor } from './actor';
import type { Evidence, RoleInterval } from './leaderIntervals';
import type { BundleIndex, LogEvent } from './model';

type ZxidEvent = Extract<LogEvent, { kind: 'zxid' }>;

/**
 * Epochs of ZooKeeper terms whose leader's log does not state it (no quorum line: rotated away, cut, a
 * version that does not print it), from what the other servers wrote while it was the only leader:
 * - a txn log file they opened (`Creating new log file: log.1100000002`) is named by a zxid of the epoch
 *   they served under: the term's epoch, exactly;
 * - a zxid they synced to (`Getting a diff from the leader 0x100000175e`) is the leader's last committed one
 *   — of an earlier epoch when the term has just begun, of its own later — so the epoch is at least that.
 * Only lines logged while no other term was open count: during a split brain a follower's leader is unknown.
 */
export function inferEpochs(bundle: BundleIndex, terms: RoleInterval[]): RoleInterval[] {
  if (!terms.some((t) => t.epoch === undefined)) return terms;
  const lines: { e: ZxidEvent; node: string; actor: string }[] = [];
  for (const f of bundle.files) {
    if (f.duplicateOf || f.skipped) continue;
    for (const e of f.events) {
      if (e.kind !== 'zxid' || e.what === 'quorum' || e.what === 'newElection') continue;
      lines.push({ e, node: f.node, actor: actorId(f.node, e.peer) });
    }
  }
  if (lines.length === 0) return terms;
  return terms.map((t) => {
    if (t.epoch !== undefined) return t;
    let exact: { e: ZxidEvent; node: string } | undefined;
    let bound: { e: ZxidEvent; node: string } | undefined;
    for (const l of lines) {
      if (l.e.time < t.start || l.e.time > t.end || sameActor(l.actor, t.node)) continue;
      if (terms.some((o) => o !== t && o.start <= l.e.time && l.e.time <= o.end)) continue;
      if (l.e.what === 'txnLog') exact ??= l;
      else if (!bound || l.e.epoch > bound.e.epoch) bound = l;
    }
    if (exact) return withEpoch(bundle, t, exact, 'epoch');
    if (bound) return withEpoch(bundle, t, bound, 'epochAtLeast');
    return t;
  });
}

function sameActor(lineActor: string, termNode: string): boolean {
  const a = parseActor(termNode);
  return a.peer ? lineActor === termNode : hostOf(lineActor) === a.node;
}

function withEpoch(bundle: BundleIndex, t: RoleInterval, l: { e: ZxidEvent; node: string }, what: Evidence['what']): RoleInterval {
  const proof: Evidence = {
    what,
    node: l.node,
    source: { file: bundle.files[l.e.file].path, line: l.e.line, offset: l.e.offset },
    text: l.e.text,
    time: l.e.time,
  };
  const evidence = [...(t.evidence ?? []), proof];
  return what === 'epoch' ? { ...t, epoch: l.e.epoch, epochBy: 'followersTxnLog', evidence } : { ...t, epochAtLeast: l.e.epoch, evidence };
}
