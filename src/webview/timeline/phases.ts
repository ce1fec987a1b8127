/**
 * The inside of an item, for drawing, hovering and clicking: a leading band's ZooKeeper phases (before
 * broadcast the leader does not serve), and which line a click opens. Pure: unit-tested without a browser.
 */
import type { PhaseName } from '../../core/leaderIntervals';

export interface PhaseMark {
  phase: PhaseName;
  time: number;
  file: number;
  line: number;
  text: string;
}

export interface InsideItem {
  start: number;
  end: number;
  style: string;
  file: number;
  line: number;
  endFile?: number;
  endLine?: number;
  phases?: readonly PhaseMark[];
}

/** A stretch of a leading band in one phase; `phase` undefined before the first phase the log printed. */
export interface PhaseSegment {
  start: number;
  end: number;
  phase?: PhaseName;
  /** The leader could serve clients: broadcast had begun. */
  serving: boolean;
  mark?: PhaseMark;
}

/**
 * A band's stretches by phase, covering [start, end]; empty when the band has no phases (then nothing is
 * known, and it is drawn as one). A 3.4 log gives only broadcast (from its quorum line): what precedes it
 * is "before broadcast", phase unnamed.
 */
export function phaseSegments(it: InsideItem): PhaseSegment[] {
  const marks = (it.phases ?? []).filter((p) => p.time >= it.start && p.time <= it.end);
  if (marks.length === 0) return [];
  const out: PhaseSegment[] = [];
  if (marks[0].time > it.start) out.push({ start: it.start, end: marks[0].time, serving: false });
  let serving = false;
  marks.forEach((m, i) => {
    serving ||= m.phase === 'broadcast';
    out.push({ start: m.time, end: marks[i + 1]?.time ?? it.end, phase: m.phase, serving, mark: m });
  });
  return out;
}

/** The segment at time `t` (the last one whose start is at or before it), if the band has phases. */
export function phaseAt(it: InsideItem, t: number): PhaseSegment | undefined {
  const segments = phaseSegments(it);
  let found: PhaseSegment | undefined;
  for (const s of segments) if (s.start <= t) found = s;
  return found ?? segments[0];
}

/**
 * The line a click at time `t` opens: a silence's first line after it (where the log resumes), the phase
 * line of the phase under the pointer, else the item's start line.
 */
export function lineToOpen(it: InsideItem, t: number): { file: number; line: number } {
  if (it.style === 'silence' && it.endFile !== undefined && it.endLine !== undefined) return { file: it.endFile, line: it.endLine };
  const mark = phaseAt(it, t)?.mark;
  return mark ? { file: mark.file, line: mark.line } : { file: it.file, line: it.line };
}
