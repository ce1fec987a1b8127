import { compareKeys, type MergeKey } from '../workflows/mergeOrder';

/** A line the window holds: where it stands in the merged log, and its time (µs corrected). */
export interface WindowLine {
  key: MergeKey;
  time: number;
}

/** Which way to read a page so the reader does not hit the window's edge. */
export type PageWant = 'previous' | 'next';

/**
 * The part of the merged log a Cluster Log view holds: a few pages in a row, read forward or backward from
 * the merge's cursors. Adding a page past `maxPages` drops the page at the far end, so however far the reader
 * scrolls, the view holds at most `maxPages` pages. Document line 0 is the top marker, entries follow.
 */
export class PagedWindow<L extends WindowLine> {
  private pages: L[][] = [];
  private flat: L[] | undefined;
  /** Nothing precedes the first line (a backward read found no more). */
  atStart = false;
  /** Nothing follows the last line. */
  atEnd = false;

  constructor(readonly maxPages = 3) {}

  get lines(): readonly L[] {
    this.flat ??= this.pages.flat();
    return this.flat;
  }

  /** Starts over with the lines before a point and those from it (Go to Time, a first open). */
  reset(before: L[], after: L[], edges: { atStart: boolean; atEnd: boolean }): void {
    this.pages = [before, after].filter((p) => p.length > 0);
    this.flat = undefined;
    this.atStart = edges.atStart;
    this.atEnd = edges.atEnd;
  }

  /** The cursor to read the next page after, when more may follow. */
  get nextCursor(): MergeKey | undefined {
    const l = this.lines;
    return this.atEnd || l.length === 0 ? undefined : l[l.length - 1].key;
  }

  /** The cursor to read the previous page before, when more may precede. */
  get previousCursor(): MergeKey | undefined {
    const l = this.lines;
    return this.atStart || l.length === 0 ? undefined : l[0].key;
  }

  /** A page read forward from nextCursor; `more` when the read said more follow. Returns the lines dropped at the top. */
  append(page: L[], more: boolean): number {
    this.atEnd = !more;
    if (page.length === 0) return 0;
    this.pages.push(page);
    this.flat = undefined;
    let dropped = 0;
    while (this.pages.length > this.maxPages) {
      dropped += this.pages.shift()!.length;
      this.atStart = false;
    }
    return dropped;
  }

  /** A page read backward from previousCursor; `more` when more precede. Returns the lines added at the top. */
  prepend(page: L[], more: boolean): number {
    this.atStart = !more;
    if (page.length === 0) return 0;
    this.pages.unshift(page);
    this.flat = undefined;
    while (this.pages.length > this.maxPages) {
      this.pages.pop();
      this.atEnd = false;
    }
    return page.length;
  }

  /** The page to read so that `margin` lines stay between what is visible (entry indexes) and the window's edge. */
  wants(firstVisible: number, lastVisible: number, margin: number): PageWant | undefined {
    if (firstVisible < margin && this.previousCursor) return 'previous';
    if (lastVisible > this.lines.length - 1 - margin && this.nextCursor) return 'next';
    return undefined;
  }

  /** The entry index of the line with this key, or -1 when the window no longer holds it. */
  indexOfKey(key: MergeKey): number {
    const l = this.lines;
    let lo = 0;
    let hi = l.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareKeys(l[mid].key, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo < l.length && compareKeys(l[lo].key, key) === 0 ? lo : -1;
  }

  /** The index of the first entry at or after `time`, or -1 when every line is earlier (or none is held). */
  firstAtOrAfter(time: number): number {
    const i = this.lines.findIndex((l) => l.time >= time);
    return i;
  }

  /** Whether `time` lies inside what the window holds (so it can be shown without reading). */
  holds(time: number): boolean {
    const l = this.lines;
    if (l.length === 0) return false;
    // An earlier line at the same time may lie before the window: only a later time is surely inside.
    return (this.atStart || time > l[0].time) && (this.atEnd || time <= l[l.length - 1].time);
  }
}

/** Document lines above the entries (the top marker): entry i is document line i + ENTRY_OFFSET. */
export const ENTRY_OFFSET = 1;
