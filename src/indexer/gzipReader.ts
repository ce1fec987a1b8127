import type { FileHandle } from 'node:fs/promises';
import { createGunzip, type Gunzip } from 'node:zlib';
import { plural } from '../core/plural';

/** Where a damaged gzip stopped making sense: the compressed byte zlib could not take, and zlib's words. */
export interface GzipBreak {
  /** Offset in the compressed file: every byte inflated from the bytes before it was handed over. */
  at: number;
  message: string;
}

/** What the inflater saw besides the bytes: a stream that ends early (cut short) or breaks (damaged). */
export interface GzipEnd {
  truncated?: boolean;
  corrupt?: GzipBreak;
}

/** Compressed bytes written to zlib at once on a first pass; zlib's own output buffer is as big. */
const PIECE = 1 << 20;
/** Output held before zlib is paused: bounds memory when the reader is slower than zlib (a gzip bomb). */
const QUEUE_MAX = 4 << 20;
/** A stretch that broke is fed again in this many slices, each smaller, until the bad byte is found. */
const SLICES = 512;
const MAX_ROUNDS = 5;

/** What zlib's words mean for the lines read. */
const MEANING: Record<string, string> = {
  'incorrect data check': 'the checksum at the end does not match, so some lines read are damaged',
  'incorrect header check': 'what follows is not gzip: garbage after the end, or a damaged member',
};

/** The note for a damaged gzip, with the lines its readable start gave when known. */
export function corruptGzipNote(b: GzipBreak, lines?: number): string {
  const kept = lines === undefined ? 'the lines after it are not read' : `${plural(lines, 'line')} recovered`;
  const meaning = MEANING[b.message];
  return `corrupt gzip at byte ${b.at} (of the compressed file): ${kept} (zlib: ${b.message}${meaning ? `: ${meaning}` : ''})`;
}

/**
 * Inflates `[0, end)` of a gzip file — every member of a concatenated one — and yields the output. A damaged
 * stream ends the output where it breaks, with every byte inflated before the break handed over (zlib's
 * output for the longest prefix it accepts; zcat prints the same or up to its 32 KiB window less), and
 * `result.corrupt` says where; a stream cut short gives all it holds and sets `result.truncated`. zlib drops
 * the output of the call that fails, so the stretch that broke is fed again from the start in ever smaller
 * slices (two or three extra passes, only for a damaged file) down to the byte.
 */
export async function* inflateGzip(fh: FileHandle, end: number, result: GzipEnd): AsyncGenerator<Buffer> {
  let delivered = 0;
  let plan: Slicing = { from: end, to: end, size: PIECE };
  for (let round = 0; ; round++) {
    const out: RoundEnd = {};
    for await (const b of inflateRound(fh, end, plan, delivered, out)) {
      delivered += b.length;
      yield b;
    }
    if (!out.failed) {
      if (out.truncated) result.truncated = true;
      return;
    }
    const { from, to, consumed, message } = out.failed;
    const lo = Math.min(Math.max(from, consumed), to);
    // Down to one byte (or, never seen, out of rounds: then `at` is the start of the stretch that broke).
    if (to - lo <= 1 || round + 1 >= MAX_ROUNDS) {
      result.corrupt = { at: lo, message };
      return;
    }
    plan = { from: lo, to, size: Math.ceil((to - lo) / SLICES) };
  }
}

/** Bytes `[from, to)` are written in pieces of `size`; all others in large pieces. */
interface Slicing {
  from: number;
  to: number;
  size: number;
}

interface RoundEnd {
  truncated?: boolean;
  /** The piece whose write failed, and how much input zlib had taken without error. */
  failed?: { from: number; to: number; consumed: number; message: string };
}

/** One pass over the file from its start, yielding only output past the first `skip` bytes. */
async function* inflateRound(fh: FileHandle, end: number, plan: Slicing, skip: number, out: RoundEnd): AsyncGenerator<Buffer> {
  const gunzip = createGunzip({ chunkSize: PIECE });
  const queue: Buffer[] = [];
  let queued = 0;
  let produced = 0;
  let failure: Error | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  gunzip.on('data', (c: Buffer) => {
    queue.push(c);
    queued += c.length;
    if (queued >= QUEUE_MAX) gunzip.pause();
    poke();
  });
  gunzip.on('error', (e: Error) => {
    failure = e;
    poke();
  });
  gunzip.on('end', () => {
    ended = true;
    poke();
  });
  /** Yields what zlib gave until `done()` (or a failure); false when zlib failed. */
  async function* drain(done: () => boolean): AsyncGenerator<Buffer, boolean> {
    for (;;) {
      while (queue.length > 0) {
        const c = queue.shift() as Buffer;
        queued -= c.length;
        const from = Math.max(0, skip - produced);
        produced += c.length;
        if (from < c.length) yield from > 0 ? c.subarray(from) : c;
      }
      if (gunzip.isPaused()) gunzip.resume();
      if (failure) return false;
      if (done()) return true;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  }
  const sizeAt = (pos: number) =>
    Math.min(
      end - pos,
      pos >= plan.from && pos < plan.to ? Math.min(plan.size, plan.to - pos) : pos < plan.from ? Math.min(PIECE, plan.from - pos) : PIECE,
    );
  const read = (pos: number) => {
    const piece = Buffer.allocUnsafe(sizeAt(pos));
    const p = fh.read(piece, 0, piece.length, pos).then(({ bytesRead }) => piece.subarray(0, bytesRead));
    // Handled now, thrown where it is awaited: a read failing while zlib works is no unhandled rejection.
    p.catch(() => undefined);
    return p;
  };
  // The next piece is read while zlib inflates this one.
  let next = end > 0 ? read(0) : undefined;
  try {
    for (let pos = 0; next;) {
      const piece = await next;
      if (piece.length === 0) break;
      next = pos + piece.length < end ? read(pos + piece.length) : undefined;
      let written = false;
      gunzip.write(piece, () => {
        written = true;
        poke();
      });
      if (!(yield* drain(() => written))) {
        out.failed = { from: pos, to: pos + piece.length, consumed: gunzip.bytesWritten, message: (failure as Error).message };
        return;
      }
      pos += piece.length;
    }
    // Z_FINISH at the end: a stream cut short fails here, with no input left whose output could be lost.
    gunzip.end();
    if (!(yield* drain(() => ended))) {
      const message = (failure as Error).message;
      if (/unexpected end of file/.test(message)) out.truncated = true;
      else out.failed = { from: end, to: end, consumed: end, message };
    }
  } finally {
    closeGunzip(gunzip);
    // A read still under way must end before the caller closes the file.
    await next?.catch(() => undefined);
  }
}

function closeGunzip(gunzip: Gunzip): void {
  gunzip.removeAllListeners('data');
  gunzip.on('error', () => undefined);
  gunzip.destroy();
}
