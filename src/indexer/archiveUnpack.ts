import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { archiveFolderName, archiveKind, type ArchiveKind } from './archiveFormat';
import type { ExtractionBudget } from './archiveLimits';
import { ExtractedTree } from './archiveOutput';
import { unpackTar } from './archiveTar';
import { unpackZip } from './archiveZip';
import { NotRegularFileError } from './readChunks';
import { plural } from '../core/plural';

/** One archive of a job, and the bytes it adds to the job's progress. */
export interface ArchiveFile {
  path: string;
  kind: ArchiveKind;
  size: number;
}

/** Extracts one archive's entries into `dest` (made here), by its kind. */
export async function extractInto(
  archive: ArchiveFile,
  dest: string,
  budget: ExtractionBudget,
  onBytes: (read: number) => void,
): Promise<void> {
  await fs.mkdir(dest, { recursive: true, mode: 0o755 });
  const tree = new ExtractedTree(dest);
  if (archive.kind === 'zip') await unpackZip(archive.path, tree, budget, onBytes);
  else await unpackTar(archive.path, tree, budget, onBytes);
}

/**
 * Extracts an archive into `dest` (made when missing), then lifts the content of a lone folder named
 * `liftName` into `dest` itself: `172_20_131_241.tar.gz` holding `172_20_131_241/…` becomes exactly the
 * node folder, as `tar -xf` beside the archive would have made it.
 */
export async function extractAsFolder(
  archive: ArchiveFile,
  dest: string,
  liftName: string,
  budget: ExtractionBudget,
  onBytes: (read: number) => void,
): Promise<void> {
  await extractInto(archive, dest, budget, onBytes);
  const entries = await fs.readdir(dest, { withFileTypes: true });
  if (entries.length !== 1 || !entries[0].isDirectory() || entries[0].name !== liftName) return;
  const aside = path.join(dest, `.lifting-${randomBytes(4).toString('hex')}`);
  await fs.rename(path.join(dest, liftName), aside);
  for (const child of await fs.readdir(aside)) await fs.rename(path.join(aside, child), path.join(dest, child));
  await fs.rmdir(aside);
}

/** A name for an archive's folder that no entry of `taken` has (`x`, then `x-from-archive`, `x-from-archive-2`, …). */
export function freeName(folder: string, taken: ReadonlySet<string>): string {
  if (!taken.has(folder)) return folder;
  for (let i = 1; ; i++) {
    const name = `${folder}-from-archive${i > 1 ? `-${i}` : ''}`;
    if (!taken.has(name)) return name;
  }
}

/** The regular files directly in a folder that are archives by their content (not links, not FIFOs). */
export async function topLevelArchives(dir: string): Promise<{ archives: ArchiveFile[]; others: string[] }> {
  const archives: ArchiveFile[] = [];
  const others: string[] = [];
  const entries = await fs.readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue; // the walk skips them too
    const p = path.join(dir, e.name);
    if (!e.isFile()) {
      others.push(e.name);
      continue;
    }
    let kind: ArchiveKind | undefined;
    let size = 0;
    try {
      kind = await archiveKind(p, dir);
      size = (await fs.lstat(p)).size;
    } catch (err) {
      if (!(err instanceof NotRegularFileError) && (err as NodeJS.ErrnoException).code === undefined) throw err;
    }
    if (kind) archives.push({ path: p, kind, size });
    else others.push(e.name);
  }
  return { archives, others };
}

/**
 * Unpacks the archives lying directly in an extracted folder (a cluster archive of per-node archives)
 * into folders named after them, and removes the archive copies (they are the cache's, not evidence).
 * One level only: archives inside those are left as they are. Notes go to `notes`, by archive.
 */
export async function expandNodeArchives(
  root: string,
  budget: ExtractionBudget,
  notes: string[],
  onBytes: (read: number) => void,
): Promise<{ files: number; bytes: number }> {
  const { archives, others } = await topLevelArchives(root);
  const taken = new Set(others);
  let files = 0;
  let bytes = 0;
  let read = 0;
  for (const a of archives) {
    const name = path.basename(a.path);
    const folder = freeName(archiveFolderName(name), taken);
    taken.add(folder);
    const own = budget.forArchive();
    await extractAsFolder(a, path.join(root, folder), folder, own, (n) => onBytes(read + n));
    read += a.size;
    await fs.rm(a.path, { force: true });
    notes.push(
      `${name}: per-node archive, unpacked into ${folder}/ (${plural(own.files, 'file')})`,
      ...own.notes.map((n) => `${name}: ${n}`),
    );
    files += own.files;
    bytes += own.fileBytes;
  }
  return { files, bytes };
}
