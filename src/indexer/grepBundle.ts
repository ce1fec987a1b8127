import * as path from 'node:path';
import type { BundleIndex, FileIndex } from '../core/model';
import { EarliestHits } from '../core/workflows/earliestHits';
import { grepFile, type GrepFileResult, type GrepHit, type GrepKeep, type GrepPattern } from './grepFile';
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
  /** Worker threads; default: two for bundles over 32 MB. */
  workers?: number;
  /** What to keep of each match, per file (count buckets shift by the file's node offset); default the lines. */
  keep?: (file: FileIndex) => GrepKeep;
  /** Lines kept overall: the earliest (by corrected time) within `maxMatches` and this many characters. */
  maxChars?: number;
  /** A file's clock offset (µs), which orders lines of several nodes in corrected time. */
  shiftUs?: (file: FileIndex) => number;
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
}

/** Characters of line text a search keeps at most, overall (with the per-line cap, 16k lines of 2000, 160k of 200). */
export const DEFAULT_MAX_CHARS = 32 << 20;

/**
 * Searches every indexed file of a bundle (copies and skipped files left out), in parallel when the
 * bundle is big. Lines are bounded overall, as the earliest ones (see EarliestHits): memory is a few files'
 * worth of hits whatever the bundle. Hits come back in file order; callers sort by time.
 */
export async function grepBundle(bundle: BundleIndex, pattern: GrepPattern, options: GrepOptions = {}): Promise<GrepResult> {
  const maxMatches = options.maxMatches ?? 100_000;
  const files = bundle.files.map((f, i) => ({ f, i })).filter(({ f }) => !f.skipped && !f.duplicateOf && f.lines > 0);
  const totalBytes = files.reduce((n, { f }) => n + f.size, 0);
  const workers = options.workers ?? (totalBytes > 32 * 1024 * 1024 && files.length > 1 ? 2 : 0);
  const script = workers > 0 ? ScanPool.workerScript() : undefined;
  const pool = script ? new ScanPool(Math.min(workers, files.length), script) : undefined;
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
    if (r.hits.length === 0) return;
    const hits = r.hits.map((h): BundleHit => ({ ...h, file }));
    // A file cut at its limit was not read past its last dated line kept: lines after that time are unknown.
    let cutAt: number | undefined;
    if (r.truncated) for (let i = hits.length - 1; i >= 0 && cutAt === undefined; i--) cutAt = timeOf(hits[i]);
    lines.add(hits, cutAt);
  };
  try {
    const order = [...files].sort((a, b) => b.f.size - a.f.size);
    let next = 0;
    const run = async () => {
      while (next < order.length) {
        const { f, i } = order[next++];
        if (options.signal?.aborted) throw new Error('search cancelled');
        const keep = options.keep?.(f);
        const request = {
          absPath: path.join(bundle.root, ...f.path.split('/')),
          gzip: f.gzip,
          format: f.format,
          checkpoints: f.checkpoints,
          pattern,
          maxMatches,
          keep: keep ?? { kind: 'lines', maxChars },
          // What the index saw: a file that grew is searched up to there, and the file must be in the bundle.
          size: f.size,
          root: bundle.root,
        };
        try {
          take(pool ? await pool.grep(request) : await grepFile(request), i);
        } catch (e) {
          unreadable.push({ file: f.path, message: (e as Error).message });
        }
        options.onProgress?.(++done, files.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, workers) * 2 }, run));
  } finally {
    await pool?.close();
  }
  const cut = lines.result();
  aggregates.sort((a, b) => a.file - b.file);
  return {
    hits: cut.hits.sort((a, b) => a.file - b.file || a.line - b.line),
    truncated: truncated || cut.truncated,
    horizon: cut.horizon,
    crowded: cut.crowded,
    bytes,
    files: files.length,
    unreadable,
    aggregates,
  };
}
