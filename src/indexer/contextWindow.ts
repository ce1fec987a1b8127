import * as path from 'node:path';
import { formatById, parseLine, stripNul } from '../core/formats';
import type { BundleIndex, Checkpoint } from '../core/model';
import type { ClockOffsets } from '../core/overlaps';
import type { Micros } from '../core/time';
import { RollingYearClock } from '../core/yearClock';
import { monthDay } from '../core/time';
import { openRegular } from './readChunks';

export interface ContextLine {
  file: number;
  line: number;
  /** The line's time as written, and corrected by its node's clock offset. */
  time: Micros;
  corrected: Micros;
  text: string;
}

const MAX_TEXT = 2000;
const READ_BYTES = 256 * 1024;

/**
 * Seed 000's "check every node at 2023-03-14T01:35:51": every line of every file whose (corrected) time
 * falls within [center − radius, center + radius], read from the checkpoint just before the window — a
 * few kilobytes per file, however large the bundle. Continuation lines keep their entry's time.
 */
export async function clusterContext(
  bundle: BundleIndex,
  center: Micros,
  radius: Micros,
  offsets: ClockOffsets = {},
  maxLinesPerFile = 5000,
): Promise<{ lines: ContextLine[]; truncatedFiles: string[]; unreadable: { file: string; message: string }[] }> {
  const out: ContextLine[] = [];
  const truncatedFiles: string[] = [];
  const unreadable: { file: string; message: string }[] = [];
  await Promise.all(
    bundle.files.map(async (f, file) => {
      if (f.skipped || f.duplicateOf || f.gzip || f.firstTime === undefined || f.lastTime === undefined) return;
      const shift = offsets[f.node] ?? 0;
      const lo = center - radius - shift;
      const hi = center + radius - shift;
      if (f.lastTime < lo || f.firstTime > hi) return;
      const [start, startLine] = readStart(f.checkpoints, lo, f.size);
      const format = formatById(f.format);
      const anchor = f.checkpoints.find((c) => c[1] === start) ?? f.checkpoints[0];
      const clock = new RollingYearClock(anchor ? monthDay(anchor[2]) : { year: 2000, month: 0, day: 0 });
      let line = startLine;
      let current: Micros | undefined;
      let kept = 0;
      let partial = '';
      let opened: Awaited<ReturnType<typeof openRegular>> | undefined;
      try {
        // Only a regular file inside the bundle, and never past the size the index saw.
        opened = await openRegular(path.join(bundle.root, ...f.path.split('/')), bundle.root);
        const end = Math.min(opened.size, f.size);
        const buf = Buffer.allocUnsafe(READ_BYTES);
        outer: for (let pos = start; pos < end;) {
          const { bytesRead } = await opened.fh.read(buf, 0, Math.min(buf.length, end - pos), pos);
          if (bytesRead === 0) break;
          pos += bytesRead;
          const text = partial + buf.toString('latin1', 0, bytesRead);
          let from = 0;
          for (let nl = text.indexOf('\n', from); nl >= 0; nl = text.indexOf('\n', from)) {
            const raw = text.slice(from, Math.min(nl, from + MAX_TEXT)).replace(/\r$/, '');
            const p = parseLine(format, stripNul(raw), clock);
            if (p) current = p.time;
            if (current !== undefined && current > hi && p) break outer;
            if (current !== undefined && current >= lo && current <= hi) {
              out.push({ file, line, time: current, corrected: current + shift, text: Buffer.from(raw, 'latin1').toString('utf8') });
              if (++kept >= maxLinesPerFile) {
                truncatedFiles.push(f.path);
                break outer;
              }
            }
            line++;
            from = nl + 1;
          }
          partial = text.slice(from);
        }
      } catch (e) {
        // Deleted or made unreadable since indexing: say so, keep the other nodes' lines.
        unreadable.push({ file: f.path, message: (e as Error).message });
      } finally {
        await opened?.fh.close();
      }
    }),
  );
  out.sort(
    (a, b) =>
      a.corrected - b.corrected || bundle.files[a.file].node.localeCompare(bundle.files[b.file].node) || a.file - b.file || a.line - b.line,
  );
  return { lines: out, truncatedFiles, unreadable };
}

/**
 * Where to start reading: the last checkpoint dated before the window (times may step back, so scan all).
 * Checkpoints that cannot be right (negative, out of order, past the file) end the search: read from there.
 */
function readStart(checkpoints: readonly Checkpoint[], lo: Micros, size: number): [offset: number, line: number] {
  let best: Checkpoint | undefined;
  let prev: Checkpoint = [1, 0, 0];
  for (const c of checkpoints) {
    if (!Number.isSafeInteger(c[0]) || !Number.isSafeInteger(c[1]) || c[0] < prev[0] || c[1] < prev[1] || c[1] > size) break;
    prev = c;
    if (c[2] < lo) best = c;
    else if (best) break;
  }
  return best ? [best[1], best[0]] : [0, 1];
}
