import { formatById } from '../core/formats';
import type { BundleIndex, FileIndex } from '../core/model';
import type { Micros } from '../core/time';
import { EntryGatherer } from '../core/workflows/mergeEntries';
import { placeIn, type Stretch } from '../core/workflows/mergeStretches';
import { clockAt, LineReader, openByteSource } from './mergeLineReader';
import { filePlan } from './mergePlan';
import { MergeReader, timeKey } from './mergeReader';

/**
 * Bytes read at most to date one line: a stretch between checkpoints is ~64 KiB, but an entry of a million
 * undated lines is one stretch. Past this the line takes the last dated line's time seen, which is its entry's.
 */
const MAX_SCAN_BYTES = 64 << 20;

/** A file as the merge reads it: a copy (a link, a severity copy) is read as itself, not skipped for its original. */
const asOwn = new WeakMap<FileIndex, FileIndex>();
function own(f: FileIndex): FileIndex {
  if (!f.duplicateOf) return f;
  let o = asOwn.get(f);
  if (!o) {
    o = { ...f };
    delete o.duplicateOf;
    delete o.copyReason;
    asOwn.set(f, o);
  }
  return o;
}

/** The stretch (merge plan) holding a 1-based line: the last one starting at or before it. */
function stretchOf(stretches: readonly Stretch[], line: number): Stretch | undefined {
  let lo = 0;
  let hi = stretches.length - 1;
  let found: Stretch | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (stretches[mid].line <= line) {
      found = stretches[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * The time the merged log gives line `line` (1-based) of a file, on the file's own clock (no offset): its
 * entry's time (a continuation line takes the dated line above it), placed within its stretch as the merge
 * places it. Reads only the stretch between the checkpoints around the line. Undefined for an undated file
 * or a line past its end.
 */
export async function mergedTimeOfLine(bundle: Pick<BundleIndex, 'root'>, file: FileIndex, line: number): Promise<Micros | undefined> {
  const f = own(file);
  if (f.skipped || f.firstTime === undefined || line < 1 || line > Math.max(f.lines, 1)) return undefined;
  const plan = await filePlan(bundle, f);
  const s = stretchOf(plan.stretches, line);
  if (!s) return undefined;
  const src = await openByteSource(bundle, f);
  try {
    const reader = new LineReader(src, formatById(f.format));
    let found: Micros | undefined;
    let lastDated: Micros | undefined;
    // One rule for entries, the merge's: the gatherer says which entry (piece) the line is in.
    const gatherer = new EntryGatherer(f.firstTime, (e) => {
      if (found === undefined && e.lines[0].line <= line && line <= e.lines[e.lines.length - 1].line) found = e.time;
    });
    reader.seek(s.offset, s.line, clockAt(s.anchor, f.created ?? f.firstTime));
    let stop = false;
    while (!stop && found === undefined) {
      const status = await reader.read((l) => {
        if (l.offset >= s.end || reader.scanned > MAX_SCAN_BYTES) return !(stop = true);
        if (l.parsed) lastDated = l.parsed.time;
        gatherer.add(l);
        // The line's entry is complete once a later dated line starts the next one.
        return found === undefined;
      });
      if (status === 'end') stop = true;
    }
    if (found === undefined) {
      gatherer.end();
      found ??= lastDated;
    }
    return found === undefined ? undefined : placeIn(found, s);
  } finally {
    await src.close();
  }
}

/** The first line of a file at or after a moment, as the merged log orders it (its time is corrected). */
export interface FirstLineAt {
  line: number;
  time: Micros;
}

/**
 * The first line of one file at or after `time` (corrected by `shift`, the node's clock offset) in merged
 * order — what the Cluster Log view shows first for that moment, restricted to the file. The merge reads
 * from the checkpoint before the moment: a few stretches, however large the file. Undefined when the file
 * ends before the moment (or has no dated line).
 */
export async function firstLineAtOrAfter(
  index: BundleIndex,
  file: FileIndex,
  time: Micros,
  shift: Micros,
): Promise<FirstLineAt | undefined> {
  const f = own(file);
  const merge = await MergeReader.open([{ index: { ...index, files: [f] }, offsets: { [f.node]: shift } }], {
    start: { key: timeKey(time), inclusive: true },
  });
  try {
    const l = await merge.next();
    return l && { line: l.line, time: l.time };
  } finally {
    await merge.close();
  }
}
