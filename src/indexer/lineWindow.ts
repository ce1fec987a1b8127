import type { Checkpoint } from '../core/model';
import { readLines } from './lineBreaks';
import { openRegular, type ReadBounds } from './readChunks';

/** Lines kept per window line at most: a 10 MB line does not make a 10 MB window. */
const MAX_WINDOW_LINE = 8 * 1024;
const READ_BYTES = 256 * 1024;

/**
 * Lines `from`..`to` (1-based, inclusive) of a file, read from the nearest checkpoint before `from`
 * instead of from the start: a window into a multi-gigabyte log costs a few kilobytes of reading. Only a
 * regular file is read, and never past `bounds.maxBytes` (the size the index saw) or its size when opened.
 */
export async function readLineWindow(
  absPath: string,
  checkpoints: readonly Checkpoint[],
  from: number,
  to: number,
  bounds: ReadBounds = {},
): Promise<string[]> {
  const { fh, size } = await openRegular(absPath, bounds.root);
  const end = bounds.maxBytes === undefined ? size : Math.max(0, Math.min(size, bounds.maxBytes));
  let line = 1;
  let offset = 0;
  for (const [l, o] of checkpoints) {
    if (l > from) break;
    // A checkpoint that cannot be right (a damaged index) is passed over, not trusted.
    if (!Number.isSafeInteger(l) || !Number.isSafeInteger(o) || l < line || o < offset || o > end) break;
    line = l;
    offset = o;
  }
  const out: string[] = [];
  let partial = '';
  try {
    const buf = Buffer.allocUnsafe(READ_BYTES);
    for (let pos = offset; pos < end;) {
      const bytesRead = await readLines(fh, buf, pos, end);
      if (bytesRead === 0) break;
      pos += bytesRead;
      const text = partial + buf.toString('latin1', 0, bytesRead);
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
    await fh.close();
  }
}

function decode(latin1: string): string {
  return Buffer.from(latin1.replace(/\r$/, ''), 'latin1').toString('utf8');
}
