import type { BundleIndex } from '../core/model';
import type { EntryFilter } from '../core/workflows/mergeFilter';
import { encodeCursor, type MergeKey } from '../core/workflows/mergeOrder';
import { mergeSpan, MergeReader, timeKey, type MergedLine, type MergeInput, type MergeOptions } from './mergeReader';

/** What a page of the merged log is read with: the bundles and files, the entry filter, and what else decides its lines. */
export interface PageQuery {
  inputs: MergeInput[];
  filter: EntryFilter;
  /** Everything besides the cursor that decides the lines (filters, nodes, offsets, range): a read left open is reused only for the same. */
  signature: string;
}

/** A merged line's key (its place in the merged log), the cursor a page gives. */
export function keyOfLine(inputs: readonly MergeInput[], l: MergedLine): MergeKey {
  const f = inputs[l.bundle].index.files[l.file];
  return { time: l.time, bundle: l.bundle, node: f.node, file: f.path, line: l.line };
}

const indexesOf = (q: PageQuery): BundleIndex[] => q.inputs.map((i) => i.index);

/** One page of the merged log, with what its reading left out. */
export interface MergePage {
  lines: MergedLine[];
  truncated: boolean;
  unreadable: { file: string; message: string }[];
  skippedFiles: { file: string; reason: string }[];
  notes: { file: string; note: string }[];
  /** Bytes the search index ruled out (include filters): not read. */
  skippedBytes: number;
}

/**
 * A forward read left open after its page, with the line it read past the page: the next page asked from
 * that page's `next` (the editor scrolling on) continues it instead of seeking every file again — and a
 * `.gz` is not inflated from its start again. Kept briefly, two at most; an index that changed, or other
 * filters, start afresh. The answer is the same either way: the merge from a cursor is exact.
 */
interface LiveRead {
  token: string;
  signature: string;
  indexes: readonly BundleIndex[];
  reader: MergeReader;
  pending: MergedLine;
  timer: NodeJS.Timeout;
}
const LIVE_READS = 2;
const LIVE_MS = 60_000;
const live: LiveRead[] = [];

function takeLive(plan: PageQuery, token: string): LiveRead | undefined {
  const indexes = indexesOf(plan);
  const i = live.findIndex(
    (r) =>
      r.token === token &&
      r.signature === plan.signature &&
      r.indexes.length === indexes.length &&
      r.indexes.every((x, k) => x === indexes[k]),
  );
  if (i < 0) return undefined;
  const [r] = live.splice(i, 1);
  clearTimeout(r.timer);
  return r;
}

function keepLive(r: Omit<LiveRead, 'timer'>): void {
  const timer = setTimeout(() => void dropLive(entry), LIVE_MS);
  timer.unref();
  const entry: LiveRead = { ...r, timer };
  live.push(entry);
  while (live.length > LIVE_READS) void dropLive(live[0]);
}

async function dropLive(r: LiveRead): Promise<void> {
  const i = live.indexOf(r);
  if (i >= 0) live.splice(i, 1);
  clearTimeout(r.timer);
  await r.reader.close();
}

/** Closes every read left open for a next page (tests use it to take the path from a cursor alone). */
export async function forgetLiveMerges(): Promise<void> {
  await Promise.all([...live].map(dropLive));
}

/**
 * The first `limit` lines in [start, stop) (and at most `maxChars` of text), continuing the read a page
 * ending at `after` left open when there is one.
 */
export async function pageForward(
  plan: PageQuery,
  start: MergeOptions['start'],
  stop: MergeKey | undefined,
  limit: number,
  maxChars: number,
  after?: MergeKey,
): Promise<MergePage> {
  const reused = after === undefined ? undefined : takeLive(plan, encodeCursor(after));
  const merge = reused?.reader ?? (await MergeReader.open(plan.inputs, { start, stop, filter: plan.filter }));
  let pending = reused?.pending;
  const next = async () => {
    const p = pending;
    pending = undefined;
    return p ?? merge.next();
  };
  const lines: MergedLine[] = [];
  let chars = 0;
  let past: MergedLine | undefined;
  try {
    for (let l = await next(); l; l = await next()) {
      if (lines.length >= limit || chars + l.text.length > maxChars) {
        past = l;
        break;
      }
      lines.push(l);
      chars += l.text.length;
    }
  } catch (e) {
    await merge.close();
    throw e;
  }
  const page = { lines, truncated: past !== undefined, ...reported(plan, [merge]) };
  if (past && lines.length > 0)
    keepLive({
      token: encodeCursor(keyOfLine(plan.inputs, lines[lines.length - 1])),
      signature: plan.signature,
      indexes: indexesOf(plan),
      reader: merge,
      pending: past,
    });
  else await merge.close();
  return page;
}

/**
 * The last `limit` lines before `stop` (and at or after `lower`): forward reads of windows ending at `stop`,
 * each twice as long as the one before, keeping only the latest lines of each — exact, since each window
 * is the merged log itself, and memory is the page. A window starts sized to hold the page at the bundle's
 * average density.
 */
export async function pageBackward(
  plan: PageQuery,
  lower: MergeKey | undefined,
  stop: MergeKey | undefined,
  limit: number,
  maxChars: number,
): Promise<MergePage> {
  // Density where the page ends: at the stop, or the end of the log.
  const span = await mergeSpan(plan.inputs, stop?.time ?? (await mergeSpan(plan.inputs)).latest);
  const floor = Math.max(span.earliest, lower?.time ?? Number.NEGATIVE_INFINITY);
  const top = Math.min(stop?.time ?? Number.POSITIVE_INFINITY, span.latest + 1);
  const readers: MergeReader[] = [];
  let found: MergedLine[] = [];
  let chars = 0;
  let truncated = false;
  let width = Math.max(1_000_000, Math.ceil(((limit + 1) / Math.max(span.density, 1e-12)) * 2));
  let end: MergeKey | undefined = stop;
  let windowTop = top;
  while (Number.isFinite(floor) && windowTop > floor && !truncated) {
    const from = Math.max(floor, windowTop - width);
    const start = from <= floor && lower ? { key: lower, inclusive: true } : { key: timeKey(from), inclusive: true };
    const merge = await MergeReader.open(plan.inputs, { start, stop: end, filter: plan.filter });
    readers.push(merge);
    // The latest limit + 1 lines of the window: one more than the page says whether more precede.
    const want = limit + 1 - found.length;
    const ring: MergedLine[] = [];
    let head = 0;
    try {
      for (let l = await merge.next(); l; l = await merge.next()) {
        if (ring.length < want) ring.push(l);
        else {
          ring[head] = l;
          head = (head + 1) % want;
        }
      }
    } finally {
      await merge.close();
    }
    const window = [...ring.slice(head), ...ring.slice(0, head)];
    found = [...window, ...found];
    if (found.length > limit) truncated = true;
    end = timeKey(from);
    windowTop = from;
    width *= 2;
  }
  if (truncated) found = found.slice(found.length - limit);
  // The character cap keeps the latest lines.
  let cut = found.length;
  for (let i = found.length - 1; i >= 0; i--) {
    if (chars + found[i].text.length > maxChars) {
      truncated = true;
      break;
    }
    chars += found[i].text.length;
    cut = i;
  }
  return { lines: found.slice(cut), truncated, ...reported(plan, readers) };
}

/** What the readers of a page left out, each said once, in file order. */
function reported(plan: PageQuery, readers: MergeReader[]): Pick<MergePage, 'unreadable' | 'skippedFiles' | 'notes' | 'skippedBytes'> {
  const name = (b: number, file: string) => (plan.inputs.length > 1 ? `${b}:${file}` : file);
  const once = <T>(items: T[], key: (x: T) => string) => [...new Map(items.map((x) => [key(x), x])).values()];
  const byFile = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  for (const r of readers) r.placementNotes();
  const unreadable = once(
    readers.flatMap((r) => r.unreadable.map((u) => ({ file: name(u.bundle, u.file), message: u.message }))),
    (u) => u.file,
  );
  const skippedFiles = once(
    (readers[0]?.skipped ?? []).map((s) => ({ file: name(s.bundle, s.file), reason: s.reason })),
    (s) => s.file,
  );
  const notes = once(
    readers.flatMap((r) => r.notes.map((n) => ({ file: name(n.bundle, n.file), note: n.note }))),
    (n) => `${n.file}\0${n.note}`,
  );
  const skippedBytes = readers.reduce((n, r) => n + r.skippedBytes, 0);
  return { unreadable: unreadable.sort(byFile), skippedFiles: skippedFiles.sort(byFile), notes: notes.sort(byFile), skippedBytes };
}
