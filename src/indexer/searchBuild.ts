import { SEGMENT_BLOCKS, SegmentFilter } from '../core/search/gramBloom';
import type { Checkpoint, FileIndex } from '../core/model';
import { chunks } from './readChunks';

/**
 * Files with fewer blocks than this are not summarised: their filters would cost more than reading them
 * (a row is at least a byte, eight blocks' worth), so a search reads them whole.
 */
export const MIN_SEARCH_BLOCKS = 8;

/** Files larger than this are not summarised (their filters are held in memory while built): read whole. */
export const MAX_SEARCH_FILE_BYTES = 4 * 1024 ** 3;

/** Whether a file gets skip summaries: plain (a gzip is inflated whole anyway), not huge, enough blocks. */
export function summarisable(f: Pick<FileIndex, 'gzip' | 'size' | 'checkpoints'>): boolean {
  return !f.gzip && f.size <= MAX_SEARCH_FILE_BYTES && blockStarts(f.checkpoints).length >= MIN_SEARCH_BLOCKS;
}

/** One file's skip summaries, as built or saved. */
export interface FileSearch {
  path: string;
  size: number;
  mtimeMs: number;
  /** The event index's head hash when this was built: an appended file keeps it (see `extendable`). */
  headHash?: string;
  /** Byte offset where each block starts: 0, then the file's checkpoints. A block ends where the next starts. */
  starts: number[];
  /** Bit-sliced filters of SEGMENT_BLOCKS blocks each (the last may hold fewer). */
  segments: Uint8Array[];
}

export interface SearchBuildRequest {
  absPath: string;
  root: string;
  path: string;
  size: number;
  mtimeMs: number;
  headHash?: string;
  checkpoints: readonly Checkpoint[];
  /** The file's summaries from before it grew: its blocks are kept and only the rest is read. */
  previous?: FileSearch;
}

/** Block starts of a file: its start and every checkpoint (checkpoints sit on dated lines, so entries never straddle one). */
export function blockStarts(checkpoints: readonly Checkpoint[]): number[] {
  const starts = [0];
  for (const c of checkpoints) if (c[1] > starts[starts.length - 1]) starts.push(c[1]);
  return starts;
}

/** Whether `previous` summarises a prefix of the file as it is now: same head, smaller, blocks a prefix. */
export function extendable(
  previous: Pick<FileSearch, 'path' | 'size' | 'headHash' | 'starts'> | undefined,
  req: Pick<SearchBuildRequest, 'path' | 'size' | 'headHash' | 'checkpoints'>,
): boolean {
  if (!previous || previous.path !== req.path || previous.size >= req.size || !previous.headHash) return false;
  if (previous.headHash !== req.headHash) return false;
  const now = blockStarts(req.checkpoints);
  return previous.starts.length <= now.length && previous.starts.every((s, i) => now[i] === s);
}

/**
 * Reads a file once and builds its blocks' filters; undefined when it has too few blocks to be worth it.
 * For a file that only grew, the old filters are kept: the reading starts at its last old block (filters
 * only gain bits, so adding that block's bytes again is harmless) and continues to the new end.
 */
export async function buildFileSearch(req: SearchBuildRequest): Promise<FileSearch | undefined> {
  const starts = blockStarts(req.checkpoints);
  if (starts.length < MIN_SEARCH_BLOCKS) return undefined;
  const prev = extendable(req.previous, req) ? req.previous : undefined;
  const segments: Uint8Array[] = [];
  let from = 0;
  let filter: SegmentFilter | undefined;
  let segStart = 0;
  if (prev && prev.starts.length > 0) {
    const lastBlock = prev.starts.length - 1;
    segStart = Math.floor(lastBlock / SEGMENT_BLOCKS) * SEGMENT_BLOCKS;
    segments.push(...prev.segments.slice(0, segStart / SEGMENT_BLOCKS));
    filter = SegmentFilter.widened(
      prev.segments[segStart / SEGMENT_BLOCKS],
      prev.starts.length - segStart,
      segBlocks(starts.length, segStart),
    );
    from = prev.starts[lastBlock];
  }
  filter ??= new SegmentFilter(segBlocks(starts.length, 0));
  let block = blockAt(starts, from);
  for await (const chunk of chunks(req.absPath, false, from, { maxBytes: req.size, root: req.root })) {
    let i = 0;
    while (i < chunk.length) {
      const at = from + i;
      while (block + 1 < starts.length && starts[block + 1] <= at) block++;
      if (block - segStart >= SEGMENT_BLOCKS) {
        segments.push(filter.matrix);
        segStart += SEGMENT_BLOCKS;
        filter = new SegmentFilter(segBlocks(starts.length, segStart));
      }
      const end = block + 1 < starts.length ? Math.min(chunk.length, starts[block + 1] - from) : chunk.length;
      filter.add(chunk, i, end, block - segStart);
      i = end;
    }
    from += chunk.length;
  }
  segments.push(filter.matrix);
  return { path: req.path, size: req.size, mtimeMs: req.mtimeMs, headHash: req.headHash, starts, segments };
}

/** Blocks in the segment that starts at block `segStart`. */
function segBlocks(total: number, segStart: number): number {
  return Math.min(SEGMENT_BLOCKS, total - segStart);
}

/** The block holding byte `offset`. */
function blockAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
