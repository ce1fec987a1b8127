import * as path from 'node:path';
import { parseLine, stripNul, type LogFormat, type ParsedLine } from '../core/formats';
import type { BundleIndex, FileIndex } from '../core/model';
import { monthDay, type Micros } from '../core/time';
import { RollingYearClock } from '../core/yearClock';
import { corruptGzipNote } from './gzipReader';
import { readLines } from './lineBreaks';
import { chunks, openRegular, type ReadBounds } from './readChunks';

/** Characters of a line kept (and parsed): the rest of a longer line is skipped, the line still counts as one. */
export const MAX_TEXT = 2000;
/** Bytes read at once per open file. */
export const READ_BYTES = 64 << 10;
/**
 * Bytes read on without a dated line before a reader gives up on that stretch (a hole of NUL bytes has
 * no line breaks and no times): larger than any real line, so a 200 MB line is still read through.
 */
export const UNDATED_RUN_BYTES = 256 << 20;

/** Where bytes come from: `pread` for a plain file; a forward-only cursor over the inflated stream for a `.gz`. */
export interface ByteSource {
  /** Copies bytes from `pos` on into `buf`; 0 at the end. A gzip source only goes forward. */
  readAt(pos: number, buf: Buffer): Promise<number>;
  close(): Promise<void>;
  /** Why the source stopped early (the inflate cap, a damaged gzip), if it did. */
  cut(): string | undefined;
}

/** Opens an indexed file of a bundle for reading: only a regular file inside the bundle, never past what the index saw. */
export async function openByteSource(bundle: Pick<BundleIndex, 'root'>, f: FileIndex): Promise<ByteSource> {
  const abs = path.join(bundle.root, ...f.path.split('/'));
  if (!f.gzip) {
    const { fh, size } = await openRegular(abs, bundle.root);
    const end = Math.min(size, f.size);
    return {
      readAt: (pos, buf) => readLines(fh, buf, pos, end),
      close: () => fh.close(),
      cut: () => undefined,
    };
  }
  const bounds: ReadBounds = { maxBytes: f.size, root: bundle.root };
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

/** One line as a reader gives it: where it is, its first MAX_TEXT characters (Latin-1, as read) and its prefix. */
export interface ReadLine {
  line: number;
  offset: number;
  /** The line's text as Latin-1 (bytes as characters): NUL bytes before it and a trailing CR dropped, cut at MAX_TEXT. */
  raw: string;
  /** Set when the line starts with a timestamp of the file's format (or one interleaved with it). */
  parsed?: ParsedLine;
}

/**
 * The year clock for lines read from a stretch starting at `anchor`: yearless lines get the anchor's year
 * and roll over from there. A stretch past New Year of the file's start counts as rolled over once, so a
 * late December line right after it keeps the old year, as it does for a reader that started at the top.
 */
export function clockAt(anchor: Micros, fileStart: Micros | undefined): RollingYearClock {
  const d = monthDay(anchor);
  const rolled = fileStart !== undefined && d.year > monthDay(fileStart).year ? 1 : 0;
  return RollingYearClock.fromState({ ...d, rollovers: rolled });
}

/**
 * Reads the lines of one file forward from a line start, a buffer at a time, splitting at LF (lone CRs are
 * already line breaks, see lineBreaks.ts) and parsing each line's prefix with the file's format. Memory is
 * one read buffer and the head of the current line, however long the line.
 */
export class LineReader {
  private readonly buf: Buffer;
  /** Bytes of `buf` holding data, the next one to look at, and the file offset of `buf[0]`. */
  private n = 0;
  private i = 0;
  private base = 0;
  private ended = false;
  /** The line being read: its number, start, bytes so far and kept head. */
  private lineNo = 1;
  private start = 0;
  private lineBytes = 0;
  private head = '';
  private clock = new RollingYearClock(monthDay(0));
  /** Bytes read since the reader was positioned (for caps). */
  scanned = 0;

  constructor(
    private readonly src: ByteSource,
    private readonly format: LogFormat,
    bytes = READ_BYTES,
  ) {
    this.buf = Buffer.allocUnsafe(bytes);
  }

  /** Positions the reader at the start of line `line`, byte `offset`, with the year clock it should use. */
  seek(offset: number, line: number, clock: RollingYearClock): void {
    this.clock = clock;
    this.lineNo = line;
    this.start = offset;
    this.lineBytes = 0;
    this.head = '';
    this.ended = false;
    if (offset >= this.base && offset <= this.base + this.n) this.i = offset - this.base;
    else {
      this.base = offset;
      this.n = 0;
      this.i = 0;
    }
  }

  /** Replaces the year clock (each stretch starts its own, so where reading began does not change a year). */
  setClock(clock: RollingYearClock): void {
    this.clock = clock;
  }

  /** Where the line being read (or the next one) starts, and its number. */
  get lineStart(): number {
    return this.start;
  }
  get line(): number {
    return this.lineNo;
  }
  /** The next byte the reader will take: how far it has read into a line with no end yet. */
  get position(): number {
    return this.base + this.i;
  }

  /**
   * Reads on until `visit` returns false (the reader stops after that line), a buffer's worth has been
   * looked at, or the data ends. `visit` may `seek` before returning false.
   */
  async read(visit: (l: ReadLine) => boolean): Promise<'stopped' | 'more' | 'end'> {
    if (this.ended) return 'end';
    if (this.i >= this.n) {
      this.base += this.n;
      this.i = 0;
      this.n = await this.src.readAt(this.base, this.buf);
      this.scanned += this.n;
      if (this.n === 0) {
        this.ended = true;
        if (this.lineBytes > 0) visit(this.finish(this.base));
        return 'end';
      }
    }
    const buf = this.buf;
    const n = this.n;
    while (this.i < n) {
      const nl = buf.indexOf(10, this.i);
      if (nl < 0 || nl >= n) {
        this.take(this.i, n);
        this.i = n;
        break;
      }
      this.take(this.i, nl);
      this.i = nl + 1;
      const l = this.finish(this.base + nl + 1);
      if (!visit(l)) return 'stopped';
    }
    return 'more';
  }

  private take(from: number, to: number): void {
    this.lineBytes += to - from;
    if (this.head.length >= MAX_TEXT) return;
    // NUL bytes before a line (a hole the writer left) are not its text: keep what follows them.
    if (this.head === '') while (from < to && this.buf[from] === 0) from++;
    this.head += this.buf.toString('latin1', from, Math.min(to, from + MAX_TEXT - this.head.length));
  }

  /** The line just ended (the next starts at `next`). */
  private finish(next: number): ReadLine {
    const raw = this.lineBytes <= MAX_TEXT ? this.head.replace(/\r$/, '') : this.head;
    const parsed = parseLine(this.format, stripNul(raw), this.clock);
    const l: ReadLine = { line: this.lineNo, offset: this.start, raw };
    if (parsed) l.parsed = parsed;
    this.lineNo++;
    this.start = next;
    this.lineBytes = 0;
    this.head = '';
    return l;
  }
}

/** A line's Latin-1 text as the user reads it: UTF-8, invalid bytes replaced (ASCII, most lines, is already that). */
export function decodeRaw(raw: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(raw) ? Buffer.from(raw, 'latin1').toString('utf8') : raw;
}
