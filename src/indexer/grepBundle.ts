import * as path from 'node:path';
import type { BundleIndex, FileIndex } from '../core/model';
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
}

/** One file's counts or numbers, for searches that keep no lines. */
export type FileAggregate = Omit<GrepFileResult, 'hits'> & { file: number };

export interface GrepResult {
  hits: BundleHit[];
  truncated: boolean;
  bytes: number;
  files: number;
  /** Files that could not be read this time (deleted or made unreadable since indexing): named, not fatal. */
  unreadable: { file: string; message: string }[];
  /** Per file, what a counting or numbers search kept. */
  aggregates: FileAggregate[];
}

/**
 * Searches every indexed file of a bundle (copies and skipped files left out), in parallel when the
 * bundle is big. Hits come back in file order; callers sort by time.
 */
export async function grepBundle(bundle: BundleIndex, pattern: GrepPattern, options: GrepOptions = {}): Promise<GrepResult> {
  const maxMatches = options.maxMatches ?? 100_000;
  const files = bundle.files.map((f, i) => ({ f, i })).filter(({ f }) => !f.skipped && !f.duplicateOf && f.lines > 0);
  const totalBytes = files.reduce((n, { f }) => n + f.size, 0);
  const workers = options.workers ?? (totalBytes > 32 * 1024 * 1024 && files.length > 1 ? 2 : 0);
  const script = workers > 0 ? ScanPool.workerScript() : undefined;
  const pool = script ? new ScanPool(Math.min(workers, files.length), script) : undefined;
  const results = new Array<GrepFileResult>(bundle.files.length);
  // Numbers kept so far: later files get what is left of the limit, so memory stays bounded. Lines keep
  // the limit per file, so which lines survive a truncation does not depend on which file finished first.
  let kept = 0;
  let done = 0;
  let truncated = false;
  const unreadable: GrepResult['unreadable'] = [];
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
          maxMatches: keep?.kind === 'numbers' ? Math.max(1, maxMatches - kept) : maxMatches,
          keep,
          // What the index saw: a file that grew is searched up to there, and the file must be in the bundle.
          size: f.size,
          root: bundle.root,
        };
        try {
          const r = pool ? await pool.grep(request) : await grepFile(request);
          results[i] = r;
          kept += r.numbers?.length ?? 0;
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
  const hits: BundleHit[] = [];
  const aggregates: FileAggregate[] = [];
  let bytes = 0;
  results.forEach((r, file) => {
    if (!r) return;
    bytes += r.bytes;
    truncated ||= r.truncated;
    for (const h of r.hits) hits.push({ ...h, file });
    if (r.buckets || r.numbers) aggregates.push({ ...r, hits: undefined, file } as FileAggregate);
  });
  if (hits.length > maxMatches) {
    hits.length = maxMatches;
    truncated = true;
  }
  return { hits, truncated, bytes, files: files.length, unreadable, aggregates };
}
