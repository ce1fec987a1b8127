import type { RoleInterval } from '../../core/leaderIntervals';
import { secondsBetween } from '../../core/time';
import { table } from '../table';

/** The stable JSON shape of one interval (`leaders --json`, and inside `overlaps --json`). */
export function intervalJson(iv: RoleInterval, fmt: (t: number) => string) {
  return {
    role: iv.role,
    node: iv.node,
    start: fmt(iv.start),
    end: fmt(iv.end),
    seconds: secondsBetween(iv.start, iv.end),
    startSource: { file: iv.startSource.file, line: iv.startSource.line },
    endSource: { file: iv.endSource.file, line: iv.endSource.line },
    endReason: iv.endReason,
    ...(iv.epoch !== undefined ? { epoch: iv.epoch } : {}),
  };
}

export function printLeaders(intervals: RoleInterval[], fmt: (t: number) => string): string {
  if (intervals.length === 0) return 'No leader intervals found.';
  return table(
    ['ROLE', 'NODE', 'START', 'END', 'SECONDS', 'END REASON', 'SOURCE'],
    intervals.map((iv) => [
      iv.role, iv.node, fmt(iv.start).replace('T', ' '), fmt(iv.end).replace('T', ' '), secondsBetween(iv.start, iv.end).toFixed(6),
      iv.endReason + (iv.epoch !== undefined ? ` (epoch ${iv.epoch})` : ''), `${iv.startSource.file}:${iv.startSource.line}`,
    ]),
  );
}
