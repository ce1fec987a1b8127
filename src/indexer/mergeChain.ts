import { parseLine, stripNul, type LogFormat } from '../core/formats';
import type { BundleIndex, FileIndex } from '../core/model';
import type { Micros } from '../core/time';
import { EntryGatherer, type Entry } from '../core/workflows/mergeEntries';
import { entryPasses, type EntryFilter } from '../core/workflows/mergeFilter';
import { MinHeap } from '../core/workflows/mergeHeap';
import { placeIn, type Stretch } from '../core/workflows/mergeStretches';
import { clockAt, decodeRaw, LineReader, openByteSource, UNDATED_RUN_BYTES, type ByteSource, type ReadLine } from './mergeLineReader';

/** What a chain's reader asks of the merge it feeds: the range and filters, and where to say what it left out. */
export interface ChainHost {
  readonly filter: EntryFilter | undefined;
  readonly unreadable: { bundle: number; file: string; message: string }[];
  note(ref: Pick<FileRef, 'bundle' | 'f'>, note: string): void;
  afterStart(ref: FileRef, time: Micros, line: number): boolean;
  beforeStop(ref: FileRef, time: Micros, line: number): boolean;
}

/** Lines (and characters) one file's reader holds before it lets its earliest go regardless. */
const HOLD_LINES = 100_000;
const HOLD_CHARS = 8 << 20;

export interface Held {
  time: Micros;
  line: number;
  raw: string;
  ownTime?: Micros;
  continuation: boolean;
}

const heldBefore = (a: Held, b: Held) => a.time < b.time || (a.time === b.time && a.line < b.line);

export interface FileRef {
  bundle: number;
  index: BundleIndex;
  fileNo: number;
  f: FileIndex;
  format: LogFormat;
  shift: Micros;
  /** Position of the file in the (bundle, node, path) order. */
  rank: number;
  /** The file against the start and stop keys' files (-1, 0, 1). */
  vsStart: number;
  vsStop: number;
}

/**
 * One chain of a file (see chainStretches): its stretches that can hold lines in the merged range, read
 * in file order by its own reader. Lines go into a reorder buffer and come out in (time, line) order once
 * no unread line can come before them: every unread line's key is at least the lowest `lo` of the
 * stretches still to read.
 */
export class ChainSource {
  private readonly held = new MinHeap<Held>(heldBefore);
  private heldChars = 0;
  /** Lowest `lo` (corrected) of stretches[k..]. */
  private readonly floor: Micros[];
  private si = 0;
  private src: ByteSource | undefined;
  private reader: LineReader | undefined;
  private readonly gatherer: EntryGatherer;
  /** The line where the stretch being read last had a time (for the hole rule). */
  private datedAt = 0;
  private exhausted = false;
  private opened = false;
  /** Lines placed outside their own time, and the first of them. */
  placed = 0;
  firstPlaced: number | undefined;
  overfull = false;

  constructor(
    readonly ref: FileRef,
    private readonly stretches: readonly Stretch[],
    private readonly merge: ChainHost,
  ) {
    this.floor = new Array<Micros>(stretches.length);
    let lo = Number.POSITIVE_INFINITY;
    for (let k = stretches.length - 1; k >= 0; k--) this.floor[k] = lo = Math.min(lo, stretches[k].lo + ref.shift);
    this.gatherer = new EntryGatherer(ref.f.firstTime ?? 0, (e) => this.take(e));
  }

  /** No line left to give. */
  get done(): boolean {
    return this.exhausted && this.held.size === 0;
  }

  /** Its earliest line is known to come next from this file (nothing unread can precede it). */
  get ready(): boolean {
    const top = this.held.peek();
    if (!top) return false;
    if (this.exhausted || this.overfull) return true;
    return top.time <= this.floor[this.si];
  }

  /** The least key it can still give: its earliest held line when ready, else the floor of what is unread. */
  boundTime(): Micros {
    if (this.ready) return this.held.peek()!.time;
    if (this.exhausted) return Number.POSITIVE_INFINITY;
    return this.floor[this.si];
  }

  boundLine(): number {
    if (this.ready) return this.held.peek()!.line;
    return this.gatherer.heldFrom() ?? this.reader?.line ?? this.stretches[this.si]?.line ?? 0;
  }

  /** Takes the earliest held line (call only when ready). */
  pop(): Held {
    const h = this.held.pop()!;
    this.heldChars -= h.raw.length;
    if (this.overfull && this.held.size < HOLD_LINES / 2 && this.heldChars < HOLD_CHARS / 2) this.overfull = false;
    return h;
  }

  /** Set when its file reached its line cap: taken out of the merge when it next comes up (its key must not change before). */
  dropped = false;

  async close(): Promise<void> {
    const src = this.src;
    this.src = undefined;
    this.reader = undefined;
    await src?.close();
  }

  /** Reads on (one buffer's worth) until ready or exhausted; failures end the file with a note. */
  async readMore(): Promise<void> {
    if (this.exhausted) return;
    try {
      if (!this.opened) {
        this.opened = true;
        this.src = await openByteSource(this.ref.index, this.ref.f);
        this.reader = new LineReader(this.src, this.ref.format);
        this.enter(0);
      }
      const reader = this.reader!;
      const status = await reader.read((l) => this.visit(l));
      if (status === 'end') {
        this.gatherer.end();
        this.finish();
        return;
      }
      if (this.exhausted) return;
      const s = this.stretches[this.si];
      if (reader.position - this.datedAt > UNDATED_RUN_BYTES) this.skipHole(s, reader.position);
    } catch (e) {
      const message = (e as Error).message;
      const scanned = this.reader?.scanned ?? 0;
      if (scanned > 0)
        this.merge.note(this.ref, `read stopped at byte ${this.reader?.position ?? 0} (${message}): lines after it are not in the answer`);
      else this.merge.unreadable.push({ bundle: this.ref.bundle, file: this.ref.f.path, message });
      this.gatherer.discard();
      this.exhausted = true;
      await this.close();
    }
  }

  /** Starts reading stretch k (a jump when it does not follow the one read). */
  private enter(k: number): void {
    const s = this.stretches[k];
    this.si = k;
    this.datedAt = s.offset;
    this.reader!.seek(s.offset, s.line, clockAt(s.anchor, this.fileStart()));
  }

  private fileStart(): Micros | undefined {
    return this.ref.f.created ?? this.ref.f.firstTime;
  }

  private visit(l: ReadLine): boolean {
    let s = this.stretches[this.si];
    if (l.offset >= s.end) {
      // Into the next stretch of the file: the stretch read is over.
      this.gatherer.end();
      const n = this.stretches[this.si + 1];
      if (!n) {
        this.finish();
        return false;
      }
      if (n.offset !== l.offset) {
        // The next stretch of this chain is further on (other stretches belong to other chains, or are out of range).
        this.enter(this.si + 1);
        return false;
      }
      this.si++;
      s = n;
      this.datedAt = s.offset;
      // Each stretch dates yearless lines from its own checkpoint, wherever reading began.
      const clock = clockAt(s.anchor, this.fileStart());
      this.reader!.setClock(clock);
      const again = parseLine(this.ref.format, stripNul(l.raw), clock);
      if (again) l.parsed = again;
      else delete l.parsed;
    }
    if (l.parsed) this.datedAt = l.offset;
    this.gatherer.add(l);
    return !this.exhausted;
  }

  /** A stretch with no dated line for UNDATED_RUN_BYTES (a hole of NUL bytes): go on at the next stretch. */
  private skipHole(s: Stretch, pos: number): void {
    const mib = (n: number) => `${Math.round(n / (1 << 20))} MiB`;
    const gap = `${mib(pos - this.datedAt)} without a dated line after byte ${this.datedAt} (a hole of NUL bytes, or a line too long to read)`;
    this.gatherer.end();
    const n = this.stretches[this.si + 1];
    if (n) {
      this.merge.note(this.ref, `${gap}: skipped bytes ${pos}–${n.offset}, where dated lines resume`);
      this.enter(this.si + 1);
    } else {
      this.merge.note(
        this.ref,
        s.end < Number.MAX_SAFE_INTEGER && s.end > pos ? `${gap}: skipped bytes ${pos}–${s.end}` : `${gap}: not read past byte ${pos}`,
      );
      this.finish();
    }
  }

  private finish(): void {
    this.exhausted = true;
    const cut = this.src?.cut();
    if (cut) this.merge.note(this.ref, cut);
    void this.close();
  }

  /** An entry read: placed in its stretch's range, filtered, and held (the lines inside the merged range). */
  private take(e: Entry): void {
    const s = this.stretches[this.si];
    const ref = this.ref;
    const local = placeIn(e.time, s);
    const time = local + ref.shift;
    const ownTime = local === e.time ? undefined : e.time + ref.shift;
    const m = this.merge;
    const filter = m.filter;
    if (
      filter &&
      !entryPasses(
        e.lines.map((l) => decodeRaw(l.raw)),
        e.severity,
        filter,
      )
    )
      return;
    if (ownTime !== undefined) {
      this.placed += e.lines.length;
      this.firstPlaced ??= e.lines[0].line;
    }
    e.lines.forEach((l, j) => {
      if (!m.afterStart(ref, time, l.line) || !m.beforeStop(ref, time, l.line)) return;
      const h: Held = { time, line: l.line, raw: l.raw, continuation: !e.dated || j > 0 };
      if (ownTime !== undefined) h.ownTime = ownTime;
      this.held.push(h);
      this.heldChars += l.raw.length;
    });
    if (this.held.size > HOLD_LINES || this.heldChars > HOLD_CHARS) {
      if (!this.overfull)
        m.note(
          ref,
          'more lines within a few seconds than one reader holds in memory: past them, lines are merged in the order written there',
        );
      this.overfull = true;
    }
  }
}
