import * as path from 'node:path';
import { readLineWindow } from '../indexer/lineWindow';
import type { BundleHandle } from './bundleHandle';
import type { FileWindow } from './results';

/** At most this many lines per window: the view pages, the server never holds a file. */
const MAX_WINDOW_LINES = 5000;

/**
 * Lines `from`..`to` of a bundle file, read from the checkpoint before them (for files too large to open).
 * Only a file of the index is read (never a path the caller made up), only while it is a regular file
 * inside the bundle, and never past the size the index saw.
 */
export async function fileWindow(b: BundleHandle, relPath: string, from: number, to: number): Promise<FileWindow> {
  const first = Math.max(1, Math.floor(from));
  const last = Math.min(Math.max(first, Math.floor(to)), first + MAX_WINDOW_LINES);
  const file = b.queries.file(relPath)?.file;
  if (!file) return { lines: [`(${relPath} is not an indexed file of this bundle: not read)`] };
  if (file.gzip) return { lines: [`(${relPath} is gzip-compressed: open it decompressed to read it here)`] };
  const abs = path.join(b.root, ...file.path.split('/'));
  try {
    return {
      lines: await readLineWindow(abs, file.checkpoints, first, last, { maxBytes: file.size, root: b.root }),
      totalLines: file.lines,
    };
  } catch (e) {
    return { lines: [`(${relPath} could not be read: ${(e as Error).message})`] };
  }
}
