import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { makeCacheDir } from './indexCache';
import { openRegular } from './readChunks';

/**
 * Bumped when what an extraction holds changes (the layout, the checks on entries): extractions made by
 * another version are made again, never trusted.
 */
export const EXTRACTION_FORMAT_VERSION = 1;
const MAGIC = 'quorum-lens-extraction';
/** Inside the extraction, at its top: a dotfile there is never indexed (the walk skips them). */
export const MANIFEST = '.quorum-lens-extraction.json';
/** A manifest is small (notes are capped): a bigger one is not read. */
const MAX_MANIFEST_BYTES = 4 << 20;

/** What an extraction folder holds, written last, inside it, before it is renamed into place. */
export interface ExtractionManifest {
  magic: typeof MAGIC;
  version: number;
  key: string;
  /** The archive or folder it was made from, when it was made (informative only). */
  source: string;
  notes: string[];
  files: number;
  bytes: number;
}

/** Where extractions live: a folder of the index cache, never anything beside the evidence. */
export function extractionsDir(cacheDir: string): string {
  return path.join(cacheDir, 'archives');
}

/** The sha256 of a file's content, read once from its open descriptor, with progress in bytes. */
export async function hashFile(file: string, onBytes?: (done: number, total: number) => void): Promise<{ sha256: string; size: number }> {
  const { fh, size } = await openRegular(file);
  try {
    const hash = createHash('sha256');
    let done = 0;
    for await (const chunk of fh.createReadStream({ highWaterMark: 1 << 20, autoClose: false }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      done += chunk.length;
      onBytes?.(done, size);
    }
    return { sha256: hash.digest('hex'), size };
  } finally {
    await fh.close();
  }
}

interface HashMemo {
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
  dev: number;
  sha256: string;
}

/**
 * The sha256 of an archive, remembered by path, size, mtime and inode in the cache: a reopen of an
 * unchanged archive costs a stat, not a read of gigabytes (the same trust the saved index gives mtimes).
 */
export async function archiveHash(cacheDir: string, file: string, onBytes?: (done: number, total: number) => void): Promise<string> {
  const real = await fs.realpath(file);
  const st = await fs.stat(real);
  const memoFile = path.join(extractionsDir(cacheDir), 'hashes', `${createHash('sha256').update(real).digest('hex').slice(0, 32)}.json`);
  try {
    const m = JSON.parse(await fs.readFile(memoFile, 'utf8')) as HashMemo;
    if (
      m.path === real &&
      m.size === st.size &&
      m.mtimeMs === st.mtimeMs &&
      m.ino === st.ino &&
      m.dev === st.dev &&
      /^[0-9a-f]{64}$/.test(m.sha256)
    )
      return m.sha256;
  } catch {
    /* no memo, or a damaged one: hash the file */
  }
  const { sha256 } = await hashFile(real, onBytes);
  const memo: HashMemo = { path: real, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, dev: st.dev, sha256 };
  await writeAtomically(memoFile, JSON.stringify(memo)).catch(() => undefined);
  return sha256;
}

/** Writes a small file by temporary file and rename, so a reader never sees half of it. */
async function writeAtomically(file: string, text: string): Promise<void> {
  await makeCacheDir(path.dirname(file));
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.writeFile(tmp, text);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** The manifest of a finished extraction, or undefined when it is missing, damaged or of another version or key. */
export async function readManifest(dir: string, key: string): Promise<ExtractionManifest | undefined> {
  try {
    const file = path.join(dir, MANIFEST);
    const st = await fs.lstat(file);
    if (!st.isFile() || st.size > MAX_MANIFEST_BYTES) return undefined;
    const m = JSON.parse(await fs.readFile(file, 'utf8')) as ExtractionManifest;
    if (m.magic !== MAGIC || m.version !== EXTRACTION_FORMAT_VERSION || m.key !== key || !Array.isArray(m.notes)) return undefined;
    if (!m.notes.every((n) => typeof n === 'string') || typeof m.files !== 'number' || typeof m.bytes !== 'number') return undefined;
    return m;
  } catch {
    return undefined;
  }
}

/** The manifest for a finished extraction, ready to be written. */
export function manifestOf(key: string, source: string, notes: string[], files: number, bytes: number): ExtractionManifest {
  return { magic: MAGIC, version: EXTRACTION_FORMAT_VERSION, key, source, notes, files, bytes };
}

/** Staging folders are hidden; extraction folders never are (their names get a `_` before a dot). */
const STAGING = /^\..*\.tmp-(\d+)-[0-9a-f]{8}$/;

/** A fresh hidden folder beside where the extraction will go, named for this process (a crash leaves it untrusted). */
export async function makeStaging(finalDir: string): Promise<string> {
  await makeCacheDir(path.dirname(finalDir));
  const dir = path.join(path.dirname(finalDir), `.${path.basename(finalDir)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(dir, { mode: 0o700 });
  return dir;
}

/**
 * Writes the manifest into a finished staging folder and renames it into place. When another process
 * got there first, its extraction is used and ours removed. Returns the manifest now in place.
 */
export async function commitStaging(staging: string, finalDir: string, manifest: ExtractionManifest): Promise<ExtractionManifest> {
  await fs.writeFile(path.join(staging, MANIFEST), JSON.stringify(manifest));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.rename(staging, finalDir);
      return manifest;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') {
        await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
        throw e;
      }
      const theirs = await readManifest(finalDir, manifest.key);
      if (theirs) {
        await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
        return theirs;
      }
      // A folder in the way that is no finished extraction: not trusted, replaced.
      await fs.rm(finalDir, { recursive: true, force: true });
    }
  }
  await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
  throw new Error(`could not move the extraction into ${finalDir}`);
}

/** Removes staging folders left by processes that died while unpacking (a running one is left alone). */
export async function removeDeadStaging(parent: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(STAGING.exec(name)?.[1] ?? NaN);
    if (!Number.isSafeInteger(pid) || pid <= 0 || isAlive(pid)) continue;
    await fs.rm(path.join(parent, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
