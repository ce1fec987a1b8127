import * as service from '../service';
import type { SearchIndexStatus } from '../shared/protocol';
import type { BundleState } from './bundleStore';

/**
 * Builds the bundles' search indexes in the background once their event indexes are served: leaders,
 * overlaps and the timeline never wait for it. One bundle at a time, in worker threads; a reindex stops
 * the build under way and starts a new one when it is done (files unchanged are copied, not read again).
 * Until a build finishes, searches use the last search index for the files it still describes and read
 * the rest whole, saying so.
 */
export class SearchBuilds {
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly status: (s: SearchIndexStatus) => void,
    private readonly log: (message: string) => void,
  ) {}

  /** Stops the build under way (a reindex is about to replace the handles it builds for). */
  async stop(): Promise<void> {
    this.abort?.abort();
    await this.running;
  }

  /** Builds every bundle's search index that is missing or behind, in order. */
  start(bundles: readonly BundleState[]): void {
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    const previous = this.running;
    this.running = (async () => {
      await previous;
      await this.buildAll(bundles, abort.signal);
    })();
  }

  private async buildAll(bundles: readonly BundleState[], signal: AbortSignal): Promise<void> {
    const handles = bundles.flatMap((b) => (b.handle?.cacheDir ? [b.handle] : []));
    const total = handles.reduce((n, h) => n + h.index.files.reduce((m, f) => m + f.size, 0), 0);
    if (handles.length === 0) {
      const why = bundles.find((b) => b.handle)?.handle?.searchMissing;
      this.status({ state: 'off', doneBytes: 0, totalBytes: 0, note: why });
      return;
    }
    let before = 0;
    for (const h of handles) {
      if (signal.aborted) return;
      const size = h.index.files.reduce((m, f) => m + f.size, 0);
      const started = Date.now();
      h.searchMissing = 'the search index is being built';
      this.status({ state: 'building', doneBytes: before, totalBytes: total });
      try {
        const built = await service.buildBundleSearch(h, {
          signal,
          onProgress: (done) => this.status({ state: 'building', doneBytes: before + done, totalBytes: total }),
        });
        if (built)
          this.log(
            `search index of ${h.root}: ${built.built} files read, ${built.kept} kept, ${built.extended} extended, in ${Date.now() - started} ms`,
          );
      } catch (e) {
        if (signal.aborted) return;
        h.searchMissing = `the search index could not be built (${(e as Error).message})`;
        this.log(`search index of ${h.root} not built: ${(e as Error).message}`);
      }
      before += size;
    }
    this.status({ state: 'ready', doneBytes: total, totalBytes: total, coverage: service.searchCoverage(handles) });
  }
}
