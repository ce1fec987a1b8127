import type { Evidence, RoleInterval } from './leaderIntervals';
import type { RoleOverlap } from './overlaps';
import type { SourceRef } from './model';
import type { Micros } from './time';

/** A line that shows which side is older: an epoch or election seq line, or a term's start. */
export interface StaleEvidence {
  node: string;
  source: SourceRef;
  text: string;
  /** The line's time, on its node's clock. */
  time: Micros;
}

/** Which side of an overlap holds the older leadership, by what, with the lines that prove it. */
export interface StaleSide {
  /** The node whose leadership is older: it should have stepped down. */
  node: string;
  /** In words: `epoch 1 < epoch 2`, `election seq 381 < 416`, or `became leader first`. */
  why: string;
  /** How it was decided: by ZooKeeper epoch, meta election seq, or only by which term started first. */
  by: 'epoch' | 'electionSeq' | 'start';
  /** The lines that prove it, stale side first: where the epochs or seqs are written, else the terms' starts. */
  evidence: StaleEvidence[];
}

/** What a term's epoch is known to be: exactly, or at least a bound. */
function epochOf(iv: RoleInterval): { low: number; exact: boolean; words: string } | undefined {
  if (iv.epoch !== undefined) return { low: iv.epoch, exact: true, words: `epoch ${iv.epoch}` };
  if (iv.epochAtLeast !== undefined) return { low: iv.epochAtLeast, exact: false, words: `epoch ≥ ${iv.epochAtLeast}` };
  return undefined;
}

/** The stale side by epoch, when the epochs (or an epoch and the other's lower bound) order the two. */
function byEpoch(a: RoleInterval, b: RoleInterval): [RoleInterval, RoleInterval] | undefined {
  const x = epochOf(a);
  const y = epochOf(b);
  if (!x || !y) return undefined;
  // a is older when its epoch is known exactly and b's is at least something higher (and the other way round).
  if (x.exact && y.low > x.low) return [a, b];
  if (y.exact && x.low > y.low) return [b, a];
  return undefined;
}

function proofs(iv: RoleInterval, what: Evidence['what'][]): StaleEvidence[] {
  const lines = (iv.evidence ?? []).filter((e) => what.includes(e.what));
  if (lines.length > 0) return lines.map((e) => ({ node: e.node, source: e.source, text: e.text, time: e.time }));
  return [{ node: iv.node, source: iv.startSource, text: iv.startText, time: iv.start }];
}

/**
 * The stale side of a split brain: the lower ZooKeeper epoch, else the lower meta election seq, else (a
 * NameNode's transition, or a term whose log printed neither) the term that began first — said as such,
 * since start times across nodes are only as good as their clocks.
 */
export function staleSide(o: RoleOverlap): StaleSide | undefined {
  const [a, b] = o.intervals;
  const epochs = byEpoch(a, b);
  if (epochs) {
    const [older, newer] = epochs;
    return {
      node: older.node,
      why: `${epochOf(older)?.words ?? ''} < ${epochOf(newer)?.words ?? ''}`,
      by: 'epoch',
      evidence: [...proofs(older, ['epoch', 'epochAtLeast']), ...proofs(newer, ['epoch', 'epochAtLeast'])],
    };
  }
  if (a.electionSeq !== undefined && b.electionSeq !== undefined && a.electionSeq !== b.electionSeq) {
    const [older, newer] = a.electionSeq < b.electionSeq ? [a, b] : [b, a];
    return {
      node: older.node,
      why: `election seq ${older.electionSeq ?? ''} < ${newer.electionSeq ?? ''}`,
      by: 'electionSeq',
      evidence: [...proofs(older, ['electionSeq']), ...proofs(newer, ['electionSeq'])],
    };
  }
  if (a.start === b.start) return undefined;
  const [older, newer] = a.start < b.start ? [a, b] : [b, a];
  return {
    node: older.node,
    why: 'became leader first (by the clocks only: no epoch or election seq on both sides)',
    by: 'start',
    evidence: [...proofs(older, []), ...proofs(newer, [])],
  };
}
