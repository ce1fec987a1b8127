import { formatById, parseLine, stripNul, type FormatId } from '../core/formats';
import type { Checkpoint } from '../core/model';
import { monthDay, type Micros } from '../core/time';
import { RollingYearClock } from '../core/yearClock';
import { requiredLiteral } from '../core/requiredLiteral';
import { linePieces, type ReadBounds } from './readChunks';
import { GrepSink, type GrepFileResult, type GrepKeep } from './grepSink';

export type { GrepFileResult, GrepHit, GrepKeep } from './grepSink';

/** What to look for: a literal (exact bytes) or a regex (JavaScript syntax), as plain data for workers. */
export interface GrepPattern {
  source: string;
  regex: boolean;
  ignoreCase?: boolean;
}

export interface GrepFileRequest {
  absPath: string;
  gzip: boolean;
  format: FormatId;
  /** The file's checkpoints: they date continuation lines and give yearless lines their year. */
  checkpoints: readonly Checkpoint[];
  pattern: GrepPattern;
  /** Matches kept at most (lines, or numbers); bucket counts are not limited. */
  maxMatches: number;
  /** What to keep of each match (default: the lines). */
  keep?: GrepKeep;
  /** The size the index recorded: the search stops there (default: the size when opened). */
  size?: number;
  /** The bundle root: the opened file must lie inside it. */
  root?: string;
  /**
   * Only these byte ranges (blocks the search index could not rule out), ascending; each starts at a
   * checkpoint or the file's start. Absent: the whole file.
   */
  ranges?: [number, number][];
}

function boundsOf(req: GrepFileRequest): ReadBounds {
  return { maxBytes: req.size, root: req.root };
}

/**
 * Every line of one file that matches, with its line number, byte offset and time. Streams the file in
 * large chunks, and memory stays flat. When the pattern has plain text every match must contain (a literal,
 * or a regex's required run), the raw bytes are searched for it and only those lines are decoded and, for a
 * regex, matched; otherwise chunks are read as Latin-1 (the pattern converted to the same bytes), so any
 * file can be searched whatever its encoding.
 */
export async function grepFile(req: GrepFileRequest): Promise<GrepFileResult> {
  const needle = searchNeedle(req.pattern);
  if (needle) return grepBytes(req, needle);
  if (req.ranges) throw new Error('only a search for plain text reads some blocks of a file');
  return grepText(req);
}

/**
 * The bytes every matching line must contain: the literal, or a regex's required run; undefined when there
 * are none (a case-insensitive search, a regex with no plain run), and every byte must be matched.
 */
export function searchNeedle(pattern: GrepPattern): Buffer | undefined {
  const literal = pattern.ignoreCase ? undefined : pattern.regex ? requiredLiteral(pattern.source) : pattern.source;
  return literal ? Buffer.from(literal, 'utf8') : undefined;
}

/** How a search reads a file: the index's ranges when given, in pieces that start at checkpoints. */
function piecesOf(req: GrepFileRequest) {
  return linePieces(req.absPath, req.gzip, boundsOf(req), { ranges: req.ranges, cuts: req.checkpoints.map((c) => c[1]) });
}

/** A regex over Latin-1 text, matching what the pattern means in UTF-8 bytes. */
function patternRegex(pattern: GrepPattern, global: boolean): RegExp {
  const asLatin1 = Buffer.from(pattern.source, 'utf8').toString('latin1');
  const flags = `${global ? 'g' : ''}${pattern.ignoreCase ? 'i' : ''}`;
  return pattern.regex ? new RegExp(asLatin1, `${flags}m`) : new RegExp(asLatin1.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags);
}

/**
 * The byte path: Buffer.indexOf for the needle, then the line around each find. Line numbers come from
 * the checkpoint nearest before a hit, so newlines are counted only across a few kilobytes, not the file.
 */
async function grepBytes(req: GrepFileRequest, needle: Buffer): Promise<GrepFileResult> {
  const re = req.pattern.regex ? patternRegex(req.pattern, false) : undefined;
  const format = formatById(req.format);
  const sink = new GrepSink(req.keep ?? { kind: 'lines' }, req.maxMatches);
  const cps = req.checkpoints;
  let cpNext = 0;
  let base = 0;
  // Line number known at a byte offset of the file (both move forward only).
  let knownLine = 1;
  let knownOffset = 0;
  const countLines = (b: Buffer, from: number, to: number) => {
    let n = 0;
    for (let i = b.indexOf(10, from); i >= 0 && i < to; i = b.indexOf(10, i + 1)) n++;
    return n;
  };
  /** Takes the last checkpoint at or before file offset `upTo` as the known line. */
  const toCheckpoints = (upTo: number) => {
    while (cpNext < cps.length && cps[cpNext][1] <= upTo) {
      if (cps[cpNext][1] > knownOffset) [knownLine, knownOffset] = [cps[cpNext][0], cps[cpNext][1]];
      cpNext++;
    }
  };
  /** Moves the known line to `to` (an offset inside `b`, which starts at file offset `base`). */
  const advance = (b: Buffer, to: number) => {
    toCheckpoints(base + to);
    if (knownOffset < base + to) {
      knownLine += countLines(b, Math.max(0, knownOffset - base), to);
      knownOffset = base + to;
    }
  };
  let read = 0;
  // Counts and numbers keep no line numbers: their newlines are not counted.
  const lines = sink.needsLine;
  for await (const piece of piecesOf(req)) {
    const b = piece.buf;
    base = piece.start;
    let from: number;
    for (let i = b.indexOf(needle, 0); i >= 0; i = b.indexOf(needle, from)) {
      const ls = i === 0 ? 0 : b.lastIndexOf(10, i - 1) + 1;
      let le = b.indexOf(10, i);
      if (le < 0) le = b.length;
      from = le + 1;
      const raw = b.toString('latin1', ls, le > ls && b[le - 1] === 13 ? le - 1 : le);
      const m = re ? ((re.lastIndex = 0), re.exec(raw)) : null;
      if (re && !m) continue;
      if (lines) advance(b, ls);
      const time = sink.needsTime ? timeAt(raw, base + ls, linesAboveInBuffer(b, ls), req, format) : undefined;
      if (sink.add(raw, knownLine, base + ls, time, m)) return sink.result(true, read + le);
      if (from >= b.length) break;
    }
    // Carry the line count to the piece's end from its last checkpoint, unless a checkpoint sits there
    // (pieces and ranges end at one when they can): the next piece starts from it.
    const end = base + b.length;
    if (lines) {
      toCheckpoints(end - 1);
      if (cps[cpNext]?.[1] !== end) advance(b, b.length);
    }
    read += b.length;
  }
  return sink.result(false, read);
}

/** A line's time, or for a continuation line its entry's: the nearest dated line above it (within the chunk), else the checkpoint's. */
function timeAt(
  raw: string,
  offset: number,
  above: Iterable<string>,
  req: GrepFileRequest,
  format: ReturnType<typeof formatById>,
): Micros | undefined {
  const clock = clockAt(req.checkpoints, offset);
  const p = parseLine(format, stripNul(raw), clock);
  if (p) return p.time;
  let tries = 0;
  for (const line of above) {
    // An indented line (a stack frame) is never an entry's first line: passed over unparsed and uncounted,
    // so a line deep in a long trace still gets its entry's time. The piece starts at a checkpoint, at or
    // before that entry, so this stays inside the piece.
    if (line.charCodeAt(0) === 9 || line.charCodeAt(0) === 32) continue;
    const q = parseLine(format, stripNul(line), clock);
    if (q) return q.time;
    if (++tries >= 200) break;
  }
  return checkpointAtOrBefore(req.checkpoints, offset)?.[2];
}

/** The lines above the one starting at `ls`, nearest first (their first 256 bytes). */
function* linesAboveInBuffer(b: Buffer, ls: number): Generator<string> {
  for (let end = ls - 1; end > 0;) {
    const start = b.lastIndexOf(10, end - 1) + 1;
    yield b.toString('latin1', start, Math.min(end, start + 256)).replace(/\r$/, '');
    end = start - 1;
  }
}

function* linesAboveInText(text: string, ls: number): Generator<string> {
  for (let end = ls - 1; end > 0;) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    yield text.slice(start, Math.min(end, start + 256)).replace(/\r$/, '');
    end = start - 1;
  }
}

/** The text path, for regexes with no required plain text (or case-insensitive searches). */
async function grepText(req: GrepFileRequest): Promise<GrepFileResult> {
  const re = patternRegex(req.pattern, true);
  const format = formatById(req.format);
  const sink = new GrepSink(req.keep ?? { kind: 'lines' }, req.maxMatches);
  let lineNo = 1;
  let base = 0;
  for await (const piece of piecesOf(req)) {
    const text = piece.buf.toString('latin1');
    let cursor = 0;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const ls = m.index === 0 ? 0 : text.lastIndexOf('\n', m.index - 1) + 1;
      let le = text.indexOf('\n', m.index);
      if (le < 0) le = text.length;
      for (let i = text.indexOf('\n', cursor); i >= 0 && i < ls; i = text.indexOf('\n', i + 1)) lineNo++;
      cursor = ls;
      const raw = text.slice(ls, le).replace(/\r$/, '');
      const time = sink.needsTime ? timeAt(raw, base + ls, linesAboveInText(text, ls), req, format) : undefined;
      if (sink.add(raw, lineNo, base + ls, time, m)) return sink.result(true, base + le);
      if (le + 1 >= text.length) break;
      re.lastIndex = le + 1;
    }
    for (let i = text.indexOf('\n', cursor); i >= 0; i = text.indexOf('\n', i + 1)) lineNo++;
    base += text.length;
  }
  return sink.result(false, base);
}

/** The last checkpoint at or before a byte offset. */
export function checkpointAtOrBefore(checkpoints: readonly Checkpoint[], offset: number): Checkpoint | undefined {
  let lo = 0;
  let hi = checkpoints.length - 1;
  let best: Checkpoint | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (checkpoints[mid][1] <= offset) {
      best = checkpoints[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/** A year clock dated by the checkpoint before `offset` (how yearless lines there get their year). */
export function clockAt(checkpoints: readonly Checkpoint[], offset: number): RollingYearClock {
  const cp = checkpointAtOrBefore(checkpoints, offset) ?? checkpoints[0];
  return new RollingYearClock(cp ? monthDay(cp[2]) : { year: 2000, month: 0, day: 0 });
}
