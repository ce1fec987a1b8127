import type { RoleInterval } from './leaderIntervals';
import type { Micros } from './time';
import { hostOf } from './actor';

/** Two nodes holding the same role at the same time: the split brain the user is hunting. */
export interface RoleOverlap {
  role: string;
  /** The two nodes, sorted by name. */
  nodes: [string, string];
  start: Micros;
  end: Micros;
  /** The two intervals, in the order of `nodes`. */
  intervals: [RoleInterval, RoleInterval];
}

/** Per-node clock corrections in microseconds, added to that node's times before comparing. */
export type ClockOffsets = Readonly<Record<string, number>>;

/**
 * Every pair of intervals of one role, on different nodes, that truly intersect. Touching or adjacent
 * intervals (one ends exactly when the other starts) do not overlap. Sorted by overlap start.
 */
export function findOverlaps(intervals: readonly RoleInterval[], offsets: ClockOffsets = {}): RoleOverlap[] {
  const shifted = intervals.map((iv) => {
    const d = offsets[hostOf(iv.node)] ?? 0;
    return { iv, start: iv.start + d, end: iv.end + d };
  });
  shifted.sort((a, b) => a.start - b.start || a.end - b.end);
  const out: RoleOverlap[] = [];
  for (let i = 0; i < shifted.length; i++) {
    const a = shifted[i];
    for (let j = i + 1; j < shifted.length && shifted[j].start < a.end; j++) {
      const b = shifted[j];
      if (a.iv.role !== b.iv.role || a.iv.node === b.iv.node) continue;
      const start = Math.max(a.start, b.start);
      const end = Math.min(a.end, b.end);
      if (!(start < end)) continue;
      const [x, y] = a.iv.node <= b.iv.node ? [a.iv, b.iv] : [b.iv, a.iv];
      out.push({ role: a.iv.role, nodes: [x.node, y.node], start, end, intervals: [x, y] });
    }
  }
  return out.sort((p, q) => p.start - q.start || p.nodes[0].localeCompare(q.nodes[0]) || p.nodes[1].localeCompare(q.nodes[1]));
}
