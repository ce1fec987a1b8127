import { createReadStream } from 'node:fs';
import type { Checkpoint } from '../core/model';

/** Lines kept per window line at most: a 10 MB line does not make a 10 MB window. */
const MAX_WINDOW_LINE = 8 * 1024;

/**
 * Lines `from`..`to` (1-based, inclusive) of a file, read from the nearest checkpoint before `from`
 * instead of from the start: a window into a multi-gigabyte log costs a few kilobytes of reading.
 */
export async function readLineWindow(absPath: string, checkpoints: readonly Checkpoint[], from: number, to: number): Promise<string[]> {
  let line = 1;
  let offset = 0;
  for (const [l, o] of checkpoints) {
    if (l > from) break;
    line = l;
    offset = o;
  }
  const out: string[] = [];
  let partial = '';
  const stream = createReadStream(absPath, { start: offset, highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of stream) {
      const text = partial + (chunk as Buffer).toString('latin1');
      let start = 0;
      for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
        if (line >= from) out.push(decode(text.slice(start, Math.min(nl, start + MAX_WINDOW_LINE))));
        line++;
        start = nl + 1;
        if (line > to) return out;
      }
      partial = text.slice(start);
      if (partial.length > MAX_WINDOW_LINE * 4) partial = partial.slice(0, MAX_WINDOW_LINE * 4);
    }
    if (partial && line >= from && line <= to) out.push(decode(partial));
    return out;
  } finally {
    stream.destroy();
  }
}

function decode(latin1: string): string {
  return Buffer.from(latin1.replace(/\r$/, ''), 'latin1').toString('utf8');
}
