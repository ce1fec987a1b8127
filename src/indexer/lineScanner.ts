import { isUtf8 } from 'node:buffer';
import { parseLine, stripNul, type LogFormat, type ParsedLine } from '../core/formats';
import type { Checkpoint, EventPayload, FileIndex, Gap, LogEvent, ScanState } from '../core/model';
import { GAP_BUCKETS, gapBucket, MAX_GAPS, MAX_STEP_US, MIN_GAP_US } from '../core/silences';
import { detached, EventBudget } from './eventBudget';

export type { ScanState };
import type { FormatMatcher } from '../core/rules/lineMatcher';
import { minuteOf, wallMicros, type Micros } from '../core/time';
import { RollingYearClock } from '../core/yearClock';

/** Bytes between line checkpoints: small enough to jump near any line, sparse enough to cost nothing. */
export const CHECKPOINT_BYTES = 64 * 1024;
/**
 * Bytes between lines whose time is read even when nothing else there matters: dense enough to notice a
 * clock stepping back, cheap (one parse per 16 KiB). Every fourth sample or so becomes a checkpoint.
 */
export const SAMPLE_BYTES = 16 * 1024;
/** How much of one line is analysed; the rest is counted, not parsed. */
export const MAX_LINE_CHARS = 64 * 1024;
/** An event's `text`: enough of the line to read it in a view or hover; the file holds the rest. */
const EVENT_TEXT_CHARS = 400;
const BACKWARD_SCAN_BYTES = 64 * 1024;
/** A dated line this far behind the latest one is an old line written late, or the clock stepping back. */
const BEHIND_US = 1_000_000;
/** 10^(6 - digits): a fraction of seconds printed with that many digits, in microseconds. */
const FRACTION_SCALE = [1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];

interface Known {
  time: Micros;
  offset: number;
  line: number;
}

/** The streaming state of one file's scan. Byte offsets equal string offsets because text is read as Latin-1. */
export class Scanner {
  bytes = 0;
  sawYearlessLine = false;
  private lineNo = 1;
  private pending = '';
  private pendingStart = 0;
  private pendingBytes = 0;
  private nextCheckpoint = 0;
  private nextSample = 0;
  private last: Known | undefined;
  private readonly hitRe: RegExp;
  private readonly errorRe: RegExp;
  private readonly errors = new Map<number, number>();
  private nulBytes = 0;
  private notUtf8 = false;
  private longLines = 0;
  private backwardSteps = 0;
  private largestStepBack = 0;
  private seenAliases = new Set<string>();
  private readonly budget: EventBudget;
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

  constructor(
    private readonly index: FileIndex,
    private readonly format: LogFormat,
    private readonly clock: RollingYearClock,
    private readonly matcher: FormatMatcher,
    resumeFrom?: ScanState,
  ) {
    this.hitRe = matcher.hitRegex(format);
    this.errorRe = new RegExp(format.errorLineSource);
    if (resumeFrom) this.restore(resumeFrom);
    this.budget = new EventBudget(index);
  }

  /** Where the file's last complete line ends, and the state there (taken before the final partial line). */
  resumePoint: { offset: number; state: ScanState } | undefined;

  private snapshot(offset: number): ScanState {
    return {
      bytes: offset,
      lineNo: this.lineNo,
      nextCheckpoint: this.nextCheckpoint,
      nextSample: this.nextSample,
      last: this.last ? { ...this.last } : undefined,
      errors: [...this.errors.entries()],
      nulBytes: this.nulBytes,
      notUtf8: this.notUtf8,
      longLines: this.longLines,
      backwardSteps: this.backwardSteps,
      largestStepBack: this.largestStepBack,
      seenAliases: [...this.seenAliases],
      clock: this.clock.state(),
      sawYearlessLine: this.sawYearlessLine,
      steps: {
        gaps: this.gaps.slice(), // gaps are never changed once made: shared with the index
        min: this.gapMin,
        histogram: Array.from(this.histogram),
        firstDated: this.firstDated,
        lastDated: this.lastDated(),
        stray: this.stray,
      },
    };
  }

  private lastDated(): Checkpoint | undefined {
    return this.stepRef === this.stepRef ? [this.stepRefLine, this.stepRefOffset, this.stepRef] : undefined;
  }

  private restore(s: ScanState): void {
    this.bytes = s.bytes;
    this.lineNo = s.lineNo;
    this.nextCheckpoint = s.nextCheckpoint;
    this.nextSample = s.nextSample;
    this.last = s.last ? { ...s.last } : undefined;
    for (const [m, n] of s.errors) this.errors.set(m, n);
    this.nulBytes = s.nulBytes;
    this.notUtf8 = s.notUtf8;
    this.longLines = s.longLines;
    this.backwardSteps = s.backwardSteps;
    this.largestStepBack = s.largestStepBack;
    this.seenAliases = new Set(s.seenAliases);
    this.sawYearlessLine = s.sawYearlessLine;
    const st = s.steps;
    this.gaps = st.gaps.slice();
    this.gapMin = st.min;
    for (let b = 0; b < GAP_BUCKETS && b < st.histogram.length; b++) this.histogram[b] = st.histogram[b];
    this.firstDated = st.firstDated;
    if (st.lastDated) [this.stepRefLine, this.stepRefOffset, this.stepRef] = st.lastDated;
    this.stray = st.stray;
  }

  feed(buf: Buffer): void {
    const start = this.bytes;
    this.bytes += buf.length;
    this.countBadBytes(buf, this.pendingBytes === 0);
    const s = buf.toString('latin1');
    let from = 0;
    if (this.pendingBytes > 0 || this.pending.length > 0) {
      const nl = s.indexOf('\n');
      if (nl < 0) {
        this.appendPending(s);
        return;
      }
      this.appendPending(s.slice(0, nl));
      this.segment(this.pending + '\n', this.pendingStart, this.pendingBytes + 1);
      this.pending = '';
      this.pendingBytes = 0;
      from = nl + 1;
    }
    const lastNl = s.lastIndexOf('\n');
    if (lastNl >= from) {
      this.segment(s.slice(from, lastNl + 1), start + from, lastNl + 1 - from, buf, from);
      from = lastNl + 1;
    }
    if (from < s.length) {
      this.pendingStart = start + from;
      this.appendPending(s.slice(from));
    }
  }

  finish(): void {
    this.resumePoint = {
      offset: this.pendingBytes > 0 ? this.pendingStart : this.bytes,
      state: this.snapshot(this.pendingBytes > 0 ? this.pendingStart : this.bytes),
    };
    if (this.pendingBytes > 0) {
      this.segment(this.pending + '\n', this.pendingStart, this.pendingBytes + 1);
      this.index.notes.push('last line has no newline (file cut short or still being written)');
      this.lineNo--; // the virtual newline added above is not a line break in the file
      this.index.lines = this.lineNo;
    } else {
      this.index.lines = this.lineNo - 1;
    }
    this.index.bytes = this.bytes;
    this.index.errorsPerMinute = [...this.errors.entries()].sort((a, b) => a[0] - b[0]);
    this.index.gaps = this.gaps;
    this.index.gapHistogram = Array.from(this.histogram);
    this.index.firstDated = this.firstDated;
    this.index.lastDated = this.lastDated();
    if (this.index.firstDated === undefined) delete this.index.firstDated;
    if (this.index.lastDated === undefined) delete this.index.lastDated;
    if (this.nulBytes > 0)
      this.index.notes.push(`${this.nulBytes} NUL bytes (a hole left when the file was truncated while being written?)`);
    if (this.notUtf8) this.index.notes.push('contains bytes that are not UTF-8 (shown as replacement characters)');
    if (this.longLines > 0)
      this.index.notes.push(`${this.longLines} lines longer than ${MAX_LINE_CHARS / 1024} KiB: only their start was analysed`);
    if (this.backwardSteps > 0) {
      this.index.notes.push(
        `clock went backwards ${this.backwardSteps} times among the lines sampled (largest step ${(this.largestStepBack / 1e6).toFixed(3)} s)`,
      );
    }
    this.budget.finish();
  }

  private appendPending(text: string): void {
    this.pendingBytes += text.length;
    if (this.pending.length < MAX_LINE_CHARS) this.pending += text.slice(0, MAX_LINE_CHARS - this.pending.length);
  }

  /** `fromLineStart`: the chunk begins at a line start, so its first bytes can be judged too. */
  private countBadBytes(buf: Buffer, fromLineStart: boolean): void {
    if (!this.notUtf8) {
      // A chunk may start or end inside a multi-byte character; judge whole lines only.
      const lastNl = buf.lastIndexOf(0x0a);
      const from = fromLineStart ? 0 : buf.indexOf(0x0a) + 1;
      if (lastNl >= from && !isUtf8(buf.subarray(from, lastNl + 1))) this.notUtf8 = true;
    }
    // Whole runs at a time: a hole of gigabytes of NULs is counted exactly, at memory speed.
    for (let i = buf.indexOf(0); i >= 0;) {
      let j = i + 1;
      while (j < buf.length && buf[j] === 0) j++;
      this.nulBytes += j - i;
      i = j < buf.length ? buf.indexOf(0, j) : -1;
    }
  }

  /**
   * Scans complete lines. `text` ends with '\n' and starts at byte `base`; `byteLength` is the real
   * length in the file (a long line's kept head can be shorter than the line). `bytes` holds the same text
   * from `bytesAt` on, for reading line stamps; a segment of one line, assembled across chunks, comes
   * without them.
   */
  private segment(text: string, base: number, byteLength: number, bytes?: Uint8Array, bytesAt = 0): void {
    const raw = bytes ?? Buffer.from(text.length > 64 ? text.slice(0, 64) : text, 'latin1');
    const delta = base - bytesAt; // a line's index in `raw` to its offset in the file
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const truncatedLine = byteLength !== text.length;
    let cursor = 0;
    // Every line start passes here once, in file order: its timestamp (if any) feeds the step record.
    const last = text.length - 1;
    const advanceTo = (idx: number) => {
      if (idx <= cursor) return;
      let n = 0;
      for (let i = text.indexOf('\n', cursor); i >= 0 && i < idx; i = text.indexOf('\n', i + 1)) {
        n++;
        if (i < last) {
          this.stepAt(raw, view, bytesAt + i + 1, this.lineNo + n, delta);
        }
      }
      this.lineNo += n;
      cursor = idx;
    };
    this.stepAt(raw, view, bytesAt, this.lineNo, delta);
    const offsetOf = (idx: number) => (truncatedLine && idx > 0 ? base + byteLength : base + idx);
    const checkpointsUpTo = (limit: number) => {
      while (this.nextSample < base + limit) {
        let idx = Math.max(0, this.nextSample - base);
        if (idx > 0 && text.charCodeAt(idx - 1) !== 10) {
          const nl = text.indexOf('\n', idx);
          if (nl < 0 || nl + 1 >= limit) break;
          idx = nl + 1;
        }
        this.nextSample = base + idx + SAMPLE_BYTES;
        let tries = 0;
        let dated = false;
        for (; tries < 20 && idx < limit; tries++) {
          const end = text.indexOf('\n', idx);
          const p = this.parse(text.slice(idx, Math.min(end, idx + 256)));
          if (p) {
            advanceTo(idx);
            this.remember(p.time, offsetOf(idx), this.lineNo);
            if (offsetOf(idx) >= this.nextCheckpoint) {
              this.index.checkpoints.push([this.lineNo, offsetOf(idx), p.time] as Checkpoint);
              this.nextCheckpoint = offsetOf(idx) + CHECKPOINT_BYTES;
            }
            dated = true;
            break;
          }
          idx = end + 1;
        }
        // The limit (the next line to visit) cut the search short, e.g. after a file's header lines:
        // resume from here, or a small file would get no checkpoint and its lines no year.
        if (!dated && tries < 20) {
          this.nextSample = base + idx;
          break;
        }
      }
    };

    const visit = (ls: number): number => {
      let le = text.indexOf('\n', ls);
      if (le < 0) le = text.length;
      checkpointsUpTo(ls);
      advanceTo(ls);
      if (le - ls > MAX_LINE_CHARS) this.longLines++;
      let line = text.slice(ls, Math.min(le, ls + MAX_LINE_CHARS));
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.hitLine(line, ls, offsetOf(ls), text);
      // Resume at the line's own newline: the error search matches from the newline before a line.
      return le;
    };
    const re = this.hitRe;
    re.lastIndex = 0;
    // The error search may match the newline before a line; the segment's first line has none.
    if (this.errorRe.test(stripNul(text.slice(0, Math.min(text.indexOf('\n'), 256))))) re.lastIndex = visit(0);
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const ls = m[0].charCodeAt(0) === 10 ? m.index + 1 : m.index === 0 ? 0 : text.lastIndexOf('\n', m.index - 1) + 1;
      re.lastIndex = Math.max(visit(ls), m.index + 1);
    }
    checkpointsUpTo(text.length);
    // Remember the last timestamped line of the segment: it dates what follows and ends the file.
    const tail = this.timeBefore(text, text.length, base, cursor);
    advanceTo(text.length);
    this.settleTail(raw, delta);
    if (tail) this.remember(tail.time, tail.offset, tail.line);
    if (truncatedLine && byteLength > MAX_LINE_CHARS) this.longLines++;
  }

  private parse(raw: string): ParsedLine | undefined {
    const line = stripNul(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    const p = parseLine(this.format, line, this.clock);
    if (p?.yearInferred) this.sawYearlessLine = true;
    return p;
  }

  private remember(time: Micros, offset: number, line: number): void {
    if (this.last && offset <= this.last.offset) return;
    if (this.index.firstTime === undefined) this.index.firstTime = time;
    // Threads interleave a few milliseconds out of order; half a second back is the clock itself.
    if (this.last && time < this.last.time - 500_000) {
      this.backwardSteps++;
      this.largestStepBack = Math.max(this.largestStepBack, this.last.time - time);
    }
    this.last = { time, offset, line };
    this.index.lastTime = time;
  }

  /**
   * One line of the step record, in file order (see `dated`). Most lines fall in the same second as the
   * latest dated line: they are told by the bytes of its hh:mm:ss where that line's layout has them (no
   * other line has those digits there), and only remembered as the second's tail. (A line a whole number
   * of days later has the same bytes: such a step is `MAX_STEP_US` or more, which counts for nothing
   * anyway.) The stamp is read in full only when they differ. So steps inside a second are never
   * measured: the histogram samples, at each whole second, the step that spans it (see
   * `FileIndex.gapHistogram`). `i` indexes `b`; `delta` turns it into a file offset.
   */
  private stepAt(b: Uint8Array, v: DataView, i: number, line: number, delta: number): void {
    const p = i + this.secAt;
    if (p + 8 <= b.length && v.getInt32(p) === this.secHm && v.getInt32(p + 4) === this.secS) {
      this.tailIdx = i;
      this.tailLine = line;
    } else this.newSecond(b, i, line, delta);
  }

  /** A line whose stamp is not in the latest dated line's second: read it in full, and step to it. */
  private newSecond(b: Uint8Array, i: number, line: number, delta: number): void {
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
      if (next >= 48 && next <= 57) this.newSecond(b, i + 1, line, delta);
      return;
    } else return;
    const t = this.stampAt(b, i);
    if (t < 0) return;
    this.settleTail(b, delta);
    if (this.dated(t, line, i + delta)) {
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
  private settleTail(b: Uint8Array, delta: number): void {
    if (this.tailIdx < 0) return;
    const p = this.tailIdx + this.secAt;
    const dot = b[p + 8];
    const t = this.secStart + (dot === 46 || dot === 44 ? fractionAt(b, p + 9) : 0);
    if (t >= this.stepRef) {
      this.stepRef = t;
      this.stepRefLine = this.tailLine;
      this.stepRefOffset = this.tailIdx + delta;
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

  /**
   * The last timestamped line before `idx` in `text` (searching back at most 64 KiB and never past
   * what is already known), else the last one known. `cursorIdx` is where `lineNo` currently points.
   */
  private timeBefore(text: string, idx: number, base: number, cursorIdx: number): Known | undefined {
    const floor = Math.max(0, idx - BACKWARD_SCAN_BYTES, this.last ? this.last.offset - base + 1 : 0);
    let end = idx - 1; // the '\n' ending the previous line
    while (end > floor) {
      const start = text.lastIndexOf('\n', end - 1) + 1;
      if (start < floor) break;
      const p = this.parse(text.slice(start, Math.min(end, start + 256)));
      if (p) {
        // line number of `start` relative to the cursor
        let line = this.lineNo;
        if (start >= cursorIdx) {
          for (let i = text.indexOf('\n', cursorIdx); i >= 0 && i < start; i = text.indexOf('\n', i + 1)) line++;
        } else {
          for (let i = text.indexOf('\n', start); i >= 0 && i < cursorIdx; i = text.indexOf('\n', i + 1)) line--;
        }
        return { time: p.time, offset: base + start, line };
      }
      end = start - 1;
    }
    return this.last;
  }

  private hitLine(line: string, idx: number, offset: number, text: string): void {
    const p = this.parse(line);
    const payloads = this.matcher.match(line);
    // A continuation line takes its entry's time; a start-up banner needs the line before it (where the
    // previous run ended). Both are looked up before this line becomes the latest known one.
    const needsBefore = !p || payloads.some((e) => e.kind === 'processStart');
    const before = needsBefore ? this.timeBefore(text, idx, offset - idx, idx) : undefined;
    const time = p?.time ?? before?.time;
    if (time === undefined) return; // nothing dates this line yet: it cannot be placed in time
    if (p) {
      this.remember(p.time, offset, this.lineNo);
      if (this.errorRe.test(stripNul(line))) {
        const minute = minuteOf(p.time);
        this.errors.set(minute, (this.errors.get(minute) ?? 0) + 1);
      }
    }
    const peer = p?.thread ? /QuorumPeer\[myid=(\d+)\]/.exec(p.thread)?.[1] : undefined;
    let decoded: string | undefined;
    const lineText = () => (decoded ??= decodeText(line));
    const push = (payload: EventPayload) => {
      if (!this.budget.keeps(payload.kind)) {
        this.budget.count(payload, time, this.lineNo, offset, peer, lineText);
        return;
      }
      const where: Pick<LogEvent, 'time' | 'file' | 'line' | 'offset' | 'text' | 'peer'> = {
        time,
        file: -1,
        line: this.lineNo,
        offset,
        text: lineText(),
      };
      if (peer !== undefined) where.peer = peer;
      this.budget.keep(detached(payload, where));
    };
    for (const payload of payloads) {
      if (payload.kind === 'alias') {
        const key = `${payload.myid ?? ''}|${payload.address ?? ''}`;
        if (this.seenAliases.has(key)) continue;
        this.seenAliases.add(key);
      }
      if (payload.kind === 'processStart' && before && before.offset < offset) {
        payload.previousTime = before.time;
        payload.previousLine = before.line;
        payload.previousOffset = before.offset;
      }
      push(payload);
    }
    if (p?.myid && /^\d+$/.test(p.myid) && !this.seenAliases.has(`mdc|${p.myid}`)) {
      this.seenAliases.add(`mdc|${p.myid}`);
      push({ kind: 'alias', myid: p.myid, via: '[myid:] field' });
    }
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

/** The line as the user would read it: UTF-8 (invalid bytes replaced), cut for storage. */
function decodeText(latin1Line: string): string {
  const bytes = Buffer.from(latin1Line.length > EVENT_TEXT_CHARS * 4 ? latin1Line.slice(0, EVENT_TEXT_CHARS * 4) : latin1Line, 'latin1');
  const text = stripNul(bytes.toString('utf8'));
  return text.length > EVENT_TEXT_CHARS ? text.slice(0, EVENT_TEXT_CHARS) + '…' : text;
}
