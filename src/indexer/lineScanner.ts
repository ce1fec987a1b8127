import { isUtf8 } from 'node:buffer';
import { parseLine, stripNul, type LogFormat, type ParsedLine } from '../core/formats';
import type { Checkpoint, EventPayload, FileIndex, LogEvent, ScanState } from '../core/model';
import { detached, EventBudget } from './eventBudget';

export type { ScanState };
import type { FormatMatcher } from '../core/rules/lineMatcher';
import { minuteOf, type Micros } from '../core/time';
import { RollingYearClock } from '../core/yearClock';
import { StepRecorder } from './lineSteps';
import { plural } from '../core/plural';

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
  private readonly steps: StepRecorder;

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
    this.steps = new StepRecorder(clock, resumeFrom?.steps);
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
      steps: this.steps.state(),
    };
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
    this.steps.writeTo(this.index);
    if (this.nulBytes > 0)
      this.index.notes.push(`${plural(this.nulBytes, 'NUL byte')} (a hole left when the file was truncated while being written?)`);
    if (this.notUtf8) this.index.notes.push('contains bytes that are not UTF-8 (shown as replacement characters)');
    if (this.longLines > 0)
      this.index.notes.push(`${plural(this.longLines, 'line')} longer than ${MAX_LINE_CHARS / 1024} KiB: only their start was analysed`);
    if (this.backwardSteps > 0) {
      this.index.notes.push(
        `clock went backwards ${plural(this.backwardSteps, 'time')} among the lines sampled (largest step ${(this.largestStepBack / 1e6).toFixed(3)} s)`,
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
    const steps = this.steps;
    steps.startSegment(text, base, bytes, bytesAt);
    const truncatedLine = byteLength !== text.length;
    let cursor = 0;
    // Every line start passes here once, in file order: its timestamp (if any) feeds the step record.
    const last = text.length - 1;
    const advanceTo = (idx: number) => {
      if (idx <= cursor) return;
      let n = 0;
      for (let i = text.indexOf('\n', cursor); i >= 0 && i < idx; i = text.indexOf('\n', i + 1)) {
        n++;
        if (i < last) steps.lineAt(i + 1, this.lineNo + n);
      }
      this.lineNo += n;
      cursor = idx;
    };
    steps.lineAt(0, this.lineNo);
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
    steps.endSegment();
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

/** The line as the user would read it: UTF-8 (invalid bytes replaced), cut for storage. */
function decodeText(latin1Line: string): string {
  const bytes = Buffer.from(latin1Line.length > EVENT_TEXT_CHARS * 4 ? latin1Line.slice(0, EVENT_TEXT_CHARS * 4) : latin1Line, 'latin1');
  const text = stripNul(bytes.toString('utf8'));
  return text.length > EVENT_TEXT_CHARS ? text.slice(0, EVENT_TEXT_CHARS) + '…' : text;
}
