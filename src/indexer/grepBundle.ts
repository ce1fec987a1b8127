import * as path from 'node:path';
import type { BundleIndex, FileIndex } from '../core/model';
import { EarliestHits } from '../core/workflows/earliestHits';
import { needleRows } from '../core/search/gramBloom';
import { plural } from '../core/plural';
import { grepFile, searchNeedle, type GrepFileResult, type GrepHit, type GrepKeep, type GrepPattern } from './grepFile';
import { GrepSink } from './grepSink';
import type { SearchIndex } from './searchStore';
import { searchPool, releaseSearchPool, searchWorkers } from './searchPool';
import { ScanPool } from './workerPool';

export interface BundleHit extends GrepHit {
  /** Index of the file in the bundle. */
  file: number;
}

export interface GrepOptions {
  /** Stop after this many matches in all (default 100 000): a runaway pattern cannot eat the memory. */
  maxMatches?: number;
  signal?: AbortSignal;
  onProgress?(doneFiles: number, totalFiles: number): void;
  /** Worker threads; default: two when the search reads enough to pay for them (see searchWorkers). */
  workers?: number;
  /** What to keep of each match, per file (count buckets shift by the file's node offset); default the lines. */
  keep?: (file: FileIndex) => GrepKeep;
  /** Lines kept overall: the earliest (by corrected time) within `maxMatches` and this many characters. */
  maxChars?: number;
  /** A file's clock offset (µs), which orders lines of several nodes in corrected time. */
  shiftUs?: (file: FileIndex) => number;
  /** The bundle's search index: blocks it rules out are not read (answers are the same, see linePieces). */
  search?: SearchIndex;
  /** Why there is no search index to use (it is still being built…), for the answer's note. */
  searchMissing?: string;
}

/** One file's counts or numbers, for searches that keep no lines. */
export type FileAggregate = Omit<GrepFileResult, 'hits'> & { file: number };

export interface GrepResult {
  hits: BundleHit[];
  truncated: boolean;
  /** Lines were cut: every matching line before this corrected time is in `hits`, none at or after it. */
  horizon?: number;
  /** The cut came among lines all at this instant: some lines at it are left out. */
  crowded?: number;
  bytes: number;
  files: number;
  /** Files that could not be read this time (deleted or made unreadable since indexing): named, not fatal. */
  unreadable: { file: string; message: string }[];
  /** Per file, what a counting or numbers search kept. */
  aggregates: FileAggregate[];
  /** Bytes the search index ruled out, not read. */
  skippedBytes: number;
  /** How the search index was used, when not for every file (none yet, the pattern has no plain text, files changed). */
  searchNote?: string;
}

/** Characters of line text a search keeps at most, overall (with the per-line cap, 16k lines of 2000, 160k of 200). */
export const DEFAULT_MAX_CHARS = 32 << 20;

/**
 * A file's lines at or after `untilUs` (its own clock) could not be kept once the bound is reached: its
 * search is told not to hand them over (the answer is the same; what a big trace moves and holds is less).
 */
function withinBound(keep: GrepKeep, untilUs: number): GrepKeep {
  if (keep.kind !== 'lines' || !Number.isFinite(untilUs)) return keep;
  return { ...keep, untilUs: Math.min(untilUs, keep.untilUs ?? Number.POSITIVE_INFINITY) };
}

/**
 * Searches every indexed file of a bundle (copies and skipped files left out), in parallel when the
 * bundle is big. Lines are bounded overall, as the earliest ones (see EarliestHits): memory is a few files'
 * worth of hits whatever the bundle. Hits come back in file order; callers sort by time.
 */
export async function grepBundle(bundle: BundleIndex, pattern: GrepPattern, options: GrepOptions = {}): Promise<GrepResult> {
  const maxMatches = options.maxMatches ?? 100_000;
  // What each file must be read of: the blocks its search index could not rule out, or all of it.
  const plan = readPlan(bundle, pattern, options);
  const toRead = plan.files.filter((p) => p.ranges?.length !== 0);
  const readBytes = toRead.reduce((n, p) => n + p.bytes, 0);
  const workers = options.workers ?? searchWorkers(readBytes, toRead.length);
  const script = workers > 0 ? ScanPool.workerScript() : undefined;
  const pool = script ? searchPool(workers, script) : undefined;
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const shift = (file: number) => options.shiftUs?.(bundle.files[file]) ?? 0;
  const timeOf = (h: BundleHit) => (h.time === undefined ? undefined : h.time + shift(h.file));
  const lines = new EarliestHits<BundleHit>(
    maxMatches,
    maxChars,
    timeOf,
    (h) => h.text.length,
    (a, b) => a.file - b.file || a.line - b.line,
  );
  const aggregates: FileAggregate[] = [];
  let bytes = 0;
  let truncated = false;
  let done = 0;
  const unreadable: GrepResult['unreadable'] = [];
  /** Folds one file's answer in as it comes; its hits go to the bounded set, never to a list of every file's. */
  const take = (r: GrepFileResult, file: number) => {
    bytes += r.bytes;
    truncated ||= r.truncated;
    if (r.buckets || r.numbers) aggregates.push({ ...r, hits: undefined, file } as FileAggregate);
    if (r.hits.length === 0 && !r.truncated) return;
    // The hits are this answer's own (a worker's message, or a sink's list): tagged in place, not copied.
    const hits = r.hits as BundleHit[];
    for (const h of hits) h.file = file;
    // A file cut at its limit was not read past its last dated line counted: lines after that time are unknown.
    const cutAt = r.truncated && r.lastTime !== undefined ? r.lastTime + shift(file) : undefined;
    lines.add(hits, cutAt);
  };
  try {
    const order = [...plan.files].sort((a, b) => b.bytes - a.bytes);
    let next = 0;
    const run = async () => {
      while (next < order.length) {
        const { f, i, ranges } = order[next++];
        if (options.signal?.aborted) throw new Error('search cancelled');
        const keep = withinBound(options.keep?.(f) ?? { kind: 'lines', maxChars }, lines.bound - shift(i));
        const request = {
          absPath: path.join(bundle.root, ...f.path.split('/')),
          gzip: f.gzip,
          format: f.format,
          checkpoints: f.checkpoints,
          pattern,
          maxMatches,
          keep,
          // What the index saw: a file that grew is searched up to there, and the file must be in the bundle.
          size: f.size,
          root: bundle.root,
          ranges,
        };
        try {
          // A file the index rules out entirely is not opened: it answers what a read finding nothing would.
          if (ranges?.length === 0) take(new GrepSink(keep, maxMatches).result(false, 0), i);
          else take(pool ? await pool.grep(request) : await grepFile(request), i);
        } catch (e) {
          unreadable.push({ file: f.path, message: (e as Error).message });
        }
        options.onProgress?.(++done, plan.files.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, workers) * 2 }, run));
  } finally {
    if (pool) releaseSearchPool(pool);
  }
  const cut = lines.result();
  aggregates.sort((a, b) => a.file - b.file);
  return {
    hits: cut.hits.sort((a, b) => a.file - b.file || a.line - b.line),
    truncated: truncated || cut.truncated,
    horizon: cut.horizon,
    crowded: cut.crowded,
    bytes,
    files: plan.files.length,
    unreadable,
    aggregates,
    skippedBytes: plan.skippedBytes,
    searchNote: plan.note,
  };
}

/** The files a search reads: indexed, not a copy of another, not empty. */
export function searched(f: FileIndex): boolean {
  return !f.skipped && !f.duplicateOf && f.lines > 0;
}

interface FilePlan {
  f: FileIndex;
  i: number;
  /** The byte ranges to read; undefined: the whole file. */
  ranges?: [number, number][];
  bytes: number;
}

/**
 * Which files a search reads, and which blocks of them: with a search index and a needle of at least one
 * gram, only the blocks whose filters hold every gram. Says why, when the index could not rule on all files.
 */
function readPlan(
  bundle: BundleIndex,
  pattern: GrepPattern,
  options: GrepOptions,
): { files: FilePlan[]; skippedBytes: number; note?: string } {
  const files: FilePlan[] = [];
  const needle = searchNeedle(pattern);
  const rows = needle && needleRows(needle);
  const index = rows ? options.search : undefined;
  let skippedBytes = 0;
  let stale = 0;
  for (const [i, f] of bundle.files.entries()) {
    if (!searched(f)) continue;
    const ranges = index && rows ? index.candidates(f, rows) : undefined;
    // A file the index should hold but does not, or holds as it was before: changed since the build.
    if (index && !ranges && index.expects(f)) stale++;
    const bytes = ranges ? ranges.reduce((n, [a, b]) => n + b - a, 0) : f.size;
    skippedBytes += f.size - bytes;
    files.push({ f, i, ranges, bytes });
  }
  let note: string | undefined;
  if (!needle && pattern.ignoreCase) note = 'a search that ignores case has no exact text to look up: every byte was read';
  else if (!needle) note = 'the pattern has no plain text every match must contain: every byte was read';
  else if (!rows) note = 'the plain text every match contains is under 4 bytes: every byte was read';
  else if (!options.search) note = `${options.searchMissing ?? 'no search index'}: every byte was read`;
  else if (stale > 0) note = `${plural(stale, 'file')} changed since the search index was built: read whole`;
  return { files, skippedBytes, note };
}
