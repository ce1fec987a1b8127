import type { Checkpoint, FileIndex } from '../model';
import type { Micros } from '../time';

/**
 * Threads write a little out of order: a line may be this much earlier than the checkpoint before it (or
 * later than the one after it) and still be in its place. Lines further off are a clock step or a stray.
 */
export const ORDER_SLACK: Micros = 1_000_000;

/** A stretch bigger than this is not read ahead to learn its times (a clock step inside it is then bounded by its ends). */
export const MEASURE_BYTES = 8 << 20;

/**
 * A stretch of a file between two checkpoints. Checkpoints sit on dated lines, so a stretch starts on an
 * entry and no entry spans two stretches.
 */
export interface Stretch {
  /** Byte offset and 1-based line where it starts (a dated line, or the file's start). */
  offset: number;
  line: number;
  /** Where the next stretch starts (the end of the file for the last). */
  end: number;
  /** The time at its start (its checkpoint's, or the file's first): the year clock of yearless lines starts here. */
  anchor: Micros;
  /**
   * Every key of its lines lies in [lo, hi] (the file's own clock): the times of the checkpoints around it,
   * widened by ORDER_SLACK — or, once read, the range its lines really span.
   */
  lo: Micros;
  hi: Micros;
  /**
   * Its ends do not bound its lines: the clock steps back inside it (or the checkpoints after it are
   * damaged). Read ahead (when small) to learn its range.
   */
  unbounded: boolean;
}

/**
 * The checkpoints that can be right: the list is cut at the first one that is negative, out of order or
 * past `end` (a damaged index); the rest is unknown.
 */
export function validCheckpoints(checkpoints: readonly Checkpoint[], end: number): { valid: Checkpoint[]; damaged: boolean } {
  const valid: Checkpoint[] = [];
  let prev: Checkpoint = [1, -1, 0];
  for (const c of checkpoints) {
    if (
      !Number.isSafeInteger(c[0]) ||
      !Number.isSafeInteger(c[1]) ||
      !Number.isFinite(c[2]) ||
      c[0] < prev[0] ||
      c[1] <= prev[1] ||
      c[1] >= end
    )
      return { valid, damaged: true };
    valid.push(c);
    prev = c;
  }
  return { valid, damaged: false };
}

/** Where a file's data ends: its size, or for a `.gz` the inflated bytes the index read. */
export function dataEnd(f: Pick<FileIndex, 'gzip' | 'size' | 'bytes'>): number {
  return f.gzip ? f.bytes : f.size;
}

/**
 * A dated file's stretches: the lines before its first checkpoint, then one per valid checkpoint. Their
 * ranges come from the checkpoint times (and the file's first and last time) widened by `slack`.
 */
export function fileStretches(
  f: Pick<FileIndex, 'checkpoints' | 'firstTime' | 'lastTime' | 'gzip' | 'size' | 'bytes'>,
  slack: Micros = ORDER_SLACK,
): Stretch[] {
  const end = dataEnd(f);
  const first = f.firstTime ?? 0;
  const last = f.lastTime ?? first;
  const { valid, damaged } = validCheckpoints(f.checkpoints, end);
  const make = (offset: number, line: number, stop: number, from: Micros, to: Micros, unbounded = false): Stretch => ({
    offset,
    line,
    end: stop,
    anchor: from,
    lo: Math.min(from, to) - slack,
    hi: Math.max(from, to) + slack,
    // The clock went back between its ends: somewhere inside, lines stop being bounded by them.
    unbounded: unbounded || to < from - slack,
  });
  if (valid.length === 0) return end > 0 ? [make(0, 1, end, first, last, damaged)] : [];
  const out: Stretch[] = [];
  if (valid[0][1] > 0) out.push(make(0, 1, valid[0][1], first, valid[0][2]));
  valid.forEach((c, i) => {
    const n = valid[i + 1];
    out.push(make(c[1], c[0], n ? n[1] : end, c[2], n ? n[2] : last, !n && damaged));
  });
  return out;
}

/**
 * Groups a file's stretches into chains whose times only go forward (give or take `slack`), in file order:
 * a file whose clock stepped back an hour becomes two chains, read side by side by the merge, so neither
 * has to hold the hour in memory. A stretch joins the chain of the stretch before it when it fits, else
 * the fitting chain that reached furthest, else a new one (at most `maxChains`; past that, the chain that
 * reached least, whose reader then holds more).
 */
export function chainStretches(stretches: readonly Pick<Stretch, 'lo'>[], slack: Micros = ORDER_SLACK, maxChains = 8): number[][] {
  const chains: number[][] = [];
  const level: Micros[] = [];
  let last = -1;
  stretches.forEach((s, i) => {
    const fits = (c: number) => s.lo >= level[c] - slack;
    let c = last >= 0 && fits(last) ? last : -1;
    if (c < 0) for (let k = 0; k < chains.length; k++) if (fits(k) && (c < 0 || level[k] > level[c])) c = k;
    if (c < 0 && chains.length < maxChains) {
      chains.push([]);
      level.push(Number.NEGATIVE_INFINITY);
      c = chains.length - 1;
    }
    if (c < 0) c = level.indexOf(Math.min(...level));
    chains[c].push(i);
    level[c] = Math.max(level[c], s.lo);
    last = c;
  });
  return chains;
}

/** Clamps a time into a stretch's range: where the merge places a line whose own time is outside it. */
export function placeIn(t: Micros, s: Pick<Stretch, 'lo' | 'hi'>): Micros {
  return t < s.lo ? s.lo : t > s.hi ? s.hi : t;
}
