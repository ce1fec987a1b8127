import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Errors of one entry's path (a file in the way, a name too long): that entry is refused, the rest go on. */
const ENTRY_ERRORS = new Set(['EISDIR', 'ENOTDIR', 'EEXIST', 'ENAMETOOLONG', 'EINVAL', 'EILSEQ']);

/** Bytes gathered before one write: a gunzip hands over small chunks, and one write each is slow. */
const WRITE_BATCH = 1 << 20;

const codeOf = (e: unknown) => (e as NodeJS.ErrnoException).code ?? '';

/** Why an entry could not be written under its path, in words for a note; rethrows errors of the disk itself. */
function entryProblem(e: unknown): string {
  const code = codeOf(e);
  if (!ENTRY_ERRORS.has(code)) throw e;
  if (code === 'ENAMETOOLONG') return 'name too long for this file system, not extracted';
  return `another entry is in the way (${code}), not extracted`;
}

/**
 * The folder an archive is unpacked into. Only regular files and folders are ever made in it (no links,
 * devices or modes from the archive), each under parts `entryParts` checked, so nothing lands outside it.
 */
export class ExtractedTree {
  constructor(readonly dest: string) {}

  private at(parts: readonly string[]): string {
    return path.join(this.dest, ...parts);
  }

  /** Makes the folder of an entry (and its parents); why not, when a file is in the way. */
  async makeDir(parts: readonly string[]): Promise<string | undefined> {
    try {
      await fs.mkdir(this.at(parts), { recursive: true, mode: 0o755 });
      return undefined;
    } catch (e) {
      return entryProblem(e);
    }
  }

  /** Opens (creates or truncates) the file of an entry, making its folders; why not, when it cannot be. */
  async openFile(parts: readonly string[]): Promise<{ fh: fs.FileHandle; file: string } | { problem: string }> {
    const file = this.at(parts);
    try {
      if (parts.length > 1) await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
      return { fh: await fs.open(file, 'w', 0o644), file };
    } catch (e) {
      return { problem: entryProblem(e) };
    }
  }

  /**
   * Writes an entry's bytes into an open file, at most `max` of them (its declared size), and closes it,
   * giving it the entry's mtime. Returns the bytes written and whether the source failed part way (a
   * truncated or damaged archive): what arrived is kept. Errors of the disk (full, I/O) are thrown.
   */
  async write(
    opened: { fh: fs.FileHandle; file: string },
    source: AsyncIterable<Buffer>,
    max: number,
    mtime?: Date,
    onBytes?: (n: number) => void,
  ): Promise<{ written: number; cut: boolean; overflow: boolean }> {
    const { fh, file } = opened;
    let written = 0;
    let cut = false;
    let overflow = false;
    let batch: Buffer[] = [];
    let batched = 0;
    const flush = async () => {
      if (batched === 0) return;
      const b = batch.length === 1 ? batch[0] : Buffer.concat(batch, batched);
      batch = [];
      batched = 0;
      await fh.write(b, 0, b.length);
    };
    try {
      try {
        for await (const chunk of source) {
          const room = max - written;
          const take = chunk.length > room ? chunk.subarray(0, room) : chunk;
          if (take.length < chunk.length) overflow = true;
          batch.push(take);
          batched += take.length;
          written += take.length;
          onBytes?.(take.length);
          if (batched >= WRITE_BATCH) await flush();
          if (overflow) break;
        }
      } catch (e) {
        if (isDiskError(e)) throw e;
        cut = true;
      }
      await flush();
    } finally {
      await fh.close();
    }
    if (mtime && Number.isFinite(mtime.getTime())) await fs.utimes(file, mtime, mtime).catch(() => undefined);
    return { written, cut, overflow };
  }
}

/** An error of the disk being written (not of the archive being read): unpacking cannot go on. */
export function isDiskError(e: unknown): boolean {
  return (
    ['ENOSPC', 'EDQUOT', 'EIO', 'EROFS', 'EACCES', 'EPERM', 'EMFILE', 'ENFILE'].includes(codeOf(e)) &&
    !!(e as NodeJS.ErrnoException).syscall
  );
}
