import { ScanPool } from './workerPool';

/** How long worker threads stay up after the last search: a burst of queries reuses them. */
const IDLE_MS = 60_000;

interface Kept {
  pool: ScanPool;
  users: number;
  idle?: NodeJS.Timeout;
}

/** One kept pool per size (searches ask for two workers; tests sometimes for another count). */
const kept = new Map<number, Kept>();

/**
 * Bytes a search reads before it hands files to worker threads. Started ones are worth it from a few dozen
 * megabytes; starting them costs ~80 ms per thread (Node's internals load in each). Measured in the CLI on
 * 1 GB bundles: 39 MB of blocks took 0.24 s in-thread and 0.32 s on two new threads, 555 MB the same either
 * way (a plain search waits on memory, which two threads share). A long-lived process (the language server)
 * starts them anyway and keeps them, and never blocks its requests on a long read; the CLI does not.
 */
const SEARCH_WORKERS = 2;
const STARTED_POOL_BYTES = 32 << 20;
const ONE_SHOT_COLD_BYTES = 192 << 20;
let coldPoolBytes = STARTED_POOL_BYTES;

/** Says the process answers one question and exits (the CLI): searches read less than ~200 MB in-thread. */
export function oneShotProcess(): void {
  coldPoolBytes = ONE_SHOT_COLD_BYTES;
}

/** Worker threads for a search reading `bytes` (of a gzip, compressed) of `files` files: two when worth it, else none. */
export function searchWorkers(bytes: number, files: number): number {
  if (files < 2) return 0;
  const started = kept.get(SEARCH_WORKERS);
  return bytes > (started && !started.pool.broken ? STARTED_POOL_BYTES : coldPoolBytes) ? SEARCH_WORKERS : 0;
}

/**
 * The worker threads searches run on, kept between searches: starting two threads costs tens of
 * milliseconds, as much as a search that reads a few dozen megabytes. Idle workers do not keep the process
 * alive, and are stopped a minute after the last search. Searches at once share the pool's queue.
 */
export function searchPool(size: number, script: string): ScanPool {
  let k = kept.get(size);
  if (k?.pool.broken && k.users === 0) {
    void k.pool.close();
    k = undefined;
  }
  if (!k || k.pool.broken) kept.set(size, (k = { pool: new ScanPool(size, script, true), users: 0 }));
  clearTimeout(k.idle);
  k.idle = undefined;
  k.users++;
  return k.pool;
}

/** A search is done with the pool: its workers stop if no other search comes within a minute. */
export function releaseSearchPool(pool: ScanPool): void {
  for (const [size, k] of kept) {
    if (k.pool !== pool) continue;
    if (--k.users > 0) return;
    k.idle = setTimeout(() => {
      if (kept.get(size) === k && k.users === 0) kept.delete(size);
      void k.pool.close();
    }, IDLE_MS);
    k.idle.unref();
    return;
  }
  // A pool replaced while in use (a worker died): closed once its last search is done.
  void pool.close();
}
