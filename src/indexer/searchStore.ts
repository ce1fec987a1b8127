import { createHash } from 'node:crypto';
import { closeSync, constants as fsConstants, openSync, promises as fs, readSync } from 'node:fs';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { candidateBlocks, FILTER_BITS, GRAM_FILTER_SHAPE, rowBytes, SEGMENT_BLOCKS } from '../core/search/gramBloom';
import type { FileIndex } from '../core/model';
import { cacheDirProblem, cacheFile, makeCacheDir } from './indexCache';
import { summarisable, type FileSearch } from './searchBuild';

/** Bumped whenever the search index's layout or meaning changes: another version's file is rebuilt, never misread. */
export const SEARCH_FORMAT_VERSION = 4;
const MAGIC = 'quorum-lens-search';
/** The header is a JSON line padded to this size, written last (it says where the directory is). */
const HEADER_BYTES = 8192;
/** A directory larger than this is not read: ~40 bytes per block, so this covers bundles of terabytes. */
const MAX_DIRECTORY_BYTES = 256 << 20;
/** A segment this small is read whole rather than row by row. */
const READ_WHOLE_BYTES = 256 << 10;

interface Header {
  magic: string;
  version: number;
  shape: string;
  root: string;
  dirAt: number;
  dirBytes: number;
  checksum: string;
}

interface SavedSegment {
  blocks: number;
  /** Byte offset of the segment's matrix in the file. */
  at: number;
}

/** One file's entry in the directory: its blocks and where their filters are. */
export interface SearchEntry {
  path: string;
  size: number;
  mtimeMs: number;
  headHash?: string;
  starts: number[];
  segments: SavedSegment[];
}

/** A byte range of a file to read: [start, end). */
export type ByteRange = [start: number, end: number];

/** The search index file of a bundle: beside its event index in the cache folder. */
export function searchFile(cacheDir: string, root: string): string {
  return cacheFile(cacheDir, root).replace(/\.qlidx$/, '.qlsearch');
}

const segmentBytes = (blocks: number) => FILTER_BITS * rowBytes(blocks);
const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** Why a saved entry cannot be trusted (blocks out of order, segments that do not cover them or lie outside), or undefined. */
function entryProblem(e: SearchEntry, dataEnd: number): string | undefined {
  if (typeof e !== 'object' || e === null || typeof e.path !== 'string' || !isCount(e.size) || typeof e.mtimeMs !== 'number')
    return 'not an entry';
  if (!Array.isArray(e.starts) || e.starts[0] !== 0 || !Array.isArray(e.segments)) return 'blocks missing';
  for (let i = 1; i < e.starts.length; i++)
    if (!isCount(e.starts[i]) || e.starts[i] <= e.starts[i - 1] || e.starts[i] >= e.size) return 'blocks out of order';
  let blocks = 0;
  let end = HEADER_BYTES;
  for (const [i, s] of e.segments.entries()) {
    if (typeof s !== 'object' || s === null || !isCount(s.blocks) || !isCount(s.at) || s.blocks === 0) return 'segment damaged';
    if (i < e.segments.length - 1 && s.blocks !== SEGMENT_BLOCKS) return 'segment damaged';
    if (s.at < end || s.at + segmentBytes(s.blocks) > dataEnd) return 'segment outside the data';
    end = s.at + segmentBytes(s.blocks);
    blocks += s.blocks;
  }
  return blocks === e.starts.length ? undefined : 'segments do not cover the blocks';
}

/**
 * A bundle's saved search index, open for queries: the directory in memory (block starts, where each
 * segment is), the filters read from the file as a query needs them — two rows per gram, so a query on a
 * 10 GB bundle reads a few hundred kilobytes of it.
 */
export class SearchIndex {
  private constructor(
    readonly file: string,
    private readonly entries: Map<string, SearchEntry>,
    /** Entries that failed their check, named: those files are read whole. */
    readonly damaged: string[],
  ) {}

  get files(): number {
    return this.entries.size;
  }

  entry(p: string): SearchEntry | undefined {
    return this.entries.get(p);
  }

  /** Reads the directory of a saved search index; a missing, foreign or damaged one is a problem string, never a throw. */
  static async load(cacheDir: string, root: string): Promise<{ index?: SearchIndex; problem?: string }> {
    const file = searchFile(cacheDir, root);
    let fh: fs.FileHandle;
    try {
      fh = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    } catch {
      return { problem: 'no search index yet' };
    }
    try {
      const st = await fh.stat();
      if (!st.isFile()) return { problem: 'the search index is not a regular file' };
      const head = Buffer.alloc(HEADER_BYTES);
      const { bytesRead } = await fh.read(head, 0, HEADER_BYTES, 0);
      let header: Header;
      try {
        header = JSON.parse(head.subarray(0, bytesRead).toString('utf8').replace(/\s+$/, '')) as Header;
      } catch {
        return { problem: 'the search index is damaged (header)' };
      }
      if (header?.magic !== MAGIC) return { problem: 'not a search index' };
      if (header.version !== SEARCH_FORMAT_VERSION || header.shape !== GRAM_FILTER_SHAPE)
        return {
          problem:
            `the search index was built in format ${header.version} (${header.shape}), this version uses ` +
            `${SEARCH_FORMAT_VERSION} (${GRAM_FILTER_SHAPE}): it is rebuilt the next time the bundle is indexed`,
        };
      if (header.root !== path.resolve(root)) return { problem: 'the search index is for another folder' };
      if (
        !isCount(header.dirAt) ||
        !isCount(header.dirBytes) ||
        header.dirBytes > MAX_DIRECTORY_BYTES ||
        header.dirAt + header.dirBytes !== st.size
      )
        return { problem: 'the search index is damaged (truncated or grown)' };
      const dir = Buffer.alloc(header.dirBytes);
      const got = (await fh.read(dir, 0, dir.length, header.dirAt)).bytesRead;
      if (got !== dir.length || createHash('sha1').update(dir).digest('hex') !== header.checksum)
        return { problem: 'the search index is damaged (checksum)' };
      let list: unknown;
      try {
        list = deserialize(dir);
      } catch {
        return { problem: 'the search index is damaged (directory)' };
      }
      if (!Array.isArray(list)) return { problem: 'the search index is damaged (directory)' };
      const entries = new Map<string, SearchEntry>();
      const damaged: string[] = [];
      for (const e of list as SearchEntry[]) {
        // Block starts are saved flat (150 000 numbers decode in a millisecond that way).
        const flat: unknown = typeof e === 'object' && e !== null ? e.starts : undefined;
        if (flat instanceof Float64Array) e.starts = Array.from(flat);
        const why = entryProblem(e, header.dirAt);
        if (why) damaged.push(`${typeof e?.path === 'string' ? e.path : '?'}: ${why}`);
        else entries.set(e.path, e);
      }
      return { index: new SearchIndex(file, entries, damaged) };
    } finally {
      await fh.close();
    }
  }

  /**
   * The entry of a file when it describes the file exactly as the event index saw it (same size and mtime,
   * blocks that start at its checkpoints): only then may it decide what is read.
   */
  current(f: FileIndex): SearchEntry | undefined {
    // A scan is replaced, never changed, when its file changes: the answer holds for as long as it lives.
    const known = this.checked.get(f);
    if (known !== undefined) return known ?? undefined;
    const e = this.entries.get(f.path);
    const ok = e !== undefined && e.size === f.size && e.mtimeMs === f.mtimeMs && !f.gzip && onCheckpoints(e.starts, f);
    this.checked.set(f, ok ? e : null);
    return ok ? e : undefined;
  }

  /** The entries `current` has ruled on, per scan (a server asks for every file on every query). */
  private readonly checked = new WeakMap<FileIndex, SearchEntry | null>();

  /** Whether a build would have summarised this file: plain, with enough blocks (then a missing entry means it changed). */
  expects(f: FileIndex): boolean {
    return summarisable(f);
  }

  /**
   * The byte ranges of a file that may hold a needle with these filter rows, adjacent blocks joined; the
   * rest cannot. Undefined when the index does not cover the file as it is (then it is read whole).
   */
  candidates(f: FileIndex, rows: readonly number[]): ByteRange[] | undefined {
    const e = this.current(f);
    if (!e) return undefined;
    try {
      return this.rangesOf(e, rows);
    } catch {
      return undefined; // the index file went away or shrank under us: the file is read whole
    }
  }

  private rangesOf(e: SearchEntry, rows: readonly number[]): ByteRange[] {
    // Synchronous reads: a query reads a few hundred bytes per segment, and an async read costs a thread
    // pool round trip each — ten times the read itself.
    const fd = openSync(this.file, 'r');
    try {
      const ranges: ByteRange[] = [];
      for (const [s, seg] of e.segments.entries()) {
        const stride = rowBytes(seg.blocks);
        const size = segmentBytes(seg.blocks);
        const whole = size <= READ_WHOLE_BYTES || rows.length * stride * 8 > size ? readAtSync(fd, seg.at, size) : undefined;
        const row = (r: number) => (whole ? whole.subarray(r * stride, (r + 1) * stride) : readAtSync(fd, seg.at + r * stride, stride));
        for (const b of candidateBlocks(seg.blocks, rows, row)) {
          const block = s * SEGMENT_BLOCKS + b;
          const start = e.starts[block];
          const end = block + 1 < e.starts.length ? e.starts[block + 1] : e.size;
          const last = ranges[ranges.length - 1];
          if (last && last[1] === start) last[1] = end;
          else ranges.push([start, end]);
        }
      }
      return ranges;
    } finally {
      closeSync(fd);
    }
  }

  /** The filters of one saved segment (to carry them into a rebuilt index). */
  segment(e: SearchEntry, s: number): Uint8Array {
    const fd = openSync(this.file, 'r');
    try {
      return readAtSync(fd, e.segments[s].at, segmentBytes(e.segments[s].blocks));
    } finally {
      closeSync(fd);
    }
  }

  /** A saved entry with its filters, as a build's input for a file that grew. */
  fileSearch(e: SearchEntry): FileSearch {
    const segments: Uint8Array[] = [];
    for (let s = 0; s < e.segments.length; s++) segments.push(this.segment(e, s));
    return { path: e.path, size: e.size, mtimeMs: e.mtimeMs, headHash: e.headHash, starts: e.starts, segments };
  }
}

/** Whether every block start after the first is one of the file's checkpoints. */
function onCheckpoints(starts: readonly number[], f: FileIndex): boolean {
  const cps = f.checkpoints;
  let c = 0;
  for (let i = 1; i < starts.length; i++) {
    while (c < cps.length && cps[c][1] < starts[i]) c++;
    if (c >= cps.length || cps[c][1] !== starts[i]) return false;
  }
  return true;
}

function readAtSync(fd: number, at: number, bytes: number): Uint8Array {
  const buf = Buffer.allocUnsafe(bytes);
  let got = 0;
  while (got < bytes) {
    const n = readSync(fd, buf, got, bytes - got, at + got);
    if (n === 0) throw new Error('the search index is shorter than its directory says');
    got += n;
  }
  return buf;
}

/**
 * Writes a search index file by file as the build finishes them, so memory holds one file's filters, not
 * the bundle's; the directory goes last and the header (which points to it) is written over the reserved
 * first bytes. Atomic: a temporary file renamed into place.
 */
export class SearchWriter {
  private readonly entries: SearchEntry[] = [];
  private at = HEADER_BYTES;

  private constructor(
    private readonly fh: fs.FileHandle,
    private readonly tmp: string,
    private readonly file: string,
    private readonly root: string,
  ) {}

  static async create(cacheDir: string, root: string): Promise<SearchWriter> {
    const refused = await cacheDirProblem(cacheDir, root);
    if (refused) throw new Error(refused);
    await makeCacheDir(cacheDir);
    const file = searchFile(cacheDir, root);
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    return new SearchWriter(await fs.open(tmp, 'w'), tmp, file, path.resolve(root));
  }

  /** Appends one file's filters. */
  async add(f: FileSearch): Promise<void> {
    const segments: SavedSegment[] = [];
    for (const [i, m] of f.segments.entries()) {
      const blocks = Math.min(SEGMENT_BLOCKS, f.starts.length - i * SEGMENT_BLOCKS);
      if (m.length !== segmentBytes(blocks)) throw new Error(`search filters of ${f.path} have the wrong size`);
      await this.fh.write(m, 0, m.length, this.at);
      segments.push({ blocks, at: this.at });
      this.at += m.length;
    }
    this.entries.push({ path: f.path, size: f.size, mtimeMs: f.mtimeMs, headHash: f.headHash, starts: f.starts, segments });
  }

  /** Writes the directory and header and puts the file in place. */
  async finish(): Promise<string> {
    try {
      const dir = serialize(this.entries.map((e) => ({ ...e, starts: Float64Array.from(e.starts) })));
      await this.fh.write(dir, 0, dir.length, this.at);
      const header: Header = {
        magic: MAGIC,
        version: SEARCH_FORMAT_VERSION,
        shape: GRAM_FILTER_SHAPE,
        root: this.root,
        dirAt: this.at,
        dirBytes: dir.length,
        checksum: createHash('sha1').update(dir).digest('hex'),
      };
      const line = Buffer.from(JSON.stringify(header));
      if (line.length > HEADER_BYTES) throw new Error('search index header too long');
      await this.fh.write(Buffer.concat([line, Buffer.alloc(HEADER_BYTES - line.length, 0x20)]), 0, HEADER_BYTES, 0);
      await this.fh.close();
      await fs.rename(this.tmp, this.file);
      return this.file;
    } catch (e) {
      await this.abandon();
      throw e;
    }
  }

  /** Drops the unfinished file. */
  async abandon(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await fs.rm(this.tmp, { force: true }).catch(() => undefined);
  }
}
