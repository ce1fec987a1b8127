import type { Checkpoint, FileIndex, Gap, GapScanState } from '../core/model';
import { GAP_BUCKETS, gapBucket, MAX_GAPS, MAX_STEP_US, MIN_GAP_US } from '../core/silences';
import { wallMicros, type Micros } from '../core/time';
import type { RollingYearClock } from '../core/yearClock';

/** A dated line this far behind the latest one is an old line written late, or the clock stepping back. */
const BEHIND_US = 1_000_000;
/** 10^(6 - digits): a fraction of seconds printed with that many digits, in microseconds. */
const FRACTION_SCALE = [1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];
/** No segment: what the recorder holds between segments, so that it keeps no chunk alive. */
const NO_BYTES = Buffer.alloc(0);
const NO_VIEW = new DataView(NO_BYTES.buffer, NO_BYTES.byteOffset, 0);

/**
 * The steps between consecutive dated lines of one file (`FileIndex.gaps`, `gapHistogram`, `firstDated`,
 * `lastDated`, which silences are found in), read from the stamp bytes each line starts with. The scan
 * hands it every line start once, in file order, segment by segment: `startSegment`, `lineAt` for each
 * line, `endSegment`.
 */
export class StepRecorder {
  // Steps between consecutive dated lines (see `dated`). `stepRef` is the latest time reached, NaN before
  // the first dated line; `stray` a line far off it, waiting for the next line to tell a stray line
  // (ignored) from the clock moving (followed).
  private gaps: Gap[] = [];
  private gapMin = MIN_GAP_US;
  private readonly histogram = new Float64Array(GAP_BUCKETS);
  private stepRef = NaN;
  private stepRefLine = 0;
  private stepRefOffset = 0;
  private firstDated: Checkpoint | undefined;
  private stray: Checkpoint | undefined;
  // The segment being scanned: its bytes (and a view of them for reading four at once), where its text
  // starts in them, and what turns an index into them into a file offset.
  private b: Uint8Array = NO_BYTES;
  private v: DataView = NO_VIEW;
  private at = 0;
  private delta = 0;
  // The latest dated line's second: where its layout puts hh:mm:ss, when it starts, and the bytes of hh:mm
  // and of ss.
  // Then the last line seen in that second since (`tailIdx` into the segment's bytes, -1 for none;
  // settled at the end of each segment).
  private secAt = 0;
  private secStart = 0;
  private secHm = -1;
  private secS = -1;
  private tailIdx = -1;
  private tailLine = 0;
  // The day a line's date means, for the last date seen in each layout: dates change rarely, lines often.
  private dayKey = NaN;
  private dayStart = NaN;
  private glogDayKey = NaN;
  private glogDayStart = NaN;
  private isoKey1 = NaN;
  private isoKey2 = NaN;
  private isoStart = NaN;

  /** `clock` gives yearless glog stamps their year; `resumeFrom` is the record where an earlier scan stopped. */
  constructor(
    private readonly clock: RollingYearClock,
    resumeFrom?: GapScanState,
  ) {
    const st = resumeFrom;
    if (!st) return;
    this.gaps = st.gaps.slice();
    this.gapMin = st.min;
    for (let b = 0; b < GAP_BUCKETS && b < st.histogram.length; b++) this.histogram[b] = st.histogram[b];
    this.firstDated = st.firstDated;
    if (st.lastDated) [this.stepRefLine, this.stepRefOffset, this.stepRef] = st.lastDated;
    this.stray = st.stray;
  }

  /** The record as plain data, at a line boundary between segments: saved so an appended file's scan resumes it. */
  state(): GapScanState {
    return {
      gaps: this.gaps.slice(), // gaps are never changed once made: shared with the index
      min: this.gapMin,
      histogram: Array.from(this.histogram),
      firstDated: this.firstDated,
      lastDated: this.lastDated(),
      stray: this.stray,
    };
  }

  /** Puts the record into the file's index when the scan ends: gaps, histogram, first and last dated line (when any). */
  writeTo(index: FileIndex): void {
    index.gaps = this.gaps;
    index.gapHistogram = Array.from(this.histogram);
    index.firstDated = this.firstDated;
    index.lastDated = this.lastDated();
    if (index.firstDated === undefined) delete index.firstDated;
    if (index.lastDated === undefined) delete index.lastDated;
  }

  private lastDated(): Checkpoint | undefined {
    return this.stepRef === this.stepRef ? [this.stepRefLine, this.stepRefOffset, this.stepRef] : undefined;
  }

  /**
   * Begins a segment of whole lines: `text`, starting at file offset `base`, is also in `bytes` from
   * `bytesAt` on. A segment of one line, assembled across chunks, comes without them: its head is enough.
   */
  startSegment(text: string, base: number, bytes?: Uint8Array, bytesAt = 0): void {
    const b = bytes ?? Buffer.from(text.length > 64 ? text.slice(0, 64) : text, 'latin1');
    this.b = b;
    this.v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.at = bytesAt;
    this.delta = base - bytesAt;
  }

  /** Ends the segment: its last line in the latest second becomes the reference, and its bytes are let go. */
  endSegment(): void {
    this.settleTail(this.b);
    this.b = NO_BYTES;
    this.v = NO_VIEW;
  }

  /**
   * The line starting at `idx` in the segment's text, numbered `line`, in file order (see `dated`). Most
   * lines fall in the same second as the latest dated line: they are told by the bytes of its hh:mm:ss
   * where that line's layout has them (no other line has those digits there), and only remembered as the
   * second's tail. (A line a whole number of days later has the same bytes: such a step is `MAX_STEP_US`
   * or more, which counts for nothing anyway.) The stamp is read in full only when they differ. So steps
   * inside a second are never measured: the histogram samples, at each whole second, the step that spans
   * it (see `FileIndex.gapHistogram`).
   */
  lineAt(idx: number, line: number): void {
    const b = this.b;
    const i = idx + this.at;
    const p = i + this.secAt;
    if (p + 8 <= b.length && this.v.getInt32(p) === this.secHm && this.v.getInt32(p + 4) === this.secS) {
      this.tailIdx = i;
      this.tailLine = line;
    } else this.newSecond(b, i, line);
  }

  /** A line whose stamp is not in the latest dated line's second: read it in full, and step to it. */
  private newSecond(b: Uint8Array, i: number, line: number): void {
    const c = b[i];
    let p: number; // where hh:mm:ss begins
    if (c === 73 || c === 87 || c === 69 || c === 70 || c === 67) {
      if (b[i + 5] === 32) p = i + 6;
      else if (b[i + 9] === 32) p = i + 10;
      else return;
    } else if (c >= 48 && c <= 57) {
      const c2 = b[i + 2];
      if (c2 >= 48 && c2 <= 57) p = i + 11;
      else if (c2 === 47) p = i + 9;
      else if (c2 === 45) p = i + 12;
      else return;
    } else if (c === 91) {
      const next = b[i + 1];
      if (next >= 48 && next <= 57) this.newSecond(b, i + 1, line);
      return;
    } else return;
    const t = this.stampAt(b, i);
    if (t < 0) return;
    this.settleTail(b);
    if (this.dated(t, line, i + this.delta)) {
      this.secAt = p - i;
      this.secStart = t - (t % 1_000_000);
      this.secHm = (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
      this.secS = (b[p + 4] << 24) | (b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7];
    }
  }

  /**
   * The tail of the latest second (its last line so far) becomes the reference the next step starts from.
   * It is in that second: only its fraction is read.
   */
  private settleTail(b: Uint8Array): void {
    if (this.tailIdx < 0) return;
    const p = this.tailIdx + this.secAt;
    const dot = b[p + 8];
    const t = this.secStart + (dot === 46 || dot === 44 ? fractionAt(b, p + 9) : 0);
    if (t >= this.stepRef) {
      this.stepRef = t;
      this.stepRefLine = this.tailLine;
      this.stepRefOffset = this.tailIdx + this.delta;
    }
    this.tailIdx = -1;
  }

  /**
   * A dated line in a new second: the step from the latest time reached goes into the histogram (once per
   * whole second it spans) and into the gaps when at least `gapMin`. A line up to a second behind (threads
   * interleaving) is no step. A line further behind, or more than `MAX_STEP_US` ahead, is set aside: if the
   * next line is back on time it was a stray (an old line written late, a line of another layout whose
   * year differs) and is ignored; if the next one is as far off, the clock itself moved and the record
   * follows it without counting the jump. True when the line became the latest one.
   */
  private dated(t: Micros, line: number, offset: number): boolean {
    const d = t - this.stepRef;
    if (d >= 0 && d < MAX_STEP_US) {
      this.stray = undefined;
      this.histogram[gapBucket(d)] += Math.floor(t / 1e6) - Math.floor(this.stepRef / 1e6);
      if (d >= this.gapMin) this.addGap({ from: this.stepRef, to: t, line, offset, lineBefore: this.stepRefLine });
    } else if (d < 0 && d >= -BEHIND_US) {
      return false;
    } else if (this.stepRef !== this.stepRef) {
      this.firstDated = [line, offset, t];
    } else {
      const stray = this.stray;
      const e = stray ? t - stray[2] : NaN;
      if (!stray || !(e >= -BEHIND_US && e < MAX_STEP_US)) {
        this.stray = [line, offset, t];
        return false;
      }
      // The clock moved: follow it from the first line that was off.
      this.stray = undefined;
      this.stepRef = stray[2];
      this.stepRefLine = stray[0];
      this.stepRefOffset = stray[1];
      if (e >= 0) return this.dated(t, line, offset);
    }
    this.stepRef = t;
    this.stepRefLine = line;
    this.stepRefOffset = offset;
    return true;
  }

  /** Keeps a gap; a full list drops its shorter half (ties: the later ones) and raises the bar to the shortest kept. */
  private addGap(g: Gap): void {
    this.gaps.push(g);
    if (this.gaps.length < MAX_GAPS) return;
    const kept = [...this.gaps].sort((a, b) => b.to - b.from - (a.to - a.from) || a.offset - b.offset).slice(0, MAX_GAPS / 2);
    this.gapMin = Math.max(this.gapMin, kept[kept.length - 1].to - kept[kept.length - 1].from);
    this.gaps = kept.sort((a, b) => a.offset - b.offset);
  }

  /**
   * The time of the stamp a line starts at `i` with, in any layout the formats print at the start of a
   * line (glog `I0314 …` and `I20230314 …`, ISO `2023-03-14 01:35:51,703` or with `T`, `[…]`-bracketed,
   * log4j's `23/03/14 01:35:51`, `14-Mar-2023 01:35:51.123`), else -1. Read from bytes, allocating nothing
   * (a glog year comes from the scan's year clock); a date's day is worked out only when its bytes change.
   */
  private stampAt(b: Uint8Array, i: number): number {
    const c = b[i];
    let p: number; // where hh:mm:ss begins
    let day: number;
    if (c === 73 || c === 87 || c === 69 || c === 70 || c === 67) {
      // glog: I/W/E/F/C, then mmdd or yyyymmdd
      if (b[i + 5] === 32) {
        const key = (b[i + 1] << 24) | (b[i + 2] << 16) | (b[i + 3] << 8) | b[i + 4];
        if (key !== this.glogDayKey) {
          const month = twoDigits(b, i + 1);
          const dd = twoDigits(b, i + 3);
          if (month < 0 || dd < 0) return -1;
          this.glogDayKey = key;
          this.glogDayStart = wallMicros(this.clock.yearFor(month, dd), month, dd, 0, 0, 0, 0);
        }
        day = this.glogDayStart;
        p = i + 6;
      } else if (b[i + 9] === 32) {
        day = this.isoDay(b, i + 1, i + 5, i + 7);
        p = i + 10;
      } else return -1;
    } else if (c >= 48 && c <= 57) {
      const c2 = b[i + 2];
      if (c2 >= 48 && c2 <= 57) {
        // yyyy-mm-dd[ T]
        if (b[i + 4] !== 45 || b[i + 7] !== 45 || (b[i + 10] !== 32 && b[i + 10] !== 84)) return -1;
        day = this.isoDay(b, i, i + 5, i + 8);
        p = i + 11;
      } else if (c2 === 47) {
        // yy/mm/dd
        if (b[i + 5] !== 47 || b[i + 8] !== 32) return -1;
        day = this.dayOf(2000 + twoDigits(b, i), twoDigits(b, i + 3), twoDigits(b, i + 6));
        p = i + 9;
      } else if (c2 === 45) {
        // dd-Mon-yyyy
        if (b[i + 6] !== 45 || b[i + 11] !== 32) return -1;
        const y = twoDigits(b, i + 7) * 100 + twoDigits(b, i + 9);
        day = this.dayOf(y, monthOf(b[i + 3], b[i + 4], b[i + 5]), twoDigits(b, i));
        p = i + 12;
      } else return -1;
    } else if (c === 91) {
      // `[2025-04-24 08:30:34,737] INFO …`
      const next = b[i + 1];
      return next >= 48 && next <= 57 ? this.stampAt(b, i + 1) : -1;
    } else return -1;
    if (b[p + 2] !== 58 || b[p + 5] !== 58) return -1;
    const h = twoDigits(b, p);
    const m = twoDigits(b, p + 3);
    const sec = twoDigits(b, p + 6);
    if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60) return -1;
    const dot = b[p + 8];
    const us = dot === 46 || dot === 44 ? fractionAt(b, p + 9) : 0;
    const time = day + ((h * 60 + m) * 60 + sec) * 1_000_000 + us;
    return time >= 0 ? time : -1;
  }

  /** The day of `yyyy` at `y`, `mm` at `mo` and `dd` at `d`, read strictly when its bytes are not those of the last date read. */
  private isoDay(b: Uint8Array, y: number, mo: number, d: number): number {
    const k1 = (b[y] << 24) | (b[y + 1] << 16) | (b[y + 2] << 8) | b[y + 3];
    const k2 = (b[mo] << 24) | (b[mo + 1] << 16) | (b[d] << 8) | b[d + 1];
    if (k1 === this.isoKey1 && k2 === this.isoKey2) return this.isoStart;
    const year = twoDigits(b, y) * 100 + twoDigits(b, y + 2);
    const month = twoDigits(b, mo);
    const dd = twoDigits(b, d);
    if (year < 0 || month < 0 || dd < 0) return NaN;
    this.isoKey1 = k1;
    this.isoKey2 = k2;
    this.isoStart = wallMicros(year, month, dd, 0, 0, 0, 0);
    return this.isoStart;
  }

  /** The start of a day (NaN for no date), remembered for the next line of the same day. */
  private dayOf(y: number, month: number, dd: number): number {
    const key = (y * 100 + month) * 100 + dd;
    if (key !== this.dayKey) {
      if (y < 0 || month < 0 || dd < 0) return NaN;
      this.dayKey = key;
      this.dayStart = wallMicros(y, month, dd, 0, 0, 0, 0);
    }
    return this.dayStart;
  }
}

/** The two-digit number at `i`, or -100000 (so that `twoDigits * 100 + twoDigits` stays negative). */
function twoDigits(b: Uint8Array, i: number): number {
  const x = b[i] - 48;
  const y = b[i + 1] - 48;
  return x >= 0 && x <= 9 && y >= 0 && y <= 9 ? x * 10 + y : -100000;
}

/** Up to 6 digits of a fraction of a second at `i` (as many as there are; `1` is 100 ms), in microseconds. */
function fractionAt(b: Uint8Array, i: number): number {
  let us = 0;
  let n = 0;
  for (; n < 6; n++) {
    const v = b[i + n] - 48;
    if (!(v >= 0 && v <= 9)) break;
    us = us * 10 + v;
  }
  return us * FRACTION_SCALE[n];
}

/** The month of a three-letter English name from its character codes (`Mar` → 3), -100000 for none. */
function monthOf(a: number, b: number, c: number): number {
  const i = MONTH_CODES.indexOf((a << 16) | (b << 8) | c);
  return i >= 0 ? i + 1 : -100000;
}
const MONTH_CODES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map(
  (m) => (m.charCodeAt(0) << 16) | (m.charCodeAt(1) << 8) | m.charCodeAt(2),
);
