import { formatById } from '../core/formats';
import type { BundleIndex, FileIndex } from '../core/model';
import type { Micros } from '../core/time';
import { EntryGatherer } from '../core/workflows/mergeEntries';
import { chainStretches, fileStretches, MEASURE_BYTES, ORDER_SLACK, type Stretch } from '../core/workflows/mergeStretches';
import { clockAt, LineReader, openByteSource } from './mergeLineReader';

/** How the merge reads one file: its stretches (with their real range where the clock steps back) and chains. */
export interface FilePlan {
  stretches: Stretch[];
  chains: number[][];
  /** What the plan could not learn (a clock step in a stretch too large to read ahead). */
  notes: string[];
}

/** Stretches that need reading ahead, read per file at most this many (a clock that zigzags is bounded, not read whole). */
const MAX_MEASURED = 64;

/** Plans are kept per file index: an index is replaced, never changed, when its file changes. */
const plans = new WeakMap<FileIndex, Promise<FilePlan>>();

/**
 * A file's merge plan, made once per index. Where the clock steps back inside a stretch, the times at the
 * stretch's ends say nothing about its lines: such a stretch (64 KiB or so) is read ahead once to learn
 * the range its lines really span, so the merge places them exactly instead of at the checkpoint times.
 */
export function filePlan(bundle: Pick<BundleIndex, 'root'>, f: FileIndex): Promise<FilePlan> {
  let p = plans.get(f);
  if (!p) {
    p = makePlan(bundle, f);
    plans.set(f, p);
    // A plan that failed (the file gone) is tried again next time.
    p.catch(() => plans.delete(f));
  }
  return p;
}

async function makePlan(bundle: Pick<BundleIndex, 'root'>, f: FileIndex): Promise<FilePlan> {
  const stretches = fileStretches(f, ORDER_SLACK);
  const notes: string[] = [];
  const wanted = stretches.map((s, i) => ({ s, i })).filter(({ s }) => s.unbounded);
  const measurable = wanted.filter(({ s }) => s.end - s.offset <= MEASURE_BYTES).slice(0, MAX_MEASURED);
  if (measurable.length > 0) {
    const measured = await measure(
      bundle,
      f,
      measurable.map(({ s }) => s),
    );
    measurable.forEach(({ i }, k) => {
      const r = measured[k];
      if (r) stretches[i] = { ...stretches[i], lo: r.lo, hi: r.hi, unbounded: false };
    });
  }
  const left = stretches.filter((s) => s.unbounded).length;
  if (left > 0)
    notes.push(
      `the clock steps back inside ${left} stretch${left === 1 ? '' : 'es'} between checkpoints too large to read ahead: lines there are placed within the checkpoint times around them`,
    );
  return { stretches, chains: chainStretches(stretches, ORDER_SLACK), notes };
}

/** The range of entry times each stretch's lines span (read in file order, one pass, each stretch from its start). */
async function measure(
  bundle: Pick<BundleIndex, 'root'>,
  f: FileIndex,
  list: readonly Stretch[],
): Promise<({ lo: Micros; hi: Micros } | undefined)[]> {
  const src = await openByteSource(bundle, f);
  const out: ({ lo: Micros; hi: Micros } | undefined)[] = [];
  try {
    const reader = new LineReader(src, formatById(f.format));
    const fileStart = f.created ?? f.firstTime;
    for (const s of list) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      const gatherer = new EntryGatherer(f.firstTime ?? 0, (e) => {
        lo = Math.min(lo, e.time);
        hi = Math.max(hi, e.time);
      });
      reader.seek(s.offset, s.line, clockAt(s.anchor, fileStart));
      let done = false;
      while (!done) {
        const status = await reader.read((l) => {
          if (l.offset >= s.end) return !(done = true);
          gatherer.add(l);
          return true;
        });
        if (status === 'end') done = true;
      }
      gatherer.end();
      out.push(lo <= hi ? { lo, hi } : undefined);
    }
  } finally {
    await src.close();
  }
  return out;
}
