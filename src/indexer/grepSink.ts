import type { Micros } from '../core/time';
import { NumberCollector, type CollectedNumbers } from '../core/workflows/numberCollector';

/**
 * What a search keeps of each match. Lines (trace) are kept up to a limit; counting and statistics keep
 * only what they need — a count per time bucket, or the captured number — so their memory does not grow
 * with the text of the matches (a 10 GB run of matching lines counts in a few kilobytes).
 */
export type GrepKeep =
  /**
   * Lines from `fromUs` on and before `untilUs` (this file's own clock; undated lines are then left out),
   * until `max` lines or `maxChars` characters of text are kept.
   */
  | { kind: 'lines'; fromUs?: number; untilUs?: number; maxChars?: number }
  /** Counts per bucket of `bucketUs` of (time + shiftUs): the node's clock offset applied before bucketing. */
  | { kind: 'buckets'; bucketUs: number; shiftUs: number }
  /** The first capture group read as a number (collected in bounded memory, see NumberCollector). */
  | { kind: 'numbers' };

export interface GrepHit {
  line: number;
  offset: number;
  /** The line's own time, or its entry's (a continuation line), when known. */
  time?: Micros;
  text: string;
  /** Regex capture groups, when the pattern has any. */
  captures?: string[];
}

/** What one file's search found, by what it kept. */
export interface GrepFileResult {
  hits: GrepHit[];
  truncated: boolean;
  bytes: number;
  /** Matching lines, whatever was kept of them. */
  matches: number;
  /** `lines`: the time of the last dated line counted toward the limits (where a cut search's knowledge ends). */
  lastTime?: Micros;
  /** [bucket start, count] pairs (`buckets`). */
  buckets?: [number, number][];
  /** Matches with no time (`buckets`). */
  undated?: number;
  /** Captured numbers (`numbers`). */
  numbers?: CollectedNumbers;
  /** Captures that were not numbers (`numbers`). */
  notNumbers?: number;
}

/** Characters of a line kept (the rest of a longer line is left out of the hit). */
export const MAX_HIT_TEXT = 2000;

/** Collects matches as the request asks; `add` says when the limit is reached. */
export class GrepSink {
  private readonly hits: GrepHit[] = [];
  private readonly buckets = new Map<number, number>();
  private readonly numbers = new NumberCollector();
  private undated = 0;
  private notNumbers = 0;
  private matches = 0;
  private chars = 0;
  /** Lines counted toward the limits (`lines`): those kept, and those past `untilUs`. */
  private lines = 0;
  private lastTime: Micros | undefined;

  constructor(
    private readonly keep: GrepKeep,
    private readonly max: number,
  ) {}

  /** Whether the match's time is needed (reading it costs a parse, sometimes of lines above). */
  get needsTime(): boolean {
    return this.keep.kind !== 'numbers';
  }

  /** Whether the match's line number is needed (counting lines is a pass over every newline read). */
  get needsLine(): boolean {
    return this.keep.kind === 'lines';
  }

  /** Records a match; true when the limit is reached and the search should stop. */
  add(raw: string, line: number, offset: number, time: Micros | undefined, m: RegExpExecArray | null): boolean {
    this.matches++;
    const keep = this.keep;
    if (keep.kind === 'lines') {
      if (keep.fromUs !== undefined && (time === undefined || time < keep.fromUs)) return false;
      // A line past `untilUs` still counts toward the limits, so the search stops where it would have
      // without the bound (and its answer, the lines before the bound, is the same); it is just not kept.
      const hit = hitOf(raw, line, offset, time, m);
      this.lines++;
      this.chars += hit.text.length;
      if (time !== undefined) this.lastTime = time;
      if (keep.untilUs === undefined || (time !== undefined && time < keep.untilUs)) this.hits.push(hit);
      return this.lines >= this.max || this.chars >= (keep.maxChars ?? Number.POSITIVE_INFINITY);
    }
    if (keep.kind === 'buckets') {
      if (time === undefined) this.undated++;
      else {
        const b = Math.floor((time + keep.shiftUs) / keep.bucketUs) * keep.bucketUs;
        this.buckets.set(b, (this.buckets.get(b) ?? 0) + 1);
      }
      return false; // bounded by the number of buckets, not of matches
    }
    const v = Number.parseFloat(m && m.length > 1 ? (m[1] ?? '') : '');
    if (!Number.isFinite(v)) this.notNumbers++;
    else this.numbers.add(v);
    return false; // bounded by the collector, not by the count of matches
  }

  result(truncated: boolean, bytes: number): GrepFileResult {
    const out: GrepFileResult = { hits: this.hits, truncated, bytes, matches: this.matches };
    if (this.lastTime !== undefined) out.lastTime = this.lastTime;
    if (this.keep.kind === 'buckets') Object.assign(out, { buckets: [...this.buckets], undated: this.undated });
    if (this.keep.kind === 'numbers') Object.assign(out, { numbers: this.numbers.data(), notNumbers: this.notNumbers });
    return out;
  }
}

function hitOf(raw: string, line: number, offset: number, time: Micros | undefined, m: RegExpExecArray | null): GrepHit {
  const hit: GrepHit = { line, offset, time, text: Buffer.from(raw.slice(0, MAX_HIT_TEXT), 'latin1').toString('utf8') };
  if (m && m.length > 1) hit.captures = m.slice(1).map((c) => (c === undefined ? '' : Buffer.from(c, 'latin1').toString('utf8')));
  return hit;
}
