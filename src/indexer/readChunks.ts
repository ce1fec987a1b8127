import { createHash } from 'node:crypto';
import { constants as fsConstants, promises as fs, readSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import { inflateGzip, type GzipEnd } from './gzipReader';
import { loneCrToLf, readLines } from './lineBreaks';

export const CHUNK_BYTES = 4 << 20;

/**
 * A gzip member inflates to at most this much: a bomb (18 MB that claims terabytes) is read up to here and
 * a note says so. 16 GiB is ~1000× the largest rotated log we have seen compressed, ample for real logs.
 */
export const GZIP_INFLATED_CAP = 16 * 1024 ** 3;

/** How far a read may go, and what the reader saw when it opened the file. */
export interface ReadBounds {
  /** Bytes of the file read at most: the size the walk saw. A file that grew since is read up to here. */
  maxBytes?: number;
  /** Inflated bytes of a gzip read at most (default GZIP_INFLATED_CAP). */
  maxInflated?: number;
  /** When set, the opened file must lie inside this folder (checked on the open descriptor). */
  root?: string;
  /**
   * Filled in by the reader: the file's size and mtime at open, why the read stopped early if a cap stopped
   * it, and for a gzip whether it was cut short or broke (the bytes before the break are still read).
   */
  seen?: { size: number; mtimeMs: number; cut?: string } & GzipEnd;
}

/** Raised for a path that is not a regular file when opened (a FIFO or device swapped in after the walk). */
export class NotRegularFileError extends Error {
  readonly code = 'ENOTREG';
}

/** What kind of thing a non-regular file is, in words for a note. */
export function specialKind(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/** True when `p` is `root` itself or lies below it (both real, absolute paths). */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!path.isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${path.sep}`));
}

/**
 * Opens a file for reading only if it is a regular file: O_NONBLOCK so opening a FIFO does not wait for a
 * writer (a blocked open holds a libuv thread), then `fstat` on the descriptor — not the path — decides.
 * With `root`, the descriptor's own path (/proc/self/fd) must lie inside it, so a link swapped in after
 * the walk cannot lead outside.
 */
export async function openRegular(absPath: string, root?: string): Promise<{ fh: fs.FileHandle; size: number; mtimeMs: number }> {
  const fh = await fs.open(absPath, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new NotRegularFileError(`not a regular file (${specialKind(st)}), not read`);
    if (root !== undefined) {
      const realRoot = await fs.realpath(root);
      const opened = await fs.readlink(`/proc/self/fd/${fh.fd}`).catch(() => fs.realpath(absPath));
      if (!isInside(realRoot, opened)) throw new NotRegularFileError(`resolves outside the bundle (${opened}), not read`);
    }
    return { fh, size: st.size, mtimeMs: st.mtimeMs };
  } catch (e) {
    await fh.close();
    throw e;
  }
}

function gib(n: number): string {
  return n >= 1024 ** 3 ? `${+(n / 1024 ** 3).toFixed(2)} GiB` : `${n} bytes`;
}

/** Where a read of a file opened with this size stops: the walk's size, or the size at open when smaller. */
function endOf(size: number, bounds: ReadBounds): number {
  return bounds.maxBytes === undefined ? size : Math.max(0, Math.min(size, bounds.maxBytes));
}

/**
 * The first bytes of a file, decompressed when it is gzip; with the size and mtime the open descriptor had,
 * and for a gzip that ends or breaks within them, how (`gzipEnd`).
 */
export async function readHead(
  absPath: string,
  bytes = 64 * 1024,
  bounds: ReadBounds = {},
): Promise<{ head: Buffer; gzip: boolean; size: number; mtimeMs: number; gzipEnd?: GzipEnd }> {
  const { fh, size, mtimeMs } = await openRegular(absPath, bounds.root);
  try {
    const want = Math.min(bytes, endOf(size, bounds));
    const buf = Buffer.alloc(want);
    const { bytesRead } = want > 0 ? await fh.read(buf, 0, want, 0) : { bytesRead: 0 };
    const raw = buf.subarray(0, bytesRead);
    const gzip = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
    if (!gzip) return { head: raw, gzip, size, mtimeMs };
    const out: Buffer[] = [];
    let total = 0;
    const inner: ReadBounds = { ...bounds, maxInflated: bytes, seen: undefined };
    try {
      for await (const c of chunks(absPath, true, 0, inner)) {
        out.push(Buffer.from(c));
        total += c.length;
        if (total >= bytes) break;
      }
    } catch {
      /* a file unreadable past its start still gives its first bytes */
    }
    const gzipEnd = { truncated: inner.seen?.truncated, corrupt: inner.seen?.corrupt };
    return { head: Buffer.concat(out).subarray(0, bytes), gzip, size, mtimeMs, gzipEnd };
  } finally {
    await fh.close();
  }
}

/**
 * Streams a regular file in large chunks, gunzipping transparently, never past `bounds.maxBytes` of the
 * file nor `bounds.maxInflated` of a gzip's output. Never holds the whole file; a plain file's chunk is only
 * valid until the next one. A damaged gzip is read up to where it breaks, not thrown: `bounds.seen` says where.
 */
export async function* chunks(absPath: string, gzip: boolean, start = 0, bounds: ReadBounds = {}): AsyncGenerator<Buffer> {
  const { fh, size, mtimeMs } = await openRegular(absPath, bounds.root);
  const seen: NonNullable<ReadBounds['seen']> = { size, mtimeMs };
  bounds.seen = seen;
  const end = endOf(size, bounds);
  try {
    if (!gzip) {
      // One reused buffer (a view of it is valid until the next iteration): a fresh 4 MB per chunk costs
      // more in page faults than scanning it.
      const buf = Buffer.allocUnsafe(CHUNK_BYTES);
      for (let pos = Math.max(0, start); pos < end;) {
        const n = await readLines(fh, buf, pos, end);
        if (n === 0) return;
        pos += n;
        yield buf.subarray(0, n);
      }
      return;
    }
    if (end === 0) return;
    const cap = bounds.maxInflated ?? GZIP_INFLATED_CAP;
    let pending: Buffer[] = [];
    let pendingSize = 0;
    let inflated = 0;
    /** Yields what is pending with lone CRs rewritten; an undecided trailing CR stays pending. */
    const flush = (final: boolean): Buffer => {
      const b = Buffer.concat(pending);
      const held = loneCrToLf(b, 0, b.length, final);
      pending = held ? [b.subarray(b.length - 1)] : [];
      pendingSize = held ? 1 : 0;
      return held ? b.subarray(0, b.length - 1) : b;
    };
    for await (let b of inflateGzip(fh, end, seen)) {
      if (inflated + b.length > cap) {
        b = b.subarray(0, cap - inflated);
        seen.cut = `decompressed size over ${gib(cap)}, read the first ${gib(cap)}`;
      }
      inflated += b.length;
      pending.push(b);
      pendingSize += b.length;
      if (pendingSize >= CHUNK_BYTES || seen.cut) {
        const out = flush(!!seen.cut);
        if (out.length > 0) yield out;
      }
      if (seen.cut) return;
    }
    if (pendingSize > 0) yield flush(true);
  } finally {
    await fh.close();
  }
}

/** Why the head of a file says it is not a log, or undefined when it looks like text. */
export function binaryReason(head: Buffer): string | undefined {
  if (head.length === 0) return undefined;
  const magic = head.subarray(0, 4).toString('latin1');
  if (magic === 'ZKLG') return 'binary: ZooKeeper transaction log (read it with zkTxnLogToolkit.sh)';
  if (magic === 'ZKSN') return 'binary: ZooKeeper snapshot';
  if (magic === '\x7fELF') return 'binary: executable (ELF)';
  if (magic.startsWith('PK\x03\x04')) return 'binary: zip archive';
  if (head.subarray(0, 262).toString('latin1').includes('ustar')) return 'binary: tar archive';
  let nul = 0;
  let control = 0;
  for (const b of head) {
    if (b === 0) nul++;
    else if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b) || b === 0x7f) control++;
  }
  if (control / head.length > 0.02) return `binary: ${control} control bytes in the first ${head.length} bytes`;
  // A log truncated while its writer kept its offset has a run of NULs and then text again: keep it.
  if (nul / head.length > 0.5 && !head.includes(0x0a)) return 'binary: mostly NUL bytes';
  return undefined;
}

/** SHA-1 of the first `bytes` bytes of a file (to tell an appended file from a rewritten one). */
export async function headHash(absPath: string, bytes: number, bounds: ReadBounds = {}): Promise<string> {
  const opened = await openRegular(absPath, bounds.root);
  const fh = opened.fh;
  try {
    const want = Math.min(bytes, endOf(opened.size, bounds));
    const buf = Buffer.alloc(want);
    const { bytesRead } = want > 0 ? await fh.read(buf, 0, want, 0) : { bytesRead: 0 };
    return createHash('sha1').update(buf.subarray(0, bytesRead)).digest('hex');
  } finally {
    await fh.close();
  }
}

/** Lines longer than this are searched in pieces (a match across two pieces is missed) rather than held whole. */
const MAX_PIECE = 64 << 20;

/** Whole lines read from a file: `buf` starts at byte `start` of the file (decompressed, for a gzip). */
export interface LinePiece {
  buf: Buffer;
  start: number;
}

export interface PieceOptions {
  /** Only these byte ranges, ascending and apart (each starts and ends at a line start): a plain file only. */
  ranges?: readonly (readonly [number, number])[];
  /**
   * Offsets where a piece should end when one falls inside it (the file's checkpoints): the piece then ends at
   * the last of them rather than at its last newline, so every piece starts at a checkpoint whenever one is
   * near — and a line's nearest dated line above is in its own piece, whether the file is read whole or
   * only some blocks of it (see searchBuild's blocks).
   */
  cuts?: readonly number[];
}

/**
 * Whole lines in large pieces: each piece ends at a newline (except the file's last line, or a piece of a
 * line over 64 MB), at a cut when one falls inside it. A plain file is read into one reused buffer, so a
 * piece is only valid until the next iteration — copy what you keep. Reusing it spares the page faults of a
 * fresh 4 MB allocation per chunk, which cost more than the search itself.
 */
export async function* linePieces(
  absPath: string,
  gzip: boolean,
  bounds: ReadBounds = {},
  opts: PieceOptions = {},
): AsyncGenerator<LinePiece> {
  const cuts = opts.cuts ?? [];
  let ci = 0;
  /** Where the piece of `filled` bytes at file offset `pos` ends: its last cut, else its last newline + 1, else -1. */
  const cutOf = (buf: Buffer, pos: number, filled: number) => {
    while (ci < cuts.length && cuts[ci] <= pos) ci++;
    let j = ci;
    while (j < cuts.length && cuts[j] <= pos + filled) j++;
    if (j > ci) return cuts[j - 1] - pos;
    return buf.lastIndexOf(10, filled - 1) + 1 || -1;
  };
  if (gzip) {
    if (opts.ranges) throw new Error('a gzip file is read whole');
    let carry: Buffer | undefined;
    let pos = 0;
    for await (const c of chunks(absPath, true, 0, bounds)) {
      const b = carry ? Buffer.concat([carry, c]) : c;
      let end = cutOf(b, pos, b.length);
      if (end < 0 && b.length < MAX_PIECE) {
        carry = b;
        continue;
      }
      if (end < 0) end = b.length;
      yield { buf: b.subarray(0, end), start: pos };
      pos += end;
      carry = end < b.length ? b.subarray(end) : undefined;
    }
    if (carry) yield { buf: carry, start: pos };
    return;
  }
  const { fh, size, mtimeMs } = await openRegular(absPath, bounds.root);
  bounds.seen = { size, mtimeMs };
  const fileEnd = endOf(size, bounds);
  // Ranges are a search index's picks: blocks of ~64 KiB, read at once with synchronous reads (a thread
  // pool round trip per block costs more than the read); a whole file is read asynchronously.
  const ranged = opts.ranges !== undefined;
  const longest = ranged ? Math.max(0, ...opts.ranges!.map(([a, b]) => b - a)) : CHUNK_BYTES;
  const read = (buf: Buffer, at: number, n: number, pos: number) =>
    ranged ? Promise.resolve({ bytesRead: readSync(fh.fd, buf, at, n, pos) }) : fh.read(buf, at, n, pos);
  try {
    let buf = Buffer.allocUnsafe(Math.max(64 * 1024, Math.min(CHUNK_BYTES, longest)));
    for (const [from, to] of opts.ranges ?? [[0, fileEnd]]) {
      const end = Math.min(to, fileEnd);
      let pos = from;
      let readAt = from;
      let filled = 0;
      for (;;) {
        if (filled === buf.length) {
          if (buf.length >= MAX_PIECE) {
            yield { buf, start: pos };
            pos += filled;
            filled = 0;
          } else {
            const bigger = Buffer.allocUnsafe(buf.length * 2);
            buf.copy(bigger, 0, 0, filled);
            buf = bigger;
          }
        }
        const want = Math.min(buf.length - filled, end - readAt);
        const { bytesRead } = want > 0 ? await read(buf, filled, want, readAt) : { bytesRead: 0 };
        readAt += bytesRead;
        if (bytesRead === 0) {
          loneCrToLf(buf, Math.max(0, filled - 1), filled, true);
          if (filled > 0) yield { buf: buf.subarray(0, filled), start: pos };
          break;
        }
        // From one byte back: a CR left undecided at the end of the last read is decided now.
        const held = loneCrToLf(buf, Math.max(0, filled - 1), filled + bytesRead, false);
        filled += bytesRead;
        // A trailing CR not yet decided stays for the next piece, whatever cut follows it.
        const cut = cutOf(buf, pos, held ? filled - 1 : filled);
        if (cut <= 0) continue;
        yield { buf: buf.subarray(0, cut), start: pos };
        buf.copy(buf, 0, cut, filled);
        filled -= cut;
        pos += cut;
      }
    }
  } finally {
    await fh.close();
  }
}
