import { formatById } from '../core/formats';
import type { BundleIndex, FileIndex } from '../core/model';
import type { ClockOffsets } from '../core/overlaps';
import type { Micros } from '../core/time';
import { keepsAll, type EntryFilter } from '../core/workflows/mergeFilter';
import { MinHeap } from '../core/workflows/mergeHeap';
import { compareFiles, type MergeKey } from '../core/workflows/mergeOrder';
import { ChainSource, type ChainHost, type FileRef } from './mergeChain';
import { decodeRaw } from './mergeLineReader';
import { filePlan, type FilePlan } from './mergePlan';
import { includeRows, stretchesToRead } from './mergeSkips';
import type { SearchIndex } from './searchStore';

/** One line of the merged log. */
export interface MergedLine {
  bundle: number;
  /** Index of the file in its bundle. */
  file: number;
  line: number;
  /** Where the line is placed (µs, corrected by its node's offset): its entry's time. Never decreases along the merge. */
  time: Micros;
  /**
   * The entry's own time (corrected) when the line is placed elsewhere: it lies outside the times of the
   * checkpoints around it (a clock step, a stray line), so the merge could not put it in its own place.
   */
  ownTime?: Micros;
  text: string;
  /** The line has no time of its own: it continues the entry above it (or precedes the file's first one). */
  continuation: boolean;
}

/** A bundle to merge, with its nodes' clock offsets (µs) and which of its files to read. */
export interface MergeInput {
  index: BundleIndex;
  offsets: ClockOffsets;
  /** The files to merge (the caller's node and source filters); default every dated file. */
  files?: (f: FileIndex, index: number) => boolean;
  /** The bundle's search index: stretches no include filter's text can be in are not read. */
  search?: SearchIndex;
}

export interface MergeOptions {
  /** The first key merged: lines at or after it (`inclusive`), or only after it (a cursor). */
  start?: { key: MergeKey; inclusive: boolean };
  /** Lines at or past this key are not merged. */
  stop?: MergeKey;
  filter?: EntryFilter;
  /** Lines one file gives at most (the cluster context's cut); the file is then named in `truncatedFiles`. */
  maxLinesPerFile?: number;
}

/** A file of a merged bundle, named for the answer. */
export interface MergeFileNote {
  bundle: number;
  file: string;
}

/** The smallest key with a time: "from this time on". */
export function timeKey(time: Micros): MergeKey {
  return { time, bundle: -1, node: '', file: '', line: 0 };
}

/**
 * The merged cluster log: every dated file of the bundles, k-way merged in (corrected) time order from a
 * key on, as lnav's merged view reads — but never all in memory. Each file is read from the checkpoint
 * before the start, by one reader per chain of its stretches; memory is a read buffer and a reorder buffer
 * of a few seconds of lines per open file, plus what the caller keeps. Lines come out by (time, bundle,
 * node, file path, line), continuation lines with their entry's time, so a page ends on a key and the next
 * one starting after it loses or repeats nothing.
 */
export class MergeReader implements ChainHost {
  readonly unreadable: { bundle: number; file: string; message: string }[] = [];
  readonly notes: (MergeFileNote & { note: string })[] = [];
  readonly skipped: (MergeFileNote & { reason: string })[] = [];
  readonly truncatedFiles: MergeFileNote[] = [];
  /** Bytes of the merged range that the search index ruled out for the include filters: not read. */
  skippedBytes = 0;
  readonly filter: EntryFilter | undefined;
  private readonly heap: MinHeap<ChainSource>;
  private readonly noted = new Set<string>();
  private readonly perFile = new Map<string, number>();
  private readonly cut = new Set<string>();
  private last: Micros = Number.NEGATIVE_INFINITY;
  private readonly sources: ChainSource[] = [];

  private constructor(private readonly options: MergeOptions) {
    this.filter = options.filter && !keepsAll(options.filter) ? options.filter : undefined;
    this.heap = new MinHeap<ChainSource>((a, b) => {
      const ta = a.boundTime();
      const tb = b.boundTime();
      if (ta !== tb) return ta < tb;
      if (a.ref.rank !== b.ref.rank) return a.ref.rank < b.ref.rank;
      return a.boundLine() < b.boundLine();
    });
  }

  /** Plans the merge of `inputs` (reading ahead only over a clock step); nothing else is read until asked. */
  static async open(inputs: readonly MergeInput[], options: MergeOptions = {}): Promise<MergeReader> {
    const m = new MergeReader(options);
    const chosen = chooseFiles(inputs, m.skipped);
    const start = options.start;
    const stop = options.stop;
    const rows = includeRows(m.filter);
    for (const [rank, c] of chosen.entries()) {
      const at = { bundle: c.bundle, node: c.f.node, file: c.f.path };
      const ref: FileRef = {
        ...c,
        format: formatById(c.f.format),
        rank,
        vsStart: start ? Math.sign(compareFiles(at, start.key)) : 0,
        vsStop: stop ? Math.sign(compareFiles(at, stop)) : 0,
      };
      let plan: FilePlan;
      try {
        plan = await filePlan(c.index, c.f);
      } catch (e) {
        m.unreadable.push({ bundle: c.bundle, file: c.f.path, message: (e as Error).message });
        continue;
      }
      for (const note of plan.notes) m.note(ref, note);
      const lo = start ? start.key.time : Number.NEGATIVE_INFINITY;
      const hi = stop ? stop.time : Number.POSITIVE_INFINITY;
      const read = stretchesToRead(inputs[c.bundle].search, c.f, rows);
      for (const chain of plan.chains) {
        const inRange = chain.map((k) => plan.stretches[k]).filter((s) => s.hi + c.shift >= lo && s.lo + c.shift <= hi);
        let wanted = inRange;
        if (read) {
          wanted = [];
          for (const s of inRange) {
            if (read(s.offset, s.end)) wanted.push(s);
            else m.skippedBytes += s.end - s.offset;
          }
        }
        if (wanted.length === 0) continue;
        const src = new ChainSource(ref, wanted, m);
        m.sources.push(src);
        m.heap.push(src);
      }
    }
    return m;
  }

  /** Whether a line with this key is at or past the start. */
  afterStart(ref: FileRef, time: Micros, line: number): boolean {
    const s = this.options.start;
    if (!s) return true;
    const k = s.key;
    if (time !== k.time) return time > k.time;
    if (ref.vsStart !== 0) return ref.vsStart > 0;
    return s.inclusive ? line >= k.line : line > k.line;
  }

  /** Whether a line with this key is before the stop. */
  beforeStop(ref: FileRef, time: Micros, line: number): boolean {
    const k = this.options.stop;
    if (!k) return true;
    if (time !== k.time) return time < k.time;
    if (ref.vsStop !== 0) return ref.vsStop < 0;
    return line < k.line;
  }

  note(ref: Pick<FileRef, 'bundle' | 'f'>, note: string): void {
    const key = `${ref.bundle}\0${ref.f.path}\0${note}`;
    if (this.noted.has(key)) return;
    this.noted.add(key);
    this.notes.push({ bundle: ref.bundle, file: ref.f.path, note });
  }

  /** The next line of the merge, or undefined at its end (or the stop). */
  async next(): Promise<MergedLine | undefined> {
    for (;;) {
      const s = this.heap.peek();
      if (!s) return undefined;
      if (s.done || s.dropped) {
        this.heap.pop();
        await s.close();
        continue;
      }
      if (!s.ready) {
        if (s.boundTime() === Number.POSITIVE_INFINITY) {
          this.heap.pop();
          continue;
        }
        await s.readMore();
        this.heap.updateTop();
        continue;
      }
      const h = s.pop();
      const ref = s.ref;
      const cap = this.options.maxLinesPerFile;
      if (cap !== undefined) {
        const id = `${ref.bundle}\0${ref.fileNo}`;
        const n = (this.perFile.get(id) ?? 0) + 1;
        if (n > cap) {
          if (!this.cut.has(id)) {
            this.cut.add(id);
            this.truncatedFiles.push({ bundle: ref.bundle, file: ref.f.path });
          }
          for (const other of this.sources) if (other.ref === ref) other.dropped = true;
          continue;
        }
        this.perFile.set(id, n);
      }
      this.heap.updateTop();
      const line: MergedLine = {
        bundle: ref.bundle,
        file: ref.fileNo,
        line: h.line,
        time: h.time,
        text: decodeRaw(h.raw),
        continuation: h.continuation,
      };
      if (h.ownTime !== undefined) line.ownTime = h.ownTime;
      if (h.time < this.last) {
        // Only past a reader that had to let lines go unsorted: keep the merge's time from going back.
        line.ownTime ??= h.time;
        line.time = this.last;
      }
      this.last = line.time;
      return line;
    }
  }

  /** Files with lines placed outside their own time, for the answer's notes. */
  placementNotes(): void {
    const byFile = new Map<FileRef, { n: number; first: number }>();
    for (const s of this.sources) {
      if (s.placed === 0) continue;
      const e = byFile.get(s.ref) ?? { n: 0, first: Number.POSITIVE_INFINITY };
      e.n += s.placed;
      e.first = Math.min(e.first, s.firstPlaced ?? e.first);
      byFile.set(s.ref, e);
    }
    for (const [ref, e] of byFile)
      this.note(
        ref,
        `${e.n} line${e.n === 1 ? '' : 's'} (from line ${e.first}) carry a time outside the checkpoints around them (a clock step or a stray line): placed at the nearest time there, with their own time kept`,
      );
  }

  /** Closes every file still open. */
  async close(): Promise<void> {
    await Promise.all(this.sources.map((s) => s.close()));
    this.heap.clear();
  }
}

interface ChosenFile {
  bundle: number;
  index: BundleIndex;
  fileNo: number;
  f: FileIndex;
  shift: Micros;
}

/** The files a merge reads, in (bundle, node, path) order; the others go to `skipped` with the reason. */
function chooseFiles(inputs: readonly MergeInput[], skipped: (MergeFileNote & { reason: string })[]): ChosenFile[] {
  const chosen: ChosenFile[] = [];
  inputs.forEach((input, bundle) => {
    input.index.files.forEach((f, fileNo) => {
      const reason = f.skipped
        ? f.skipped
        : f.duplicateOf
          ? `a copy of ${f.duplicateOf}, which is read instead`
          : f.firstTime === undefined || f.lastTime === undefined
            ? 'no line with a time in it'
            : undefined;
      if (reason) skipped.push({ bundle, file: f.path, reason });
      else if (!input.files || input.files(f, fileNo))
        chosen.push({ bundle, index: input.index, fileNo, f, shift: input.offsets[f.node] ?? 0 });
    });
  });
  return chosen.sort((a, b) =>
    compareFiles({ bundle: a.bundle, node: a.f.node, file: a.f.path }, { bundle: b.bundle, node: b.f.node, file: b.f.path }),
  );
}

/**
 * The (corrected) times the merged log of `inputs` spans, and how densely its lines come near `at` (lines
 * per µs, from the checkpoints around it in every file): where paging back can stop, and how wide a window
 * back from `at` should be to hold a page.
 */
export async function mergeSpan(
  inputs: readonly MergeInput[],
  at?: Micros,
): Promise<{ earliest: Micros; latest: Micros; density: number }> {
  let earliest = Number.POSITIVE_INFINITY;
  let latest = Number.NEGATIVE_INFINITY;
  let lines = 0;
  let near = 0;
  for (const c of chooseFiles(inputs, [])) {
    const plan = await filePlan(c.index, c.f).catch(() => undefined);
    if (!plan) continue;
    const st = plan.stretches;
    st.forEach((s, k) => {
      earliest = Math.min(earliest, s.lo + c.shift);
      latest = Math.max(latest, s.hi + c.shift);
      if (at === undefined) return;
      const from = s.anchor + c.shift;
      const to = (k + 1 < st.length ? st[k + 1].anchor : (c.f.lastTime ?? s.anchor)) + c.shift;
      const count = (k + 1 < st.length ? st[k + 1].line : c.f.lines + 1) - s.line;
      if (from <= at && at <= to) near += count / Math.max(1, to - from);
    });
    lines += c.f.lines;
  }
  const density = near > 0 ? near : lines / Math.max(1, latest - earliest);
  return { earliest, latest, density };
}
