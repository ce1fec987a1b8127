import type { FileHandle } from 'node:fs/promises';

const CR = 0x0d;
const LF = 0x0a;

/**
 * Lines as the editor counts them: `\n`, `\r\n` and a lone `\r` each end a line. Every reader turns a lone
 * CR into an LF in the bytes it read (same length, so offsets do not move), and the rest of the code splits
 * at `\n` only — one rule, cheap to apply (a memchr per chunk for a file without CRs), so line numbers in
 * the index, search, windows and context all agree with the editor's.
 *
 * Rewrites lone CRs in `buf[from, to)`. A CR at `to - 1` cannot be decided without the next byte: it is
 * turned into an LF only when `final` (nothing follows), else left for the caller to read again.
 * Returns true when such an undecided CR was left.
 */
export function loneCrToLf(buf: Uint8Array, from: number, to: number, final: boolean): boolean {
  for (let i = buf.indexOf(CR, from); i >= 0 && i < to; i = buf.indexOf(CR, i + 1)) {
    if (i + 1 < to) {
      if (buf[i + 1] !== LF) buf[i] = LF;
    } else if (final) buf[i] = LF;
    else return true;
  }
  return false;
}

/**
 * Reads from `pos` (never past `end`) into `buf` and rewrites lone CRs. Returns how many bytes of `buf` are
 * ready: a trailing CR whose next byte is not read yet is left out, so the next read starts on it.
 */
export async function readLines(fh: FileHandle, buf: Buffer, pos: number, end: number): Promise<number> {
  if (pos >= end) return 0;
  const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, end - pos), pos);
  if (bytesRead === 0) return 0;
  const final = pos + bytesRead >= end;
  // A read of one CR alone is decided on the spot (as a line break) rather than re-read forever.
  const held = loneCrToLf(buf, 0, bytesRead, final || bytesRead === 1);
  return held ? bytesRead - 1 : bytesRead;
}
