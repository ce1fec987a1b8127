import { buildSearchIndex, type SearchBuildStats } from '../indexer/bundleSearch';
import { cacheDirProblem } from '../indexer/indexCache';
import { SearchIndex } from '../indexer/searchStore';
import { searched, type GrepOptions, type GrepResult } from '../indexer/grepBundle';
import type { BundleHandle } from './bundleHandle';
import type { SearchCoverage, SearchUse } from './results';

/**
 * Reads the bundle's saved search index, if any, into the handle; what stands in the way (none built yet,
 * no cache, damaged) goes to `searchMissing`, for the notes of the answers that read every byte instead.
 */
export async function loadSearchIndex(handle: BundleHandle): Promise<void> {
  delete handle.search;
  const why = await noCacheReason(handle);
  if (why) {
    handle.searchMissing = why;
    return;
  }
  const loaded = await SearchIndex.load(handle.cacheDir as string, handle.root);
  if (loaded.index) {
    handle.search = loaded.index;
    delete handle.searchMissing;
  } else handle.searchMissing = loaded.problem;
}

async function noCacheReason(handle: BundleHandle): Promise<string | undefined> {
  if (!handle.cacheDir) return 'no search index (indexes are not saved for this bundle)';
  const refused = await cacheDirProblem(handle.cacheDir, handle.root);
  return refused ? 'no search index (the cache folder is inside the bundle)' : undefined;
}

export interface SearchBuildControl {
  signal?: AbortSignal;
  onProgress?(doneBytes: number, totalBytes: number): void;
  workers?: number;
}

/**
 * Builds (or brings up to date) the bundle's search index in its cache folder and starts using it. Files
 * unchanged since the last build are not read; appended ones are read from their last block on. Undefined
 * when the bundle's indexes are not saved (then searches read every byte, and say so).
 */
export async function buildBundleSearch(handle: BundleHandle, control: SearchBuildControl = {}): Promise<SearchBuildStats | undefined> {
  const why = await noCacheReason(handle);
  if (why) {
    handle.searchMissing = why;
    return undefined;
  }
  const stats = await buildSearchIndex(handle.index, handle.cacheDir as string, { previous: handle.search, ...control });
  await loadSearchIndex(handle);
  return stats;
}

/**
 * How much of a bundle its search index covers as the files are now: the files (and their bytes) a search
 * skips blocks of. The rest — `.gz`, files under 8 blocks, files changed since the build — are read whole.
 */
export function searchCoverage(bundles: readonly BundleHandle[]): SearchCoverage {
  const out: SearchCoverage = { files: 0, bytes: 0, coveredFiles: 0, coveredBytes: 0 };
  for (const b of bundles) {
    for (const f of b.index.files) {
      if (!searched(f)) continue;
      out.files++;
      out.bytes += f.size;
      if (b.search?.current(f)) {
        out.coveredFiles++;
        out.coveredBytes += f.size;
      }
    }
  }
  return out;
}

/** The grep options that make a bundle's search use its search index (or say why it cannot). */
export function searchWith(b: BundleHandle): Pick<GrepOptions, 'search' | 'searchMissing'> {
  return { search: b.search, searchMissing: b.searchMissing };
}

/** Adds one bundle's search to what an answer says about the search index. */
export function addSearchUse(use: SearchUse, r: Pick<GrepResult, 'skippedBytes' | 'searchNote'>): SearchUse {
  use.skippedBytes += r.skippedBytes;
  if (r.searchNote && !use.note?.includes(r.searchNote)) use.note = use.note ? `${use.note}; ${r.searchNote}` : r.searchNote;
  return use;
}
