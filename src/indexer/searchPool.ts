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
