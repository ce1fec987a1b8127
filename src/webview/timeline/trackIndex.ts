import type { Viewport } from './viewport';
import { timeToX } from './viewport';

export interface Span {
  id: number;
  start: number;
  end: number;
}

/**
 * One track's items sorted by start, with the running maximum of their ends: finding what is visible
 * in a window is a binary search plus the visible items, even with 100 000 items.
 */
export class TrackIndex<T extends Span> {
  readonly items: T[];
  private readonly maxEnd: number[];

  constructor(items: readonly T[]) {
    this.items = [...items].sort((a, b) => a.start - b.start || a.end - b.end);
    this.maxEnd = [];
    let m = -Infinity;
    for (const it of this.items) this.maxEnd.push((m = Math.max(m, it.end)));
  }

  /** Indexes [from, to) of items that may intersect [start, end]. */
  range(start: number, end: number): [number, number] {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.maxEnd[mid] < start) lo = mid + 1;
      else hi = mid;
    }
    const from = lo;
    hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid].start <= end) lo = mid + 1;
      else hi = mid;
    }
    return [from, lo];
  }
}

/** An item at least this wide (px) that starts where the wide items of a run end is drawn on its own. */
const WIDE_PX = 2;

/** A run of items drawn as one shape: several items closer than a pixel merge (level of detail). */
export interface Run<T> {
  x0: number;
  x1: number;
  first: T;
  count: number;
}

/**
 * The shapes to draw for a track in a window: items narrower than `minPx` get `minPx`; items that overlap
 * on screen or touch merge into one run, except that an item at least `WIDE_PX` wide starting where the
 * run's wide items end starts a run of its own. Zoomed out, 100 000 items become at most a few thousand
 * shapes; zoomed in, every item is its own run; and bands that follow each other (following, a moment of
 * looking, then leading) keep their own colours however far out.
 */
export function visibleRuns<T extends Span>(index: TrackIndex<T>, view: Viewport, x0: number, width: number, minPx = 1): Run<T>[] {
  const [from, to] = index.range(view.start, view.end);
  const runs: Run<T>[] = [];
  let cur: Run<T> | undefined;
  // Where the run's wide items end (its start while it has none): narrow ones merged in do not move it.
  let solidEnd = 0;
  for (let i = from; i < to; i++) {
    const it = index.items[i];
    if (it.end < view.start) continue;
    const a = Math.max(timeToX(it.start, view, x0, width), x0 - 1);
    const b = Math.min(Math.max(timeToX(it.end, view, x0, width), a + minPx), x0 + width + 1);
    const wide = b - a >= WIDE_PX;
    if (cur && a <= cur.x1 + 0.5 && !(wide && a >= solidEnd - 0.5)) {
      cur.x1 = Math.max(cur.x1, b);
      cur.count++;
      if (wide) solidEnd = Math.max(solidEnd, b);
    } else {
      if (cur) runs.push(cur);
      cur = { x0: a, x1: b, first: it, count: 1 };
      solidEnd = wide ? b : a;
    }
  }
  if (cur) runs.push(cur);
  return runs;
}
