import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { FileIndex } from '../core/model';

/**
 * Bumped whenever what a scan stores changes shape or meaning: an index written by another version is
 * rebuilt, never misread.
 */
export const INDEX_FORMAT_VERSION = 5;

const MAGIC = 'quorum-lens-index';

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

export type LoadResult = { scans: Map<string, FileIndex>; problem?: undefined } | { scans?: undefined; problem: string };

/**
 * Reads a persisted index. Missing, from another version, for other rules, or damaged (checksum) all
 * come back as a problem string, and the caller indexes from scratch.
 */
export async function loadIndex(cacheDir: string, root: string, rulesKey: string): Promise<LoadResult> {
  const file = cacheFile(cacheDir, root);
  let buf: Buffer;
  try {
    buf = await fs.readFile(file);
  } catch {
    return { problem: 'no saved index' };
  }
  const nl = buf.indexOf(0x0a);
  let header: Header;
  try {
    header = JSON.parse(buf.subarray(0, nl).toString('utf8')) as Header;
  } catch {
    return { problem: 'saved index is damaged (header)' };
  }
  if (header.magic !== MAGIC) return { problem: 'not an index file' };
  if (header.version !== INDEX_FORMAT_VERSION)
    return { problem: `saved index has format ${header.version}, this version uses ${INDEX_FORMAT_VERSION}` };
  if (header.root !== path.resolve(root)) return { problem: 'saved index is for another folder' };
  if (header.rulesKey !== rulesKey) return { problem: 'role rules changed since the index was saved' };
  const payload = buf.subarray(nl + 1);
  if (createHash('sha1').update(payload).digest('hex') !== header.checksum) return { problem: 'saved index is damaged (checksum)' };
  try {
    const entries = deserialize(payload) as [string, FileIndex][];
    return { scans: new Map(entries) };
  } catch {
    return { problem: 'saved index is damaged (payload)' };
  }
}

/** Writes the index atomically (temporary file, then rename) into the cache folder. */
export async function saveIndex(cacheDir: string, root: string, rulesKey: string, scans: ReadonlyMap<string, FileIndex>): Promise<string> {
  await fs.mkdir(cacheDir, { recursive: true });
  const payload = serialize([...scans]);
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
  await fs.writeFile(tmp, Buffer.concat([Buffer.from(JSON.stringify(header) + '\n'), payload]));
  await fs.rename(tmp, file);
  return file;
}
