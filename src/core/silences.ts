import type { BundleIndex, FileIndex, Gap, ProcessRun } from './model';
import type { Micros } from './time';

/**
 * Silences: a process that writes steadily and then stops for much longer than its usual spacing (a SIGSTOP,
 * a GC stall, a frozen VM, a hang). The scan records per file every step of at least `MIN_GAP_US` between
 * consecutive dated lines (`FileIndex.gaps`) and a histogram that samples, at each whole second, the step
 * spanning it (`FileIndex.gapHistogram`). Here each process run's files are joined (with the step across
 * each rotation), its usual spacing is read from the merged histogram, and the steps far beyond it kept.
 */

/** Shortest step between two dated lines the scan records as a gap. */
export const MIN_GAP_US = 1_000_000;
/**
 * A step this long between consecutive dated lines is no silence of a running process but a line whose
 * year was read differently (yearless glog lines among dated ones), or the clock set forward: the scan
 * does not count it, and a rotation gap this long is none either.
 */
export const MAX_STEP_US = 86_400_000_000;
/** Gaps one file keeps; when the list is full the shorter half is dropped and the bar raised. */
export const MAX_GAPS = 512;
/** Buckets of the step histogram: 0 for no step, b for [2^(b-1), 2^b) µs, the last for everything longer (12.7 days). */
export const GAP_BUCKETS = 42;

/** The histogram bucket of a step of `us` microseconds (≥ 0). */
export function gapBucket(us: number): number {
  if (us < 1) return 0;
  if (us < 2147483648) return 32 - Math.clz32(us);
  const b = Math.floor(Math.log2(us)) + 1;
  return b < GAP_BUCKETS ? b : GAP_BUCKETS - 1;
}

/**
 * A silence is at least this many times the run's usual spacing … Measured on the real corpus (the longest
 * step of each run over its usual spacing): steady writers stay under 3× (Caffe, Mesos, Hadoop daemons,
 * LogHub's ZooKeeper), a Spark executor idle between two stages reaches 7.8×; the two holes that are real
 * (LogHub Hadoop_2k's job cut off from the network, 35×; the ZOOKEEPER-3157 quorum hanging until its
 * client timed out, 15×) are above 10. At 20 the hang would be missed.
 */
export const SILENCE_FACTOR = 10;
/** … and never shorter than this. */
export const MIN_SILENCE_US = MIN_GAP_US;
/** A run needs this many seconds of lines before its spacing says what is usual. */
export const MIN_SAMPLES = 30;

export interface Silence {
  node: string;
  program: string;
  pid?: number;
  /** Time of the last line before the silence and of the first line after it (wall clock as written). */
  from: Micros;
  to: Micros;
  seconds: number;
  /** The run's usual spacing between dated lines (see `usualSpacing`). */
  usualSpacingMs: number;
  /** Bundle-relative path, line and byte offset of the first line after the silence. */
  file: string;
  line: number;
  offset: number;
  /** Bundle-relative path and line of the last line before it (another file across a rotation). */
  fileBefore: string;
  lineBefore: number;
}

/**
 * The usual spacing of a log from its step histogram, which samples at each whole second the step between
 * the dated lines around it: the median of those samples, the time-weighted median step. Pick a random
 * moment of the run; half the time the step around it is shorter than this. Unlike a percentile of the
 * steps themselves it is blind to bursts (ten lines in one millisecond, then a pause, is spaced by the
 * pause), and long holes cannot move it while they fill less than half of the run. Undefined for fewer
 * than `MIN_SAMPLES` samples.
 */
export function usualSpacing(histogram: readonly number[]): Micros | undefined {
  let total = 0;
  for (const n of histogram) total += n;
  if (total < MIN_SAMPLES) return undefined;
  let seen = 0;
  for (let b = 0; b < histogram.length; b++) {
    const n = histogram[b];
    if (n > 0 && seen + n >= total / 2) {
      if (b === 0) return 0;
      // Geometric interpolation inside [2^(b-1), 2^b).
      return 2 ** (b - 1) * 2 ** ((total / 2 - seen) / n);
    }
    seen += n;
  }
  return undefined;
}

/** The shortest silence of a run whose usual spacing is `usual`. */
export function silenceThreshold(usual: Micros): Micros {
  return Math.max(MIN_SILENCE_US, SILENCE_FACTOR * usual);
}

const cache = new WeakMap<readonly FileIndex[], Silence[]>();

/**
 * Every silence of the bundle, sorted by start: per process run, the gaps of its files (inside the run's
 * own stretch of them: a restart is a new run, not a silence) and the steps across its rotations, kept when
 * at least `silenceThreshold` of the run's usual spacing. Computed once per bundle.
 */
export function silences(bundle: BundleIndex): Silence[] {
  let list = cache.get(bundle.files);
  if (!list) {
    list = [];
    for (const run of bundle.processes) list.push(...runSilences(bundle.files, run));
    list.sort((a, b) => a.from - b.from || a.node.localeCompare(b.node) || a.file.localeCompare(b.file) || a.line - b.line);
    cache.set(bundle.files, list);
  }
  return list;
}

/** The silences of one run. */
export function runSilences(files: readonly FileIndex[], run: ProcessRun): Silence[] {
  const members = run.files.filter((i) => files[i] && !files[i].skipped && !files[i].duplicateOf);
  if (members.length === 0) return [];
  const histogram = new Array<number>(GAP_BUCKETS).fill(0);
  for (const i of members) {
    const h = files[i].gapHistogram;
    if (h) for (let b = 0; b < GAP_BUCKETS && b < h.length; b++) histogram[b] += h[b];
  }
  const usual = usualSpacing(histogram);
  if (usual === undefined) return [];
  const threshold = silenceThreshold(usual);
  const out: Silence[] = [];
  const first = run.files[0];
  const last = run.files[run.files.length - 1];
  // A line belongs to the run when it lies in [startOffset, endOffset) of the run's first and last files.
  const inside = (fi: number, offset: number) => (fi !== first || offset > run.startOffset) && (fi !== last || offset < run.endOffset);
  const push = (g: Gap, f: FileIndex, before: FileIndex) =>
    out.push({
      node: run.node,
      program: run.program,
      ...(run.pid !== undefined ? { pid: run.pid } : {}),
      from: g.from,
      to: g.to,
      seconds: Math.round(g.to - g.from) / 1e6,
      usualSpacingMs: Math.round(usual / 100) / 10,
      file: f.path,
      line: g.line,
      offset: g.offset,
      fileBefore: before.path,
      lineBefore: g.lineBefore,
    });
  let previous: FileIndex | undefined;
  for (const fi of members) {
    const f = files[fi];
    // The step across a rotation: from the last file's latest line to this one's first.
    const a = previous?.lastDated;
    const b = f.firstDated;
    if (previous && a && b && b[2] - a[2] >= threshold && b[2] - a[2] < MAX_STEP_US && inside(fi, b[1]))
      push({ from: a[2], to: b[2], line: b[0], offset: b[1], lineBefore: a[0] }, f, previous);
    for (const g of f.gaps ?? []) if (g.to - g.from >= threshold && inside(fi, g.offset)) push(g, f, f);
    if (f.lastDated) previous = f;
  }
  return out;
}

const byNode = new WeakMap<readonly Silence[], Map<string, { list: Silence[]; longest: number }>>();

/** The silences of `node` that overlap [from, to] (ends included), sorted by start. Indexed once per list. */
export function silencesTouching(list: readonly Silence[], node: string, from: Micros, to: Micros): Silence[] {
  let index = byNode.get(list);
  if (!index) {
    index = new Map();
    for (const s of list) {
      let entry = index.get(s.node);
      if (!entry) index.set(s.node, (entry = { list: [], longest: 0 }));
      entry.list.push(s);
      entry.longest = Math.max(entry.longest, s.to - s.from);
    }
    for (const entry of index.values()) entry.list.sort((a, b) => a.from - b.from);
    byNode.set(list, index);
  }
  const entry = index.get(node);
  if (!entry) return [];
  // The first silence starting after `to`; every touching one starts before it and at most `longest` before `from`.
  let lo = 0;
  let hi = entry.list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (entry.list[mid].from <= to) lo = mid + 1;
    else hi = mid;
  }
  const out: Silence[] = [];
  for (let i = lo - 1; i >= 0 && entry.list[i].from >= from - entry.longest; i--) if (entry.list[i].to >= from) out.push(entry.list[i]);
  return out.reverse();
}
