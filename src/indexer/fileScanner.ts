import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { detectFormat, formatById } from '../core/formats';
import { parseGlogFileName, parseGlogHeader } from '../core/formats/glog';
import { splitLines } from '../core/lineBreak';
import type { FileIndex } from '../core/model';
import type { LineMatcher } from '../core/rules/lineMatcher';
import { classifyFile } from '../core/sourceKind';
import { monthDay, type Micros } from '../core/time';
import { RollingYearClock } from '../core/yearClock';
import { Scanner } from './lineScanner';
import { corruptGzipNote, type GzipEnd } from './gzipReader';
import { binaryReason, chunks, headHash, readHead, type ReadBounds } from './readChunks';
import { isGlogHeaderLine } from '../core/formats/glog';

export interface ScanRequest {
  relPath: string;
  absPath: string;
  node: string;
  size: number;
  mtimeMs: number;
  matcher: LineMatcher;
  /** Year for lines that print none when neither a glog header nor the file name gives one. */
  fallbackYear?: number;
  /** The last scan of this file: when the file only grew since, reading resumes where that one stopped. */
  previous?: FileIndex;
  /** The bundle root: the opened file must lie inside it. */
  root?: string;
}

/** Reads stop at the size the walk saw (a file that grew is picked up by the next scan). */
function boundsOf(req: ScanRequest): ReadBounds {
  return { maxBytes: req.size, root: req.root };
}

/** A file that shrank between the walk and the read: record the size it has, so the next run reads it again. */
function noteShrink(index: FileIndex, req: ScanRequest, seen: ReadBounds['seen']): void {
  if (!seen || seen.size >= req.size) return;
  index.notes.push(`file shrank from ${req.size} to ${seen.size} bytes while being indexed: indexed what was there`);
  index.size = seen.size;
  index.mtimeMs = seen.mtimeMs;
}

/** Indexes one file. Never throws for bad content: what cannot be read is reported in `skipped`/`notes`. */
export async function scanFile(req: ScanRequest): Promise<FileIndex> {
  const resumed = await resumeScan(req);
  if (resumed) return resumed;
  const base = path.posix.basename(req.relPath);
  const index: FileIndex = {
    path: req.relPath,
    node: req.node,
    source: 'other',
    program: base.split('.')[0] || base,
    format: 'plain',
    size: req.size,
    mtimeMs: req.mtimeMs,
    gzip: false,
    lines: 0,
    bytes: 0,
    events: [],
    checkpoints: [],
    errorsPerMinute: [],
    notes: [],
  };
  let head: Buffer;
  let headEnd: GzipEnd | undefined;
  try {
    const h = await readHead(req.absPath, undefined, boundsOf(req));
    head = h.head;
    headEnd = h.gzipEnd;
    index.gzip = h.gzip;
    noteShrink(index, req, h);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    index.skipped = code === 'ENOTREG' ? (e as Error).message : `not readable (${code ?? (e as Error).message})`;
    return index;
  }
  const hash = createHash('sha1').update(head).digest('hex');
  index.fingerprint = `${req.size}:${hash.slice(0, 16)}`;
  const binary = binaryReason(head);
  if (binary) {
    index.skipped = binary;
    return index;
  }
  if (head.length === 0) {
    index.notes.push(headEnd ? (gzipEndNote(headEnd, 0, 0) ?? 'empty file') : 'empty file');
    return index;
  }

  const headLines = splitLines(head.toString('latin1')).slice(0, 200);
  let created: Micros | undefined;
  let yearFrom: FileIndex['yearSource'];
  for (const l of headLines.slice(0, 6)) {
    const t = parseGlogHeader(l);
    if (t !== undefined) {
      created = t;
      yearFrom = 'header';
      break;
    }
  }
  // Reached through a link (glog's `zbs-metad.INFO`), the file's own name still gives its pid.
  const named = parseGlogFileName(base) ?? parseGlogFileName(path.basename(req.absPath));
  if (named) {
    index.pid = named.pid;
    if (created === undefined) {
      created = named.created;
      yearFrom = 'fileName';
    }
  }
  index.created = created;
  const format = detectFormat(headLines.filter((l) => !isGlogHeaderLine(l)));
  index.format = format.id;
  const kind = classifyFile(req.relPath, format.id);
  index.program = kind.program;
  index.source = kind.source;

  let clock: RollingYearClock;
  if (created !== undefined) clock = new RollingYearClock(monthDay(created));
  else if (req.fallbackYear !== undefined) {
    clock = new RollingYearClock({ year: req.fallbackYear, month: 0, day: 0 });
    yearFrom = 'bundle';
  } else {
    clock = new RollingYearClock({ year: 2000, month: 0, day: 0 });
    yearFrom = 'unknown';
  }

  const scanner = new Scanner(index, format, clock, rulesFor(index, req.matcher));
  await readThrough(scanner, req, index, 0);
  if (!index.gzip && scanner.resumePoint) index.resume = { ...scanner.resumePoint, headBytes: head.length, headHash: hash };
  if (scanner.sawYearlessLine) index.yearSource = yearFrom;
  addYearNote(index, req.fallbackYear);
  return index;
}

/**
 * The rules a file is searched for: those of its format. Hadoop's own files come in any layout (some use
 * ZooKeeper's), and whatever it is they also get log4j's rules (NameNode transitions, the Java client).
 */
function rulesFor(index: FileIndex, matcher: LineMatcher) {
  const hadoop = index.source === 'zkfc' || index.source === 'namenode' || index.source === 'hadoop';
  return hadoop ? matcher.forFormats([index.format, 'log4j'], index.source) : matcher.forFormat(index.format, index.source);
}

/** Feeds the file to the scanner up to the walk's size; notes a cap (gzip bomb) that cut it short, or a gzip cut short or damaged. */
async function readThrough(scanner: Scanner, req: ScanRequest, index: FileIndex, start: number): Promise<void> {
  const bounds = boundsOf(req);
  try {
    for await (const chunk of chunks(req.absPath, index.gzip, start, bounds)) scanner.feed(chunk);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    index.notes.push(`read stopped after ${scanner.bytes} bytes (${code ?? (e as Error).message}); indexed what was there`);
  }
  scanner.finish();
  if (!index.notes.some((n) => n.startsWith('file shrank'))) noteShrink(index, req, bounds.seen);
  if (bounds.seen?.cut) index.notes.push(bounds.seen.cut);
  const gzipNote = bounds.seen ? gzipEndNote(bounds.seen, scanner.bytes, index.lines) : undefined;
  if (gzipNote) index.notes.push(gzipNote);
}

/** A gzip that broke keeps the lines before the break; one cut short, all it held. */
function gzipEndNote(end: GzipEnd, bytes: number, lines: number): string | undefined {
  if (end.corrupt) return corruptGzipNote(end.corrupt, lines);
  if (end.truncated) return `gzip stream truncated: indexed the ${bytes} bytes it gave`;
  return undefined;
}

function addYearNote(index: FileIndex, fallbackYear: number | undefined): void {
  if (index.yearSource === 'unknown')
    index.notes.push('lines carry no year and neither a glog header nor the file name gives one: year shown as 2000');
  if (index.yearSource === 'bundle')
    index.notes.push(`lines carry no year: assumed ${fallbackYear ?? 'unknown'}, the year of the bundle's other logs`);
}

/**
 * A file that only grew since its last scan (same leading bytes, larger size) is read from where that
 * scan stopped: events and checkpoints before that point are kept, the tail is scanned with the saved
 * state. Anything else (rewritten, truncated, gzip, past its event budget) is scanned from the start.
 */
async function resumeScan(req: ScanRequest): Promise<FileIndex | undefined> {
  const prev = req.previous;
  const r = prev?.resume;
  if (!prev || !r || prev.skipped || prev.gzip || req.size <= prev.size || r.offset > req.size) return undefined;
  // Past its event budget the file's tallies end with its last line, not at the resume point: read it whole.
  if (prev.unkeptEvents || prev.eventTallies) return undefined;
  try {
    if ((await headHash(req.absPath, r.headBytes, boundsOf(req))) !== r.headHash) return undefined;
  } catch {
    return undefined;
  }
  const index: FileIndex = {
    ...prev,
    size: req.size,
    mtimeMs: req.mtimeMs,
    node: req.node,
    notes: [],
    errorsPerMinute: [],
    events: prev.events.filter((e) => e.offset < r.offset),
    checkpoints: prev.checkpoints.filter((c) => c[1] < r.offset),
  };
  delete index.resume;
  delete index.duplicateOf;
  const scanner = new Scanner(
    index,
    formatById(prev.format),
    RollingYearClock.fromState(r.state.clock),
    rulesFor(index, req.matcher),
    r.state,
  );
  await readThrough(scanner, req, index, r.offset);
  if (scanner.resumePoint) index.resume = { ...scanner.resumePoint, headBytes: r.headBytes, headHash: r.headHash };
  index.fingerprint = `${req.size}:${prev.fingerprint?.split(':')[1] ?? ''}`;
  addYearNote(index, req.fallbackYear);
  return index;
}
