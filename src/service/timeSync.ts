import type { Micros } from '../core/time';
import { firstLineAtOrAfter, mergedTimeOfLine } from '../indexer/lineTimes';
import type { BundleHandle } from './bundleHandle';
import { offsetsUs, type ServiceContext } from './serviceContext';

/** A line's moment: its entry's time with its node's clock offset applied, as the merged log places it. */
export interface LineMoment {
  time: Micros;
  timeLabel: string;
}

/**
 * Where a moment falls in one file: the first line at or after it (`at`); the file's first line when the
 * moment comes before the file (`before`); its last line when the file ends before it (`after`).
 */
export interface LineAtMoment {
  line: number;
  where: 'at' | 'before' | 'after';
  /** The (corrected) time of that line, when it has one. */
  time?: Micros;
}

export interface FileAt {
  bundle: BundleHandle;
  /** The file, relative to the bundle root (`/`-separated), as the index names it. */
  file: string;
}

/** An indexed, dated file of the bundle and its node's offset (µs), or undefined: such a file stays put. */
function datedFile(ctx: ServiceContext, at: FileAt) {
  const found = at.bundle.queries.file(at.file);
  if (!found || found.file.skipped || found.file.firstTime === undefined) return undefined;
  return { f: found.file, shift: offsetsUs(ctx)[found.file.node] ?? 0 };
}

/**
 * Time sync's source: the moment of line `line` (1-based) of a bundle file — a continuation line takes its
 * entry's time —, corrected by the node's clock offset as the merge corrects it. Reads the one stretch
 * between checkpoints that holds the line. Undefined for a file with no dated line (it has no moment).
 */
export async function timeAtLine(ctx: ServiceContext, p: FileAt & { line: number }): Promise<LineMoment | undefined> {
  const d = datedFile(ctx, p);
  if (!d) return undefined;
  const own = await mergedTimeOfLine(p.bundle.index, d.f, Math.floor(p.line));
  if (own === undefined) return undefined;
  const time = own + d.shift;
  return { time, timeLabel: ctx.label(time) };
}

/**
 * Time sync's target: the line of a bundle file at a (corrected) moment — the first line at or after it in
 * merged order, so every editor and the Cluster Log view agree. Undefined for a file with no dated line.
 */
export async function lineAtTime(ctx: ServiceContext, p: FileAt & { time: Micros }): Promise<LineAtMoment | undefined> {
  const d = datedFile(ctx, p);
  if (!d) return undefined;
  const first = await firstLineAtOrAfter(p.bundle.index, d.f, p.time, d.shift);
  if (!first) return { line: Math.max(1, d.f.lines), where: 'after' };
  return { line: first.line, time: first.time, where: p.time < d.f.firstTime! + d.shift ? 'before' : 'at' };
}

/** One moment, several files (every visible editor): one answer each, in order, undefined for those that stay put. */
export function linesAtTime(ctx: ServiceContext, p: { time: Micros; files: readonly FileAt[] }): Promise<(LineAtMoment | undefined)[]> {
  return Promise.all(p.files.map((f) => lineAtTime(ctx, { ...f, time: p.time })));
}
