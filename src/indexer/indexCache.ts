import { createHash } from 'node:crypto';
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { FORMATS } from '../core/formats';
import type { Checkpoint, EventTally, FileIndex, Gap, GapScanState, TallyMark } from '../core/model';
import { GAP_BUCKETS, MAX_GAPS } from '../core/silences';
import { DECISIVE_EVENT_CAP, EVENT_BUDGET, MAX_EVENT_TALLIES } from './eventBudget';
import { isInside } from './readChunks';

/**
 * Bumped whenever what a scan stores changes shape or meaning: an index written by another version is
 * rebuilt, never misread.
 */
export const INDEX_FORMAT_VERSION = 10;

const MAGIC = 'quorum-lens-index';

/**
 * A saved index larger than this is not read (it would take the heap with it): deleted and rebuilt; an index
 * that would be larger is not written.
 */
export const MAX_INDEX_FILE_BYTES = 1024 ** 3;
/** The header line is read first: an index of another version, folder or rule set is refused unread. */
const HEADER_BYTES = 64 * 1024;

interface Header {
  magic: string;
  version: number;
  root: string;
  rulesKey: string;
  checksum: string;
  files: number;
}

/** Where the CLI keeps indexes: $XDG_CACHE_HOME/quorum-lens (~/.cache/quorum-lens), never in the bundle. */
export function defaultCacheDir(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'quorum-lens');
}

/** The index file of one bundle in a cache folder: named by a hash of the bundle's absolute path. */
export function cacheFile(cacheDir: string, root: string): string {
  const key = createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 32);
  return path.join(cacheDir, `${key}.qlidx`);
}

/**
 * Why `cacheDir` must not hold the index of the bundle at `root`: it lies inside the bundle (a bundle is
 * never written to, and a cache planted in it is not trusted). Undefined when it may.
 */
export async function cacheDirProblem(cacheDir: string, root: string): Promise<string | undefined> {
  let rootReal: string;
  try {
    rootReal = await fs.realpath(root);
  } catch {
    rootReal = path.resolve(root);
  }
  // The folder may not exist yet: resolve its nearest existing ancestor and add the rest.
  let dir = path.resolve(cacheDir);
  const rest: string[] = [];
  for (let i = 0; i < 256; i++) {
    try {
      dir = path.join(await fs.realpath(dir), ...rest);
      break;
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) break;
      rest.unshift(path.basename(dir));
      dir = parent;
    }
  }
  if (isInside(rootReal, dir) || isInside(rootReal, path.resolve(cacheDir)))
    return `the cache folder ${cacheDir} is inside the bundle: the index is not saved (nothing is written into a bundle)`;
  return undefined;
}

/**
 * Creates the cache folder one level at a time. `mkdir -p` loops forever under /proc (ENOENT for the child,
 * EEXIST for the parent); here every level is tried once and a failure is an error, never a loop.
 */
export async function makeCacheDir(cacheDir: string): Promise<void> {
  const abs = path.resolve(cacheDir);
  const levels: string[] = [];
  for (let d = abs; ; d = path.dirname(d)) {
    levels.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of levels) {
    try {
      const st = await fs.stat(d);
      if (st.isDirectory()) continue;
      throw new Error(`${d} is not a folder`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    await fs.mkdir(d).catch(async (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST' || !(await fs.stat(d)).isDirectory()) throw e;
    });
  }
  if (!(await fs.stat(abs)).isDirectory()) throw new Error(`${abs} is not a folder`);
}

export type LoadResult =
  | {
      scans: Map<string, FileIndex>;
      problem?: undefined;
      /** Entries dropped as damaged, with the reason: those files are rescanned. */ damaged: string[];
    }
  | { scans?: undefined; problem: string; damaged?: undefined };

const FORMAT_IDS = new Set<string>(FORMATS.map((f) => f.id));
const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** A relative path as the walk writes it: `/`-separated, no empty, `.` or `..` parts, not absolute. */
function isBundlePath(p: string): boolean {
  return p.length > 0 && !p.startsWith('/') && !p.includes('\0') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/**
 * Why a saved scan cannot be used as it is (a path that is not a bundle path, checkpoints that are
 * negative, out of order or past the file, offsets past the file), or undefined when it is sound. The
 * cache is input like any other: a tampered one must not steer reads.
 */
export function scanProblem(key: string, f: FileIndex): string | undefined {
  if (typeof f !== 'object' || f === null) return 'not a scan';
  if (typeof key !== 'string' || !isBundlePath(key) || f.path !== key) return 'path is not the one listed';
  if (!isCount(f.size) || typeof f.mtimeMs !== 'number' || !isCount(f.bytes) || !isCount(f.lines) || typeof f.gzip !== 'boolean')
    return 'sizes are not counts';
  if (typeof f.node !== 'string' || typeof f.format !== 'string' || !FORMAT_IDS.has(f.format)) return 'unknown node or format';
  if (![f.events, f.checkpoints, f.errorsPerMinute, f.notes].every(Array.isArray)) return 'lists missing';
  const limit = f.gzip ? f.bytes : f.size;
  let line = 1;
  let offset = -1;
  for (const c of f.checkpoints) {
    if (!Array.isArray(c) || !isCount(c[0]) || !isCount(c[1]) || typeof c[2] !== 'number' || !Number.isFinite(c[2]))
      return 'a checkpoint is not a (line, offset, time)';
    if (c[0] < line || c[1] <= offset) return 'checkpoints out of order';
    if (c[1] > limit) return 'a checkpoint lies past the end of the file';
    line = c[0];
    offset = c[1];
  }
  if (f.events.length > EVENT_BUDGET + DECISIVE_EVENT_CAP) return 'more events than a scan keeps';
  for (const e of f.events) {
    if (typeof e !== 'object' || e === null || !isCount(e.line) || !isCount(e.offset) || e.offset > limit)
      return 'an event lies outside the file';
  }
  const tallies: unknown = f.eventTallies;
  if (tallies !== undefined) {
    // The cap on distinct tallies, plus those counting the sessions past it together.
    if (!Array.isArray(tallies) || tallies.length > 2 * MAX_EVENT_TALLIES) return 'event counts damaged';
    for (const t of tallies as unknown[]) if (!isTally(t, limit)) return 'event counts damaged';
  }
  const unkept: unknown = f.unkeptEvents;
  if (unkept !== undefined && (typeof unkept !== 'object' || unkept === null || !Object.values(unkept).every(isCount)))
    return 'event counts damaged';
  if (!areGaps(f.gaps, limit) || !isHistogram(f.gapHistogram) || !isDated(f.firstDated, limit) || !isDated(f.lastDated, limit))
    return 'gaps between lines damaged';
  const r = f.resume;
  if (r !== undefined) {
    if (typeof r !== 'object' || r === null || !isCount(r.offset) || r.offset > f.size || !isCount(r.headBytes) || r.headBytes > f.size)
      return 'the resume point lies outside the file';
    if (typeof r.headHash !== 'string' || typeof r.state !== 'object' || r.state === null || !isStepState(r.state.steps, r.offset))
      return 'the resume state is damaged';
  }
  return undefined;
}

const isTime = (t: unknown): t is number => typeof t === 'number' && Number.isFinite(t);

/** Saved gaps as a scan writes them: at most `MAX_GAPS`, forward, at lines inside the file. Absent is fine. */
function areGaps(gaps: unknown, limit: number): boolean {
  if (gaps === undefined) return true;
  if (!Array.isArray(gaps) || gaps.length > MAX_GAPS) return false;
  return (gaps as unknown[]).every((g) => {
    if (typeof g !== 'object' || g === null) return false;
    const { from, to, line, offset, lineBefore } = g as Partial<Gap>;
    return isTime(from) && isTime(to) && to >= from && isCount(line) && isCount(lineBefore) && isCount(offset) && offset <= limit;
  });
}

function isHistogram(h: unknown): boolean {
  return h === undefined || (Array.isArray(h) && h.length === GAP_BUCKETS && h.every(isCount));
}

function isDated(c: unknown, limit: number): boolean {
  if (c === undefined) return true;
  const [line, offset, time] = (Array.isArray(c) ? c : []) as Partial<Checkpoint>;
  return isCount(line) && isCount(offset) && offset <= limit && isTime(time);
}

/** The step record a resumed scan starts from: read back into the scanner, so it must have its shape. */
function isStepState(st: unknown, limit: number): boolean {
  if (typeof st !== 'object' || st === null) return false;
  const { gaps, min, histogram, firstDated, lastDated, stray } = st as Partial<GapScanState>;
  return (
    Array.isArray(gaps) &&
    areGaps(gaps, limit) &&
    isTime(min) &&
    Array.isArray(histogram) &&
    isHistogram(histogram) &&
    isDated(firstDated, limit) &&
    isDated(lastDated, limit) &&
    isDated(stray, limit)
  );
}

/** A saved tally as a scan writes it: a count, its id and text, and first/last lines inside the file. */
function isTally(t: unknown, limit: number): boolean {
  if (typeof t !== 'object' || t === null) return false;
  const { count, id, text, first, last } = t as Partial<EventTally>;
  const isMark = (m: unknown) => {
    const { time, line, offset } = (typeof m === 'object' && m !== null ? m : {}) as Partial<TallyMark>;
    return typeof time === 'number' && Number.isFinite(time) && isCount(line) && isCount(offset) && offset <= limit;
  };
  return isCount(count) && count > 0 && typeof id === 'string' && typeof text === 'string' && isMark(first) && isMark(last);
}

/**
 * Checkpoints are saved as one flat Float64Array per file: a 10 GB bundle has 150 000 of them, and decoding
 * that many small arrays took ~170 ms of every run that loads the index; the flat form decodes in a few.
 */
function flatten(checkpoints: readonly Checkpoint[]): Float64Array {
  const out = new Float64Array(checkpoints.length * 3);
  checkpoints.forEach((c, i) => out.set(c, 3 * i));
  return out;
}

/** Back to (line, offset, time) tuples, in place; anything but a flat array of triples is left for `scanProblem` to refuse. */
function unflatten(f: FileIndex): void {
  const flat: unknown = typeof f === 'object' && f !== null ? f.checkpoints : undefined;
  if (!(flat instanceof Float64Array) || flat.length % 3 !== 0) return;
  const out = new Array<Checkpoint>(flat.length / 3);
  for (let i = 0; i < out.length; i++) out[i] = [flat[3 * i], flat[3 * i + 1], flat[3 * i + 2]];
  f.checkpoints = out;
}

/** Removes a saved index that cannot be used, so the next run does not trip over it again. */
async function discard(file: string, problem: string): Promise<LoadResult> {
  await fs.rm(file, { force: true }).catch(() => undefined);
  return { problem };
}

/**
 * Reads a persisted index. Missing, from another version, for other rules, too big, or damaged (checksum,
 * shape) all come back as a problem string (a damaged or oversized file is deleted), and the caller
 * indexes from scratch. Single entries that fail `scanProblem` are dropped and named in `damaged`.
 * A run that dies while decoding the index (out of memory) leaves a mark beside it: the next run deletes
 * the index instead of dying the same way.
 */
export async function loadIndex(cacheDir: string, root: string, rulesKey: string): Promise<LoadResult> {
  const file = cacheFile(cacheDir, root);
  const mark = `${file}.loading`;
  if (await diedLoading(mark)) {
    await fs.rm(mark, { force: true }).catch(() => undefined);
    return discard(file, 'saved index is damaged or too big to load: the last run stopped while loading it (out of memory?); deleted');
  }
  let buf: Buffer;
  let nl: number;
  let header: Header;
  try {
    const fh = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    try {
      const st = await fh.stat();
      if (!st.isFile()) return { problem: 'saved index is not a regular file' };
      if (st.size > MAX_INDEX_FILE_BYTES)
        return await discard(
          file,
          `saved index is too big (${st.size} bytes, over the ${MAX_INDEX_FILE_BYTES / 1024 ** 3} GiB cap): deleted`,
        );
      const read = async (into: Buffer, from: number) => {
        let got = from;
        while (got < into.length) {
          const { bytesRead } = await fh.read(into, got, into.length - got, got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return got;
      };
      // The header first: an index of another version, folder or rule set is refused without reading the rest.
      const head = Buffer.alloc(Math.min(st.size, HEADER_BYTES));
      const headGot = await read(head, 0);
      nl = head.subarray(0, headGot).indexOf(0x0a);
      try {
        header = JSON.parse(head.subarray(0, nl < 0 ? headGot : nl).toString('utf8')) as Header;
      } catch {
        return await discard(file, 'saved index is damaged (header)');
      }
      const refused = headerProblem(header, root, rulesKey);
      if (refused) return refused.discard ? await discard(file, refused.problem) : { problem: refused.problem };
      buf = Buffer.alloc(st.size);
      head.copy(buf, 0, 0, headGot);
      buf = buf.subarray(0, await read(buf, headGot));
    } finally {
      await fh.close();
    }
  } catch {
    return { problem: 'no saved index' };
  }
  const payload = buf.subarray(nl + 1);
  if (nl < 0 || createHash('sha1').update(payload).digest('hex') !== header.checksum)
    return discard(file, 'saved index is damaged (checksum)');
  let entries: unknown;
  // Marked while decoding: if this process dies here, the next one deletes the index (see `diedLoading`).
  const marked = await fs.writeFile(mark, String(process.pid)).then(
    () => true,
    () => false,
  );
  try {
    entries = deserialize(payload);
  } catch {
    return await discard(file, 'saved index is damaged (payload)');
  } finally {
    if (marked) await fs.rm(mark, { force: true }).catch(() => undefined);
  }
  if (!Array.isArray(entries)) return discard(file, 'saved index is damaged (payload)');
  const scans = new Map<string, FileIndex>();
  const damaged: string[] = [];
  for (const entry of entries as unknown[]) {
    const [key, f] = (Array.isArray(entry) ? entry : []) as [string, FileIndex];
    unflatten(f);
    const why = scanProblem(key, f);
    if (why) {
      damaged.push(`${typeof key === 'string' ? key : '?'}: ${why}`);
      continue;
    }
    delete f.duplicateOf; // set on copies during assembly, never on a saved scan
    scans.set(key, f);
  }
  return { scans, damaged };
}

/** Why a saved index's header refuses it, and whether the file is to be deleted (it is not an index at all). */
function headerProblem(header: Header, root: string, rulesKey: string): { problem: string; discard: boolean } | undefined {
  if (typeof header !== 'object' || header === null || header.magic !== MAGIC) return { problem: 'not an index file', discard: true };
  if (header.version !== INDEX_FORMAT_VERSION)
    return { problem: `saved index has format ${header.version}, this version uses ${INDEX_FORMAT_VERSION}`, discard: false };
  if (header.root !== path.resolve(root)) return { problem: 'saved index is for another folder', discard: false };
  if (header.rulesKey !== rulesKey) return { problem: 'role rules changed since the index was saved', discard: false };
  return undefined;
}

/** A loading mark left by a process that is gone: it died decoding the index. One still running is loading it now. */
async function diedLoading(mark: string): Promise<boolean> {
  let pid: number;
  try {
    pid = Number(await fs.readFile(mark, 'utf8'));
  } catch {
    return false;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

/**
 * Writes the index atomically (temporary file, then rename) into the cache folder; the temporary file is
 * removed when either step fails. Refuses a cache folder inside the bundle.
 */
export async function saveIndex(cacheDir: string, root: string, rulesKey: string, scans: ReadonlyMap<string, FileIndex>): Promise<string> {
  const refused = await cacheDirProblem(cacheDir, root);
  if (refused) throw new Error(refused);
  await makeCacheDir(cacheDir);
  const payload = serialize([...scans].map(([key, f]) => [key, { ...f, checkpoints: flatten(f.checkpoints) }]));
  if (payload.length > MAX_INDEX_FILE_BYTES)
    throw new Error(`the index is too big to save (${payload.length} bytes, over the ${MAX_INDEX_FILE_BYTES / 1024 ** 3} GiB cap)`);
  const header: Header = {
    magic: MAGIC,
    version: INDEX_FORMAT_VERSION,
    root: path.resolve(root),
    rulesKey,
    checksum: createHash('sha1').update(payload).digest('hex'),
    files: scans.size,
  };
  const file = cacheFile(cacheDir, root);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await fs.writeFile(tmp, Buffer.concat([Buffer.from(JSON.stringify(header) + '\n'), payload]));
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  return file;
}
