import type { BundleIndex } from '../core/model';
import type { ClockOffsets } from '../core/overlaps';
import type { Micros } from '../core/time';
import { MergeReader, timeKey } from './mergeReader';

export { UNDATED_RUN_BYTES } from './mergeLineReader';

export interface ContextLine {
  file: number;
  line: number;
  /** The line's time as written, and corrected by its node's clock offset. */
  time: Micros;
  corrected: Micros;
  text: string;
}

export interface ContextRead {
  lines: ContextLine[];
  /** Files with more lines in the window than `maxLinesPerFile`: cut there. */
  truncatedFiles: string[];
  /** Files that could not be opened or read (deleted or made unreadable since indexing). */
  unreadable: { file: string; message: string }[];
  /** Files not read at all, and why (skipped by the index, a copy of another, no time to place them by). */
  skippedFiles: { file: string; reason: string }[];
  /** Files read only in part, and what was left out (a hole of NUL bytes, a read cap). */
  notes: { file: string; note: string }[];
}

/**
 * Seed 000's "check every node at 2023-03-14T01:35:51": every line of every file whose (corrected) time
 * falls within [center − radius, center + radius] — the merged log (mergeReader.ts) over that window, so
 * each file is read only in the stretches between its checkpoints that can hold it (a clock that steps
 * back is read in both places), a few kilobytes per file however large the bundle. A `.gz` is inflated
 * from its start (bounded by the inflate cap). Continuation lines keep their entry's time. Nothing is left
 * out silently: files not read and files read in part come back with the reason.
 */
export async function clusterContext(
  bundle: BundleIndex,
  center: Micros,
  radius: Micros,
  offsets: ClockOffsets = {},
  maxLinesPerFile = 5000,
): Promise<ContextRead> {
  const merge = await MergeReader.open([{ index: bundle, offsets }], {
    start: { key: timeKey(center - radius), inclusive: true },
    stop: timeKey(center + radius + 1),
    maxLinesPerFile,
  });
  const lines: ContextLine[] = [];
  try {
    for (let l = await merge.next(); l; l = await merge.next()) {
      const shift = offsets[bundle.files[l.file].node] ?? 0;
      lines.push({ file: l.file, line: l.line, time: (l.ownTime ?? l.time) - shift, corrected: l.time, text: l.text });
    }
  } finally {
    await merge.close();
  }
  merge.placementNotes();
  // Files are listed in one order (stable, so a file's notes stay in reading order).
  const byFile = (a: { file: string }, b: { file: string }) => a.file.localeCompare(b.file);
  return {
    lines,
    truncatedFiles: merge.truncatedFiles.map((t) => t.file).sort((a, b) => a.localeCompare(b)),
    unreadable: merge.unreadable.map(({ file, message }) => ({ file, message })).sort(byFile),
    skippedFiles: merge.skipped.map(({ file, reason }) => ({ file, reason })).sort(byFile),
    notes: merge.notes.map(({ file, note }) => ({ file, note })).sort(byFile),
  };
}
