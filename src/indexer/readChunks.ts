import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { constants as zlibConstants, createGunzip } from 'node:zlib';

export const CHUNK_BYTES = 4 << 20;

/** The first bytes of a file, decompressed when it is gzip. */
export async function readHead(absPath: string, bytes = 64 * 1024): Promise<{ head: Buffer; gzip: boolean }> {
  const fh = await fs.open(absPath, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    const raw = buf.subarray(0, bytesRead);
    const gzip = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
    if (!gzip) return { head: raw, gzip };
    const out: Buffer[] = [];
    let total = 0;
    try {
      for await (const c of chunks(absPath, true)) {
        out.push(c);
        total += c.length;
        if (total >= bytes) break;
      }
    } catch {
      /* a truncated gzip still gives its first bytes */
    }
    return { head: Buffer.concat(out).subarray(0, bytes), gzip };
  } finally {
    await fh.close();
  }
}

/** Streams a file in large chunks, gunzipping transparently. Never holds the whole file; a plain file's chunk is only valid until the next one. */
export async function* chunks(absPath: string, gzip: boolean, start = 0): AsyncGenerator<Buffer> {
  if (!gzip) {
    // One reused buffer (a view of it is valid until the next iteration): a fresh 4 MB per chunk costs
    // more in page faults than scanning it.
    const fh = await fs.open(absPath, 'r');
    try {
      const buf = Buffer.allocUnsafe(CHUNK_BYTES);
      for (let pos = start; ;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) return;
        pos += bytesRead;
        yield buf.subarray(0, bytesRead);
      }
    } finally {
      await fh.close();
    }
  }
  const raw = createReadStream(absPath, { highWaterMark: 1 << 20 });
  // SYNC_FLUSH at the end hands over everything a truncated gzip still holds instead of failing;
  // gzipComplete() tells the two cases apart.
  const gunzip = createGunzip({ chunkSize: 1 << 20, finishFlush: zlibConstants.Z_SYNC_FLUSH });
  raw.on('error', (e) => gunzip.destroy(e));
  raw.pipe(gunzip);
  let pending: Buffer[] = [];
  let size = 0;
  for await (const c of gunzip) {
    pending.push(c as Buffer);
    size += (c as Buffer).length;
    if (size >= CHUNK_BYTES) {
      yield Buffer.concat(pending);
      pending = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(pending);
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

/**
 * A whole gzip member ends with the uncompressed size mod 2^32 (RFC 1952 ISIZE); a truncated one
 * ends with whatever bytes were cut.
 */
export async function gzipComplete(absPath: string, decompressedBytes: number): Promise<boolean> {
  const fh = await fs.open(absPath, 'r');
  try {
    const { size } = await fh.stat();
    if (size < 18) return false;
    const tail = Buffer.alloc(4);
    await fh.read(tail, 0, 4, size - 4);
    return tail.readUInt32LE(0) === decompressedBytes % 2 ** 32;
  } finally {
    await fh.close();
  }
}

/** SHA-1 of the first `bytes` bytes of a file (to tell an appended file from a rewritten one). */
export async function headHash(absPath: string, bytes: number): Promise<string> {
  const fh = await fs.open(absPath, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return createHash('sha1').update(buf.subarray(0, bytesRead)).digest('hex');
  } finally {
    await fh.close();
  }
}

/** Lines longer than this are searched in pieces (a match across two pieces is missed) rather than held whole. */
const MAX_PIECE = 64 << 20;

/**
 * Whole lines in large pieces: each yielded buffer ends at a newline (except the file's last line, or a
 * piece of a line over 64 MB). A plain file is read into one reused buffer, so the buffer is only valid
 * until the next iteration — copy what you keep. Reusing it spares the page faults of a fresh 4 MB
 * allocation per chunk, which cost more than the search itself.
 */
export async function* lineChunks(absPath: string, gzip: boolean): AsyncGenerator<Buffer> {
  if (gzip) {
    let carry: Buffer | undefined;
    for await (const c of chunks(absPath, true)) {
      const b = carry ? Buffer.concat([carry, c]) : c;
      const lastNl = b.lastIndexOf(10);
      if (lastNl < 0 && b.length < MAX_PIECE) {
        carry = b;
        continue;
      }
      const end = lastNl < 0 ? b.length : lastNl + 1;
      yield b.subarray(0, end);
      carry = end < b.length ? b.subarray(end) : undefined;
    }
    if (carry) yield carry;
    return;
  }
  const fh = await fs.open(absPath, 'r');
  try {
    let buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let filled = 0;
    for (;;) {
      if (filled === buf.length) {
        if (buf.length >= MAX_PIECE) {
          yield buf;
          filled = 0;
        } else {
          const bigger = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(bigger, 0, 0, filled);
          buf = bigger;
        }
      }
      const { bytesRead } = await fh.read(buf, filled, buf.length - filled, null);
      if (bytesRead === 0) {
        if (filled > 0) yield buf.subarray(0, filled);
        return;
      }
      filled += bytesRead;
      const lastNl = buf.lastIndexOf(10, filled - 1);
      if (lastNl < 0) continue;
      yield buf.subarray(0, lastNl + 1);
      buf.copy(buf, 0, lastNl + 1, filled);
      filled -= lastNl + 1;
    }
  } finally {
    await fh.close();
  }
}
