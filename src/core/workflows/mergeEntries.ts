import type { ParsedLine, Severity } from '../formats/types';
import type { Micros } from '../time';

/** A line as the readers give it: number, offset, its text as read (Latin-1) and its prefix when dated. */
export interface EntryLine {
  line: number;
  offset: number;
  raw: string;
  parsed?: ParsedLine;
}

/**
 * A log entry: a dated line and the lines after it that have no time of their own (a stack trace, a
 * Python traceback), which carry its time. An entry longer than MAX_ENTRY_LINES comes in pieces (each
 * judged by the filters on its own lines), so no entry makes the reader hold a file's worth of lines.
 */
export interface Entry {
  /** The entry's own time (the file's clock, not yet corrected). */
  time: Micros;
  severity?: Severity;
  lines: EntryLine[];
  /** False for the lines a file has before its first dated line, and for a long entry's later pieces. */
  dated: boolean;
}

/** Lines of one entry (piece) at most. */
export const MAX_ENTRY_LINES = 1000;
/** Characters of one entry (piece) at most. */
export const MAX_ENTRY_CHARS = 256 << 10;
/** Undated lines at a file's start held while waiting for its first dated line, whose time they then take. */
const MAX_LEADING_LINES = 1000;

/**
 * Gathers a stretch's lines into entries, in file order. The lines a file has before its first dated line
 * (a glog header) take that line's time — the file's first time when it does not come soon —, so they sort
 * just before it. Every reader (the merge, its look-ahead over a clock step) gathers with this one rule.
 */
export class EntryGatherer {
  private current: Entry | undefined;
  private chars = 0;
  private leading: EntryLine[] = [];

  constructor(
    /** The file's first time: dates its first lines when no dated line comes soon after them. */
    private readonly firstTime: Micros,
    private readonly emit: (e: Entry) => void,
  ) {}

  /** The first line held, not yet emitted (its number), if any. */
  heldFrom(): number | undefined {
    return this.leading[0]?.line ?? this.current?.lines[0]?.line;
  }

  add(l: EntryLine): void {
    if (l.parsed) {
      this.flush();
      if (this.leading.length > 0) this.flushLeading(l.parsed.time);
      this.current = { time: l.parsed.time, severity: l.parsed.severity, lines: [l], dated: true };
      this.chars = l.raw.length;
      return;
    }
    const e = this.current;
    if (!e) {
      this.leading.push(l);
      if (this.leading.length >= MAX_LEADING_LINES) this.flushLeading(this.firstTime);
      return;
    }
    if (e.lines.length >= MAX_ENTRY_LINES || this.chars >= MAX_ENTRY_CHARS) {
      this.flush();
      this.current = { time: e.time, severity: e.severity, lines: [], dated: false };
      this.chars = 0;
    }
    this.current!.lines.push(l);
    this.chars += l.raw.length;
  }

  /** The stretch ended (or was left): emits what is held. */
  end(): void {
    this.flush();
    if (this.leading.length > 0) this.flushLeading(this.firstTime);
  }

  /** Drops what is held (the reader jumped over a hole). */
  discard(): void {
    this.current = undefined;
    this.leading = [];
    this.chars = 0;
  }

  private flush(): void {
    const e = this.current;
    this.current = undefined;
    this.chars = 0;
    if (e && e.lines.length > 0) this.emit(e);
  }

  private flushLeading(time: Micros): void {
    const lines = this.leading;
    this.leading = [];
    // Past the cap the rest of the undated start keeps coming as pieces at the file's first time.
    if (lines.length >= MAX_LEADING_LINES) this.current = { time, lines: [], dated: false };
    this.emit({ time, lines, dated: false });
  }
}
