import type { RoleInterval } from './leaderIntervals';
import type { RoleOverlap } from './overlaps';

/** Which side of an overlap holds the older leadership, by what, with the lines that prove it. */
export interface StaleSide {
  /** The node whose leadership is older: it should have stepped down. */
  node: string;
  /** In words: `epoch 1 < epoch 2`, `election seq 381 < 416`, or `became leader first`. */
  why: string;
  /** How it was decided: by ZooKeeper epoch, meta election seq, or only by which term started first. */
  by: 'epoch' | 'electionSeq' | 'start';
  /** The two terms' start lines (stale first): where the epochs, seqs or transitions are written. */
  evidence: [RoleInterval, RoleInterval];
}

/**
 * The stale side of a split brain: the lower ZooKeeper epoch, else the lower meta election seq, else (a
 * NameNode's transition, or a term whose log printed neither) the term that began first — said as such,
 * since start times across nodes are only as good as their clocks.
 */
export function staleSide(o: RoleOverlap): StaleSide | undefined {
  const [a, b] = o.intervals;
  const pick = (older: RoleInterval, newer: RoleInterval, by: StaleSide['by'], why: string): StaleSide => ({
    node: older.node,
    why,
    by,
    evidence: [older, newer],
  });
  if (a.epoch !== undefined && b.epoch !== undefined && a.epoch !== b.epoch) {
    const [older, newer] = a.epoch < b.epoch ? [a, b] : [b, a];
    return pick(older, newer, 'epoch', `epoch ${older.epoch ?? ''} < epoch ${newer.epoch ?? ''}`);
  }
  if (a.electionSeq !== undefined && b.electionSeq !== undefined && a.electionSeq !== b.electionSeq) {
    const [older, newer] = a.electionSeq < b.electionSeq ? [a, b] : [b, a];
    return pick(older, newer, 'electionSeq', `election seq ${older.electionSeq ?? ''} < ${newer.electionSeq ?? ''}`);
  }
  if (a.start === b.start) return undefined;
  const [older, newer] = a.start < b.start ? [a, b] : [b, a];
  return pick(older, newer, 'start', 'became leader first (by the clocks only: no epoch or election seq on both sides)');
}
