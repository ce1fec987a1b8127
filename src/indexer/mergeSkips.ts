import type { FileIndex } from '../core/model';
import { needleRows } from '../core/search/gramBloom';
import type { EntryFilter } from '../core/workflows/mergeFilter';
import { searchNeedle } from './grepFile';
import type { ByteRange, SearchIndex } from './searchStore';

/**
 * The filter rows of each include filter, when every one has plain text of at least a gram that its
 * matches must contain; undefined when any has none (an entry could then pass anywhere). Exclude and level
 * filters never let a block be skipped: they only take lines away.
 */
export function includeRows(filter: EntryFilter | undefined): number[][] | undefined {
  if (!filter || filter.include.length === 0) return undefined;
  const all: number[][] = [];
  for (const re of filter.include) {
    const needle = searchNeedle({ source: re.source, regex: true, ignoreCase: re.flags.includes('i') });
    const rows = needle && needleRows(needle);
    if (!rows) return undefined;
    all.push(rows);
  }
  return all;
}

/**
 * Which stretches of a file the merge must read when its include filters have these rows: those that meet
 * a block some include's text may be in. A passing entry has a line an include matches, and an entry lies
 * in one block (blocks start on checkpoints), so the stretches left out hold no passing entry. Undefined:
 * read them all (no search index for the file as it is).
 */
export function stretchesToRead(
  search: SearchIndex | undefined,
  f: FileIndex,
  rows: number[][] | undefined,
): ((from: number, to: number) => boolean) | undefined {
  if (!search || !rows) return undefined;
  const ranges: ByteRange[] = [];
  for (const r of rows) {
    const picked = search.candidates(f, r);
    if (!picked) return undefined;
    for (const range of picked) ranges.push(range); // not spread: a big file has tens of thousands
  }
  ranges.sort((a, b) => a[0] - b[0]);
  return (from, to) => {
    // The first range that ends after `from`; it must start before `to`.
    let lo = 0;
    let hi = ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid][1] <= from) lo = mid + 1;
      else hi = mid;
    }
    // Ranges of several includes may overlap: any of the next ones that starts before `to` will do.
    for (let i = lo; i < ranges.length && ranges[i][0] < to; i++) if (ranges[i][1] > from) return true;
    return false;
  };
}
