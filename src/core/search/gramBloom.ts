/**
 * The skip summary of one block of a log file: a Bloom filter of every 4-byte sequence in it. A literal
 * can be in a block only if every 4-byte sequence of the literal is, so a block whose filter lacks one is
 * not read. Chosen by measuring false-positive rate × bytes read on the bench bundles (see the README's
 * "Search index"): 4-grams beat 3-grams (digits make every 3-gram common) and 5-grams (more distinct grams
 * per block, a fuller filter); two hashes beat one and three. Grams of four hex digits get their own half
 * of the filter: a hex dump or a run of ids in a block fills that half and leaves the rest sparse, so a
 * needle's other grams (`rare-`, `pid:`) still rule the block out. On three seeded bundles a rare value's
 * blocks to read fell from 6–14 % to 0.1–0.3 %; `pid: 65380` in number-dense metad logs rose from 11 to
 * 12 % (a third of the filter for hex did a little better on hex and worse on numbers; a quarter, worse
 * on both).
 *
 * Every 4-gram of `pid: 65380` is also in `pid: 65381 … 165380`, and in number-dense logs (a metad log
 * has five random numbers a line) the 4-grams of digits are in most blocks. So the first five digits of
 * every run of digits are keys too, in the hex half: a needle whose digits start after a non-digit
 * (`: 65380`) asks for the key of the run they start. Bytes read, measured on the 1 GB sample-shaped
 * bundle: `pid: 65380` 11.7 → 3.7 %, 200 rare values drawn from the bundle 5.7 → 2.0 % on average (their
 * lines lie in 0.1 %); on a varied bundle (seed 1) 4.1 → 2.1 % and 3.3 → 2.5 %. A key of the whole run
 * as well, or prefixes of 4, 6 or 7 digits, filled the half and did worse; so did leaving digit-only grams
 * out, and giving the keys rows of their own. A hex half of 14 336 rows did better on the sample and worse
 * on a varied bundle; at 12 288 the other half is as it was, so a needle without digits reads what it did.
 *
 * Filters are stored bit-sliced (as BitFunnel does): row r of a segment holds bit r of every block's
 * filter, one bit per block. A query reads two rows per gram of its literal (four per run key) — a few kilobytes whatever the
 * bundle's size — and ANDs them; the blocks whose bit survives are the only ones read.
 */

/** Bytes per gram. */
export const GRAM_BYTES = 4;
/**
 * Bits in each block's filter. A block is ~64 KiB (the index's checkpoint spacing), so this is ~4.7 % of
 * the bytes it summarises; below 16 bits per 4-gram the false positives climb steeply (measured).
 */
export const FILTER_BITS = 24_576;
/** Blocks per segment: a row of a segment is 128 bytes, a segment ~3 MiB, and a build holds one at a time. */
export const SEGMENT_BLOCKS = 1024;
/** Rows [0, HEX_ROWS) hold the grams of four hex digits (`0-9a-f`) and the runs' keys; the others, the rest. */
export const HEX_ROWS = 12_288;
const OTHER_ROWS = FILTER_BITS - HEX_ROWS;
/** The filter's hash multipliers (odd, well mixed); part of the index's format, like the sizes above. */
const H1 = 0x9e3779b1 | 0;
const H2 = 0x85ebca77 | 0;
/** Digits of a run that make its key. */
export const RUN_KEY_DIGITS = 5;
/**
 * Rows a run's key sets: four, where a gram sets two (a needle has a key or two among several grams, and
 * more rows per key rule out more blocks until they fill the half: two, three, four and six rows read
 * 2.9, 2.4, 2.0 and 1.8 % of the 1 GB sample for 200 rare values, and 4.8, 3.4, 3.7 and 3.9 % for `pid: 65380`).
 */
const KEY_ROWS = 4;

/** What a saved search index must agree on to be read: a change to any of these is a new format. */
export const GRAM_FILTER_SHAPE = `grams ${GRAM_BYTES}, bits ${FILTER_BITS}, hex rows ${HEX_ROWS}, hashes ${H1 >>> 0}/${H2 >>> 0}, run keys ${RUN_KEY_DIGITS}×${KEY_ROWS}`;

/** 1 for the bytes of hex digits. */
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdef') HEX[c.charCodeAt(0)] = 1;

/**
 * The two rows a gram sets: the top 16 bits of a multiplicative hash, scaled to its part of the filter.
 * `hex` is the last four bytes' hex marks (15: all four are hex digits).
 */
function row1(gram: number, hex: number): number {
  const h = Math.imul(gram, H1) >>> 16;
  return hex === 15 ? (h * HEX_ROWS) >>> 16 : HEX_ROWS + ((h * OTHER_ROWS) >>> 16);
}
function row2(gram: number, hex: number): number {
  const h = Math.imul(gram, H2) >>> 16;
  return hex === 15 ? (h * HEX_ROWS) >>> 16 : HEX_ROWS + ((h * OTHER_ROWS) >>> 16);
}

/** The key of a run whose first RUN_KEY_DIGITS digits read `value` (a well-mixed 32-bit number). */
function runKey(value: number): number {
  let h = Math.imul(value ^ 0x5f356495, 0x2c1b3c6d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x297a2d39);
  return h ^ (h >>> 15);
}
/** Row `i` (of KEY_ROWS) of a run's key, in the hex half. */
function keyRow(key: number, i: number): number {
  const h = i === 0 ? key >>> 16 : i === 1 ? key & 0xffff : Math.imul(key, i === 2 ? 0x27d4eb2f : 0x165667b1) >>> 16;
  return (h * HEX_ROWS) >>> 16;
}

/**
 * The rows a block must have set to hold `needle` (bytes as searched), sorted and unique; undefined when the
 * needle is too short to have a gram, or spans lines (then a match is not inside one block).
 */
export function needleRows(needle: Uint8Array): number[] | undefined {
  if (needle.length < GRAM_BYTES || needle.includes(0x0a) || needle.includes(0x0d)) return undefined;
  const rows = new Set<number>();
  let g = 0;
  let hex = 0;
  // Digits of the run being read, counted only for a run that starts after a non-digit of the needle: the
  // run in the text starts there too, so its key is the needle's first digits. (-1: not such a run.)
  let digits = -1;
  let value = 0;
  for (let i = 0; i < needle.length; i++) {
    const c = needle[i];
    g = (g << 8) | c;
    hex = ((hex << 1) | HEX[c]) & 15;
    if (i >= GRAM_BYTES - 1) rows.add(row1(g, hex)).add(row2(g, hex));
    const d = c - 0x30;
    if (d < 0 || d > 9) {
      digits = 0;
      value = 0;
    } else if (digits >= 0 && digits < RUN_KEY_DIGITS) {
      value = value * 10 + d;
      if (++digits === RUN_KEY_DIGITS) {
        const k = runKey(value);
        for (let r = 0; r < KEY_ROWS; r++) rows.add(keyRow(k, r));
      }
    }
  }
  return [...rows].sort((a, b) => a - b);
}

/** Bytes of one row of a segment of `blocks` blocks (one bit per block). */
export function rowBytes(blocks: number): number {
  return (blocks + 7) >> 3;
}

/**
 * Builds one segment's bit-sliced filters from the bytes of its blocks, fed in file order. The block being
 * fed is built as a plain 3 KiB filter (it stays in the L1 cache; setting bits straight in the 3 MiB
 * bit-sliced matrix missed the cache twice a byte, at a third of the speed), then its set bits are
 * copied into the matrix's rows when the next block begins.
 */
export class SegmentFilter {
  private readonly rows: Uint8Array;
  private readonly stride: number;
  private readonly block = new Uint8Array(FILTER_BITS >> 3);
  private current = -1;
  /** The last bytes fed (and their hex marks), so a gram can span two feeds of one block. */
  private carry = 0;
  private carryHex = 0;
  private carried = 0;
  /** The digits of the run the last feed ended in (up to RUN_KEY_DIGITS) and their value. */
  private digits = 0;
  private value = 0;

  constructor(readonly blocks: number) {
    this.stride = rowBytes(blocks);
    this.rows = new Uint8Array(FILTER_BITS * this.stride);
  }

  /** Starts from filters built before (`rowBytes(oldBlocks)` wide): an appended file keeps its blocks' bits. */
  static widened(matrix: Uint8Array, oldBlocks: number, blocks: number): SegmentFilter {
    const f = new SegmentFilter(blocks);
    const from = rowBytes(oldBlocks);
    for (let r = 0; r < FILTER_BITS; r++) f.rows.set(matrix.subarray(r * from, (r + 1) * from), r * f.stride);
    return f;
  }

  /** FILTER_BITS rows of `rowBytes(blocks)` bytes: row r holds bit r of every block's filter. */
  get matrix(): Uint8Array {
    this.flush();
    return this.rows;
  }

  /** Adds the grams (and run keys) ending in `bytes[from, to)` to block `block` (0-based within the segment). */
  add(bytes: Uint8Array, from: number, to: number, block: number): void {
    if (block !== this.current) {
      this.flush();
      this.current = block;
      // A block's grams are the 4-byte runs inside it: one spanning its start crosses a newline, which no
      // needle does, and leaving it out makes a block's filter the same however the file was read.
      this.carried = 0;
      // A block starts a line, so a run at its start starts there (a key no needle asks for is harmless).
      this.digits = 0;
      this.value = 0;
    }
    const f = this.block;
    let g = this.carry;
    let hex = this.carryHex;
    let digits = this.digits;
    let value = this.value;
    let carried = this.carried;
    for (let i = from; i < to; i++) {
      const c = bytes[i];
      g = (g << 8) | c;
      hex = ((hex << 1) | HEX[c]) & 15;
      // The first bytes of a block complete no gram yet.
      if (carried < GRAM_BYTES - 1) carried++;
      else {
        const a = row1(g, hex);
        const b = row2(g, hex);
        f[a >> 3] |= 1 << (a & 7);
        f[b >> 3] |= 1 << (b & 7);
      }
      const d = c - 0x30;
      if (d < 0 || d > 9) {
        digits = 0;
        value = 0;
      } else if (digits < RUN_KEY_DIGITS) {
        value = value * 10 + d;
        if (++digits === RUN_KEY_DIGITS) {
          const k = runKey(value);
          for (let r = 0; r < KEY_ROWS; r++) {
            const a = keyRow(k, r);
            f[a >> 3] |= 1 << (a & 7);
          }
        }
      }
    }
    this.carry = g;
    this.carryHex = hex;
    this.carried = carried;
    this.digits = digits;
    this.value = value;
  }

  /** Copies the block being built into the matrix's rows and clears it. */
  private flush(): void {
    const b = this.current;
    if (b < 0) return;
    const f = this.block;
    const rows = this.rows;
    const stride = this.stride;
    const byte = b >> 3;
    const bit = 1 << (b & 7);
    for (let i = 0; i < f.length; i++) {
      const v = f[i];
      if (v === 0) continue;
      const r = i << 3;
      for (let k = 0; k < 8; k++) if (v & (1 << k)) rows[(r + k) * stride + byte] |= bit;
    }
    f.fill(0);
    this.current = -1;
  }
}

/**
 * The blocks of a segment that may hold the needle: the AND of its rows. `row(r)` gives row r's bytes.
 * Returns the block numbers, ascending.
 */
export function candidateBlocks(blocks: number, rows: readonly number[], row: (r: number) => Uint8Array): number[] {
  const acc = new Uint8Array(rowBytes(blocks)).fill(0xff);
  for (const r of rows) {
    const bits = row(r);
    let any = 0;
    for (let i = 0; i < acc.length; i++) any |= acc[i] &= bits[i];
    if (any === 0) return [];
  }
  const out: number[] = [];
  for (let b = 0; b < blocks; b++) if (acc[b >> 3] & (1 << (b & 7))) out.push(b);
  return out;
}
