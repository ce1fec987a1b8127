import type { RoleInterval } from '../../core/leaderIntervals';
import type { RoleOverlap } from '../../core/overlaps';
import { secondsBetween } from '../../core/time';
import { intervalJson } from './leadersCommand';

export function overlapJson(o: RoleOverlap, fmt: (t: number) => string, uncertaintyUs?: number) {
  return {
    role: o.role,
    nodes: o.nodes,
    start: fmt(o.start),
    end: fmt(o.end),
    seconds: secondsBetween(o.start, o.end),
    intervals: o.intervals.map((iv) => intervalJson(iv, fmt)),
    ...(uncertaintyUs !== undefined ? { clockUncertaintyMs: uncertaintyUs / 1000, uncertain: o.end - o.start <= uncertaintyUs } : {}),
  };
}

/** How many intervals on how many nodes were compared: "none found" means little without it. */
export function examined(intervals: readonly RoleInterval[]): { intervals: number; nodes: number } {
  return { intervals: intervals.length, nodes: new Set(intervals.map((i) => i.node)).size };
}

export function printOverlaps(
  overlaps: RoleOverlap[], intervals: RoleInterval[], roles: string[], fmt: (t: number) => string, uncertainty: (o: RoleOverlap) => number | undefined = () => undefined,
): string {
  const ex = examined(intervals);
  const scope = `${ex.intervals} ${roles.join('/')} leader intervals on ${ex.nodes} nodes examined`;
  if (overlaps.length === 0) return `No overlaps: ${scope}.`;
  const out = [`${overlaps.length} overlap${overlaps.length === 1 ? '' : 's'} (${scope}):`];
  for (const o of overlaps) {
    out.push('');
    const u = uncertainty(o);
    const clock = u === undefined ? '' : `  (clocks may differ by up to ${(u / 1000).toFixed(0)} ms${o.end - o.start <= u ? ': UNCERTAIN' : ''})`;
    out.push(`${o.role}  ${o.nodes[0]} ∩ ${o.nodes[1]}  ${secondsBetween(o.start, o.end).toFixed(6)} s  ${fmt(o.start).replace('T', ' ')} → ${fmt(o.end).replace('T', ' ')}${clock}`);
    for (const iv of o.intervals) {
      out.push(`    ${iv.node.padEnd(18)} ${fmt(iv.start).replace('T', ' ')} → ${fmt(iv.end).replace('T', ' ')}  ${iv.startSource.file}:${iv.startSource.line} → :${iv.endSource.line} (${iv.endReason})`);
    }
  }
  return out.join('\n');
}
