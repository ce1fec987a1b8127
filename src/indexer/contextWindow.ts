import * as path from 'node:path';
import { formatById, parseLine, stripNul } from '../core/formats';
import type { LogFormat } from '../core/formats/types';
import type { BundleIndex, Checkpoint, FileIndex } from '../core/model';
import type { ClockOffsets } from '../core/overlaps';
import type { Micros } from '../core/time';
import { RollingYearClock } from '../core/yearClock';
import { monthDay } from '../core/time';
import { readLines } from './lineBreaks';
import { corruptGzipNote } from './gzipReader';
import { chunks, openRegular, type ReadBounds } from './readChunks';

export interface ContextLine {
  file: number;
  line: number;
  /** The line's time as written, and corrected by its node's clock offset. */
  time: Micros;
  corrected: Micros;
  text: string;
}

export interface ContextRead {
  lines: ContextLine[];
  /** Files with more lines in the window than `maxLinesPerFile`: cut there. */
  truncatedFiles: string[];
  /** Files that could not be opened or read (deleted or made unreadable since indexing). */
  unreadable: { file: string; message: string }[];
  /** Files not read at all, and why (skipped by the index, a copy of another, no time to place them by). */
  skippedFiles: { file: string; reason: string }[];
  /** Files read only in part, and what was left out (a hole of NUL bytes, a read cap). */
  notes: { file: string; note: string }[];
}

/** Characters of a line kept (and parsed): the rest of a longer line is skipped, the line still counts as one. */
const MAX_TEXT = 2000;
const READ_BYTES = 1 << 20;
/** Files read at once: each holds a read buffer (and a gunzip stream for a `.gz`). */
const FILES_AT_ONCE = 8;
/**
 * Bytes read on without a dated line before the reader gives up on that stretch (a hole of NUL bytes has
 * no line breaks and no times): larger than any real line, so a 200 MB line is still read through.
 */
export const UNDATED_RUN_BYTES = 256 << 20;
/** Bytes scanned per file at most, over all its stretches that can hold the window. */
export const SCAN_BYTES_PER_FILE = 1 << 30;
/** Threads write a little out of order: a stretch within this of the window may hold lines in it. */
const SLACK: Micros = 1_000_000;

/**
 * A stretch of a file between two checkpoints, with the times at its ends. Times only mostly grow with
 * the offset: a clock that steps back gives a file several stretches that can hold the same moment.
 */
interface Stretch {
  offset: number;
  line: number;
  /** Where the next stretch starts (the end of the file for the last). */
  end: number;
  /** A time near the start: dates yearless lines. */
  anchor: Micros;
  lo: Micros;
  hi: Micros;
  /** The time at its end, when known. */
  endTime?: Micros;
}

/**
 * Seed 000's "check every node at 2023-03-14T01:35:51": every line of every file whose (corrected) time
 * falls within [center − radius, center + radius]. Each file is read only in the stretches between its
 * checkpoints whose times can hold the window — all of them, so a clock that steps back is read twice —
 * a few kilobytes per file however large the bundle. A `.gz` is inflated from its start (bounded by the
 * inflate cap) and parsed only in those stretches. Continuation lines keep their entry's time. Nothing is
 * left out silently: files not read and files read in part come back with the reason.
 */
export async function clusterContext(
  bundle: BundleIndex,
  center: Micros,
  radius: Micros,
  offsets: ClockOffsets = {},
  maxLinesPerFile = 5000,
): Promise<ContextRead> {
  const r: ContextRead = { lines: [], truncatedFiles: [], unreadable: [], skippedFiles: [], notes: [] };
  const todo: number[] = [];
  bundle.files.forEach((f, file) => {
    if (f.skipped) r.skippedFiles.push({ file: f.path, reason: f.skipped });
    else if (f.duplicateOf) r.skippedFiles.push({ file: f.path, reason: `a copy of ${f.duplicateOf}, which is read instead` });
    else if (f.firstTime === undefined || f.lastTime === undefined)
      r.skippedFiles.push({ file: f.path, reason: 'no line with a time in it' });
    else todo.push(file);
  });
  let next = 0;
  const worker = async () => {
    while (next < todo.length) await readFile(bundle, todo[next++], center, radius, offsets, maxLinesPerFile, r);
  };
  await Promise.all(Array.from({ length: Math.min(FILES_AT_ONCE, todo.length) }, worker));
  r.lines.sort(
    (a, b) =>
      a.corrected - b.corrected || bundle.files[a.file].node.localeCompare(bundle.files[b.file].node) || a.file - b.file || a.line - b.line,
  );
  // Files are read concurrently: give the lists one order (stable, so a file's notes stay in reading order).
  const byFile = (a: { file: string }, b: { file: string }) => a.file.localeCompare(b.file);
  r.truncatedFiles.sort((a, b) => a.localeCompare(b));
  r.unreadable.sort(byFile);
  r.skippedFiles.sort(byFile);
  r.notes.sort(byFile);
  return r;
}

/** Where bytes come from: `pread` for a plain file; a forward-only cursor over the inflated stream for a `.gz`. */
interface ByteSource {
  /** Copies bytes from `pos` on into `buf`; 0 at the end. A gzip source only goes forward. */
  readAt(pos: number, buf: Buffer): Promise<number>;
  close(): Promise<void>;
  /** Why the source stopped early (the inflate cap, a damaged gzip), if it did. */
  cut(): string | undefined;
}

async function openSource(abs: string, f: FileIndex, root: string): Promise<ByteSource> {
  if (!f.gzip) {
    // Only a regular file inside the bundle, and never past the size the index saw.
    const { fh, size } = await openRegular(abs, root);
    const end = Math.min(size, f.size);
    return {
      readAt: (pos, buf) => readLines(fh, buf, pos, end),
      close: () => fh.close(),
      cut: () => undefined,
    };
  }
  const bounds: ReadBounds = { maxBytes: f.size, root };
  const it = chunks(abs, true, 0, bounds);
  let chunk: Buffer = Buffer.alloc(0);
  let chunkStart = 0;
  return {
    readAt: async (pos, buf) => {
      for (;;) {
        const rel = pos - chunkStart;
        if (rel < 0) throw new Error(`gzip stream read backwards (${pos} < ${chunkStart})`);
        if (rel < chunk.length) return chunk.copy(buf, 0, rel);
        const n = await it.next();
        if (n.done) return 0;
        chunkStart += chunk.length;
        chunk = n.value;
      }
    },
    close: async () => void (await it.return(undefined)),
    cut: () => bounds.seen?.cut ?? (bounds.seen?.corrupt && corruptGzipNote(bounds.seen.corrupt)),
  };
}

/** The stretches of a file: one per valid checkpoint, and the lines before the first. */
function stretchesOf(f: FileIndex, end: number): Stretch[] {
  const first = f.firstTime ?? 0;
  const last = f.lastTime ?? first;
  const valid: Checkpoint[] = [];
  let damaged = false;
  let prev: Checkpoint = [1, -1, 0];
  for (const c of f.checkpoints) {
    // Checkpoints that cannot be right (negative, out of order, past the file) end the list: the rest is unknown.
    if (!Number.isSafeInteger(c[0]) || !Number.isSafeInteger(c[1]) || c[0] < prev[0] || c[1] <= prev[1] || c[1] > end) {
      damaged = true;
      break;
    }
    valid.push(c);
    prev = c;
  }
  const unknown = { lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY };
  if (valid.length === 0) return [{ offset: 0, line: 1, end, anchor: first, ...unknown }];
  const out: Stretch[] = [];
  if (valid[0][1] > 0) {
    const t = valid[0][2];
    out.push({ offset: 0, line: 1, end: valid[0][1], anchor: first, lo: Math.min(first, t), hi: Math.max(first, t), endTime: t });
  }
  valid.forEach((c, i) => {
    const n = valid[i + 1];
    const endTime = n ? n[2] : damaged ? undefined : last;
    const range = endTime === undefined ? unknown : { lo: Math.min(c[2], endTime), hi: Math.max(c[2], endTime) };
    out.push({ offset: c[1], line: c[0], end: n ? n[1] : end, anchor: c[2], ...range, endTime });
  });
  return out;
}

const mib = (n: number) => `${Math.round(n / (1 << 20))} MiB`;

/** Reads the stretches of one file that can hold the window; adds its lines, cut, notes or error to `r`. */
async function readFile(
  bundle: BundleIndex,
  file: number,
  center: Micros,
  radius: Micros,
  offsets: ClockOffsets,
  maxLines: number,
  r: ContextRead,
): Promise<void> {
  const f = bundle.files[file];
  const shift = offsets[f.node] ?? 0;
  const lo = center - radius - shift;
  const hi = center + radius - shift;
  const stretches = stretchesOf(f, f.gzip ? Number.MAX_SAFE_INTEGER : f.size);
  const wanted = stretches.map((s) => s.hi + SLACK >= lo && s.lo - SLACK <= hi);
  /** The first wanted stretch at index ≥ i. */
  const wantedFrom = (i: number) => {
    for (; i < stretches.length; i++) if (wanted[i]) return i;
    return -1;
  };
  let si = wantedFrom(0);
  if (si < 0) return;
  const format: LogFormat = formatById(f.format);
  const note = (text: string) => r.notes.push({ file: f.path, note: text });
  let src: ByteSource | undefined;
  let pos = 0;
  let scanned = 0;
  try {
    src = await openSource(path.join(bundle.root, ...f.path.split('/')), f, bundle.root);
    const buf = Buffer.allocUnsafe(READ_BYTES);
    let kept = 0;
    // Where the reader is: the stretch, the next byte to read, the current line's start, number and head.
    let line = 0;
    let lineStart = 0;
    let lineBytes = 0;
    let head = '';
    let current: Micros | undefined;
    let datedAt = 0;
    let clock = new RollingYearClock(monthDay(0));
    const enter = (i: number) => {
      const s = stretches[i];
      si = i;
      pos = lineStart = datedAt = s.offset;
      line = s.line;
      lineBytes = 0;
      head = '';
      current = undefined;
      clock = new RollingYearClock(monthDay(s.anchor));
    };
    enter(si);
    /** A whole line read: keep it when in the window. False when the file is done or the reader jumped. */
    const finish = (): 'on' | 'jumped' | 'done' => {
      const raw = lineBytes <= MAX_TEXT ? head.replace(/\r$/, '') : head;
      const p = parseLine(format, stripNul(raw), clock);
      if (p) {
        current = p.time;
        datedAt = lineStart;
      }
      if (current !== undefined && current >= lo && current <= hi) {
        r.lines.push({ file, line, time: current, corrected: current + shift, text: Buffer.from(raw, 'latin1').toString('utf8') });
        if (++kept >= maxLines) {
          r.truncatedFiles.push(f.path);
          return 'done';
        }
      }
      if (p && current !== undefined && current > hi) {
        // Past the window: the rest of this stretch is too, unless its clock comes back down before it ends.
        const s = stretches[si];
        if (s.endTime === undefined || s.endTime > hi) {
          const n = wantedFrom(si + 1);
          if (n < 0) return 'done';
          enter(n);
          return 'jumped';
        }
      }
      return 'on';
    };
    /** After a line ends at `next`: into the next stretch, or on to the next wanted one. */
    const advance = (next: number): 'on' | 'jumped' | 'done' => {
      line++;
      lineStart = next;
      lineBytes = 0;
      head = '';
      let i = si;
      while (i + 1 < stretches.length && next >= stretches[i].end) i++;
      if (i === si) return 'on';
      const n = wantedFrom(i);
      if (n < 0) return 'done';
      if (n === i) {
        si = i;
        return 'on';
      }
      enter(n);
      return 'jumped';
    };
    const take = (from: number, to: number) => {
      lineBytes += to - from;
      if (head.length >= MAX_TEXT) return;
      // NUL bytes before a line (a hole the writer left) are not its text: keep what follows them.
      if (head === '') while (from < to && buf[from] === 0) from++;
      head += buf.toString('latin1', from, Math.min(to, from + MAX_TEXT - head.length));
    };
    reading: for (;;) {
      const n = await src.readAt(pos, buf);
      if (n === 0) {
        if (lineBytes > 0) finish();
        break;
      }
      scanned += n;
      const base = pos;
      pos += n;
      const view = buf.subarray(0, n);
      for (let i = 0; i < n;) {
        const nl = view.indexOf(10, i);
        if (nl < 0) {
          take(i, n);
          break;
        }
        take(i, nl);
        let step = finish();
        if (step === 'on') step = advance(base + nl + 1);
        if (step === 'done') break reading;
        if (step === 'jumped') continue reading;
        i = nl + 1;
      }
      if (pos - datedAt > UNDATED_RUN_BYTES) {
        // No line break or time for this long: a hole of NUL bytes, or binary. Go on at the next checkpoint.
        let i = si + 1;
        while (i < stretches.length && stretches[i].offset <= pos) i++;
        const to = wantedFrom(i);
        const gap = `${mib(pos - datedAt)} without a dated line after byte ${datedAt} (a hole of NUL bytes, or a line too long to read)`;
        if (to >= 0) {
          note(`${gap}: skipped bytes ${pos}–${stretches[to].offset}, where dated lines resume`);
          enter(to);
          continue;
        }
        if (i < stretches.length)
          note(`${gap}: skipped bytes ${pos}–${stretches[i].offset}; the dated lines after them are outside the window`);
        else note(`${gap}: not read past byte ${pos}`);
        break;
      }
      if (scanned >= SCAN_BYTES_PER_FILE) {
        note(`stopped after reading ${mib(scanned)} for the window, at byte ${pos}: lines after it are not in the answer`);
        break;
      }
    }
    const cut = src.cut();
    if (cut) note(cut);
  } catch (e) {
    // Deleted or made unreadable since indexing (or a damaged gzip): say so, keep the other nodes' lines.
    const message = (e as Error).message;
    if (scanned > 0) note(`read stopped at byte ${pos} (${message}): lines after it are not in the answer`);
    else r.unreadable.push({ file: f.path, message });
  } finally {
    await src?.close();
  }
}
