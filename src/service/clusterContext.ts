import * as path from 'node:path';
import { formatById, parseLine, stripNul } from '../core/formats';
import type { Micros } from '../core/time';
import { clusterContext as readContext } from '../indexer/contextWindow';
import { clockAt } from '../indexer/grepFile';
import { readLineWindow } from '../indexer/lineWindow';
import type { BundleHandle } from './bundleHandle';
import { foundLine } from './present';
import type { ContextResult } from './results';
import { offsetsUs, type ServiceContext } from './serviceContext';

/** How far above a line without a time we look for its entry's time. */
const LINES_UP = 50;
/** Lines one file gives the answer at most; a file with more in the window is named in `truncatedFiles`. */
const MAX_LINES_PER_FILE = 5000;

export interface ContextParams {
  /** The moment (wall-clock micros, as the user typed it, already in corrected time). */
  time?: Micros;
  /** The bundle to read; without `time`, the moment of this line of its file (its node's offset applied). */
  origin?: { bundle: BundleHandle; file: string; line?: number };
  windowSeconds: number;
}

/**
 * What every node wrote within ±window of a moment, interleaved in corrected time. Opened from a line, that
 * line's bundle is read and the line comes back marked; opened at a time, the first bundle is.
 */
export async function clusterContext(ctx: ServiceContext, params: ContextParams): Promise<ContextResult> {
  const empty = {
    windowSeconds: params.windowSeconds,
    lines: [],
    truncatedFiles: [],
    maxLinesPerFile: MAX_LINES_PER_FILE,
    unreadable: [],
    skippedFiles: [],
    notes: [],
  };
  const b = params.origin?.bundle ?? ctx.bundles[0];
  if (!b) return { ...empty, problem: 'No bundle is indexed.' };
  const offsets = offsetsUs(ctx);
  let center = params.time;
  let origin: { file: number; line: number } | undefined;
  if (center === undefined && params.origin?.line !== undefined) {
    const found = b.queries.file(params.origin.file);
    if (!found) return { ...empty, problem: `${params.origin.file} is not an indexed file of the bundle.` };
    if (found.file.gzip) return { ...empty, problem: `${params.origin.file} is gzip-compressed: give the moment as a time instead.` };
    const line = params.origin.line;
    center = await timeOfLine(b, found.index, line);
    if (center !== undefined) center += offsets[found.file.node] ?? 0;
    origin = { file: found.index, line };
  }
  if (center === undefined) return { ...empty, problem: `That line has no time, and none of the ${LINES_UP} lines above it either.` };
  const r = await readContext(b.index, center, Math.round(params.windowSeconds * 1e6), offsets, MAX_LINES_PER_FILE);
  return {
    center,
    centerLabel: ctx.label(center),
    windowSeconds: params.windowSeconds,
    truncatedFiles: r.truncatedFiles,
    maxLinesPerFile: MAX_LINES_PER_FILE,
    unreadable: r.unreadable,
    skippedFiles: r.skippedFiles,
    notes: r.notes,
    lines: r.lines.map((l) => ({ ...foundLine(ctx, b, l, l.corrected), origin: origin?.file === l.file && origin.line === l.line })),
  };
}

/** A line's own time, or its entry's: read a few lines up to it and parse, dated by the checkpoint above it. */
async function timeOfLine(b: BundleHandle, fileNo: number, line: number): Promise<Micros | undefined> {
  const f = b.index.files[fileNo];
  const lines = await readLineWindow(path.join(b.root, ...f.path.split('/')), f.checkpoints, Math.max(1, line - LINES_UP), line, {
    maxBytes: f.size,
    root: b.root,
  });
  const clock = clockAt(
    f.checkpoints.filter((c) => c[0] <= line),
    Number.MAX_SAFE_INTEGER,
  );
  for (let i = lines.length - 1; i >= 0; i--) {
    const t = parseLine(formatById(f.format), stripNul(lines[i]), clock)?.time;
    if (t !== undefined) return t;
  }
  return undefined;
}
