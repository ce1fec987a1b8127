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
  private hits: T[] = [];
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
      if (!this.before(h)) continue;
      this.hits.push(h);
      this.chars += this.charsOf(h);
    }
    if (this.hits.length > this.maxLines || this.chars > this.maxChars) this.cut();
  }

  /** The lines (before the horizon, in no particular order), and the horizon when the answer is cut. */
  result(): { hits: T[]; truncated: boolean; horizon?: number; crowded?: number } {
    const hits = this.hits.filter((h) => this.before(h));
    const horizon = Number.isFinite(this.horizon) ? this.horizon : undefined;
    return { hits, truncated: horizon !== undefined || this.undatedCut, horizon, crowded: this.crowded };
  }

  private key(h: T): number {
    return this.timeOf(h) ?? Number.POSITIVE_INFINITY;
  }

  private before(h: T): boolean {
    return !Number.isFinite(this.horizon) || this.key(h) < this.horizon;
  }

  /** Keeps the earliest lines within both bounds; the horizon moves to the time of the first one left out. */
  private cut(): void {
    const sorted = this.hits.filter((h) => this.before(h)).sort((a, b) => this.key(a) - this.key(b) || this.tieBreak(a, b));
    let n = 0;
    let chars = 0;
    while (n < sorted.length && n < this.maxLines && chars + this.charsOf(sorted[n]) <= this.maxChars) chars += this.charsOf(sorted[n++]);
    if (n >= sorted.length) {
      this.hits = sorted;
      this.chars = chars;
      return;
    }
    const first = this.key(sorted[n]);
    let keep = Math.max(1, n);
    if (!Number.isFinite(first)) this.undatedCut = true;
    else {
      while (keep > 0 && this.key(sorted[keep - 1]) >= first) keep--;
      if (keep === 0) {
        // Every kept line is at the instant of the first one left out: keep the bound's worth, move on by 1 µs.
        this.crowded = first;
        this.horizon = Math.min(this.horizon, first + 1);
        keep = Math.max(1, n);
      } else this.horizon = Math.min(this.horizon, first);
    }
    this.hits = sorted.slice(0, keep);
    this.chars = this.hits.reduce((s, h) => s + this.charsOf(h), 0);
  }
}
