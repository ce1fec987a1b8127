/**
 * The earliest lines of a search, bounded in count and in characters however many files match — and an
 * answer that stays true when cut: every line before `horizon` (a corrected time) is there, none at or
 * after it. A file whose own search stopped at its limit sets the horizon to the time of the last line it
 * kept (its later lines were never read), and a cut to the bound sets it to the time of the first line
 * dropped. The next page starts at the horizon, so nothing is skipped and nothing repeats.
 *
 * Batches arrive in any order (files finish when they finish), and the answer does not depend on it.
 */
export class EarliestHits<T> {
  /** Lines kept, each with its sort key worked out once (a sort of 250 000 lines calls it millions of times). */
  private hits: { h: T; key: number; chars: number }[] = [];
  private chars = 0;
  /** Lines at or after this time may be missing (Infinity: nothing is). */
  private horizon = Number.POSITIVE_INFINITY;
  /** The bound was reached by lines all at one instant: those past the bound are left out at that time. */
  private crowded?: number;
  /** Lines without a time were left out past the bound (they sort last, so no horizon tells of them). */
  private undatedCut = false;

  constructor(
    private readonly maxLines: number,
    private readonly maxChars: number,
    /** Corrected time of a line; undefined for a line without one (those sort last). */
    private readonly timeOf: (h: T) => number | undefined,
    private readonly charsOf: (h: T) => number,
    /** Orders lines at the same time (node, file, line), so a cut does not depend on which file finished first. */
    private readonly tieBreak: (a: T, b: T) => number = () => 0,
  ) {}

  /** Adds one file's (or bundle's) lines; `cutAt` when that search stopped early: its later lines are unknown. */
  add(batch: readonly T[], cutAt?: number): void {
    if (cutAt !== undefined) this.horizon = Math.min(this.horizon, cutAt);
    for (const h of batch) {
      const key = this.timeOf(h) ?? Number.POSITIVE_INFINITY;
      if (!this.before(key)) continue;
      const chars = this.charsOf(h);
      this.hits.push({ h, key, chars });
      this.chars += chars;
    }
    // Cut once twice the bound is held, not at every batch past it: the same answer (a cut keeps a prefix
    // of the lines in order, and every later cut's prefix lies inside it), without re-sorting per file.
    if (this.hits.length > 2 * this.maxLines || this.chars > 2 * this.maxChars) this.cut();
  }

  /**
   * The time from which no line can be kept any more (Infinity while any can): a search still to run need
   * not hand over lines at or after it.
   */
  get bound(): number {
    return this.horizon;
  }

  /** The lines (before the horizon, in no particular order), and the horizon when the answer is cut. */
  result(): { hits: T[]; truncated: boolean; horizon?: number; crowded?: number } {
    if (this.hits.length > this.maxLines || this.chars > this.maxChars) this.cut();
    const hits = this.hits.filter((x) => this.before(x.key)).map((x) => x.h);
    const horizon = Number.isFinite(this.horizon) ? this.horizon : undefined;
    return { hits, truncated: horizon !== undefined || this.undatedCut, horizon, crowded: this.crowded };
  }

  private before(key: number): boolean {
    return !Number.isFinite(this.horizon) || key < this.horizon;
  }

  /** Keeps the earliest lines within both bounds; the horizon moves to the time of the first one left out. */
  private cut(): void {
    const sorted = this.hits.filter((x) => this.before(x.key)).sort((a, b) => a.key - b.key || this.tieBreak(a.h, b.h));
    let n = 0;
    let chars = 0;
    while (n < sorted.length && n < this.maxLines && chars + sorted[n].chars <= this.maxChars) chars += sorted[n++].chars;
    if (n >= sorted.length) {
      this.hits = sorted;
      this.chars = chars;
      return;
    }
    const first = sorted[n].key;
    let keep = Math.max(1, n);
    if (!Number.isFinite(first)) this.undatedCut = true;
    else {
      while (keep > 0 && sorted[keep - 1].key >= first) keep--;
      if (keep === 0) {
        // Every kept line is at the instant of the first one left out: keep the bound's worth, move on by 1 µs.
        this.crowded = first;
        this.horizon = Math.min(this.horizon, first + 1);
        keep = Math.max(1, n);
      } else this.horizon = Math.min(this.horizon, first);
    }
    this.hits = sorted.slice(0, keep);
    this.chars = this.hits.reduce((s, x) => s + x.chars, 0);
  }
}
