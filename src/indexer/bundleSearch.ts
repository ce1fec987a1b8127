import * as path from 'node:path';
import { searched } from './grepBundle';
import type { BundleIndex } from '../core/model';
import { buildFileSearch, extendable, summarisable, type SearchBuildRequest } from './searchBuild';
import { SearchIndex, SearchWriter } from './searchStore';
import { ScanPool } from './workerPool';

export interface SearchBuildOptions {
  /** The bundle's search index as saved before: unchanged files are copied from it, appended ones extended. */
  previous?: SearchIndex;
  /** Worker threads; default two for bundles over 32 MB. */
  workers?: number;
  signal?: AbortSignal;
  onProgress?(doneBytes: number, totalBytes: number): void;
}

/** What a build did, for the CLI's stats and the bench. */
export interface SearchBuildStats {
  file: string;
  /** Files summarised: read now, carried over unchanged, or extended after they grew. */
  built: number;
  kept: number;
  extended: number;
  /** Files a search reads whole: gzip, too few blocks, too big. */
  unindexed: number;
  bytesRead: number;
}

/**
 * Builds a bundle's search index in the cache folder, after its event index (which gives the blocks: its
 * checkpoints). Runs in worker threads, off the thread that answers; the index is written file by file.
 */
export async function buildSearchIndex(bundle: BundleIndex, cacheDir: string, options: SearchBuildOptions = {}): Promise<SearchBuildStats> {
  const files = bundle.files.filter(searched);
  const stats: SearchBuildStats = { file: '', built: 0, kept: 0, extended: 0, unindexed: 0, bytesRead: 0 };
  const todo = files.filter((f) => {
    const ok = summarisable(f);
    if (!ok) stats.unindexed++;
    return ok;
  });
  const totalBytes = todo.reduce((n, f) => n + f.size, 0);
  // Nothing changed since the last build: the saved index stands as it is (rewriting it would cost ~5 % of
  // the bundle in writes for nothing).
  const previous = options.previous;
  if (previous && previous.files === todo.length && todo.every((f) => previous.current(f))) {
    options.onProgress?.(totalBytes, totalBytes);
    return { ...stats, file: previous.file, kept: todo.length };
  }
  const workers = options.workers ?? (totalBytes > 32 * 1024 * 1024 && todo.length > 1 ? 2 : 0);
  const script = workers > 0 ? ScanPool.workerScript() : undefined;
  const pool = script ? new ScanPool(Math.min(workers, todo.length), script) : undefined;
  const writer = await SearchWriter.create(cacheDir, bundle.root);
  let writes = Promise.resolve();
  let doneBytes = 0;
  try {
    let next = 0;
    const run = async () => {
      while (next < todo.length) {
        const f = todo[next++];
        if (options.signal?.aborted) throw new Error('search index build cancelled');
        const kept = options.previous?.current(f);
        if (kept) {
          const copy = options.previous!.fileSearch(kept);
          writes = writes.then(() => writer.add(copy));
          stats.kept++;
        } else {
          const req: SearchBuildRequest = {
            absPath: path.join(bundle.root, ...f.path.split('/')),
            root: bundle.root,
            path: f.path,
            size: f.size,
            mtimeMs: f.mtimeMs,
            headHash: f.resume?.headHash,
            checkpoints: f.checkpoints,
          };
          const old = options.previous?.entry(f.path);
          if (old && extendable(old, req)) req.previous = options.previous!.fileSearch(old);
          const built = pool ? await pool.searchFilters(req) : await buildFileSearch(req);
          if (!built) stats.unindexed++;
          else {
            writes = writes.then(() => writer.add(built));
            if (req.previous) {
              stats.extended++;
              stats.bytesRead += f.size - req.previous.starts[req.previous.starts.length - 1];
            } else {
              stats.built++;
              stats.bytesRead += f.size;
            }
          }
        }
        doneBytes += f.size;
        options.onProgress?.(doneBytes, totalBytes);
        await writes;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, workers) }, run));
    await writes;
    stats.file = await writer.finish();
    return stats;
  } catch (e) {
    await writer.abandon();
    throw e;
  } finally {
    await pool?.close();
  }
}
