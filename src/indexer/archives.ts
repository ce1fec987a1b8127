import { createHash } from 'node:crypto';
import { promises as fs, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { archiveFolderName, archiveKind, unsupportedArchiveReason, type ArchiveKind } from './archiveFormat';
import { archiveHash, commitStaging, extractionsDir, makeStaging, manifestOf, readManifest, removeDeadStaging } from './archiveCache';
import { ExtractedTree, isDiskError } from './archiveOutput';
import { ExtractionBudget, sizeText, type ArchiveLimits } from './archiveLimits';
import { expandNodeArchives, extractAsFolder, freeName, topLevelArchives, type ArchiveFile } from './archiveUnpack';
import { openRegular } from './readChunks';
import { walkBundle, type WalkedFile } from './walk';
import { plural } from '../core/plural';

export { archiveKind, type ArchiveFile, type ArchiveKind, type ArchiveLimits };
export { DEFAULT_ARCHIVE_LIMITS } from './archiveLimits';

/** How far unpacking has got: bytes of the archives read (hashed, then unpacked) out of their total size. */
export interface ArchiveProgress {
  phase: 'hashing' | 'unpacking';
  /** The archive being read (its file name). */
  archive: string;
  doneBytes: number;
  totalBytes: number;
}

export interface UnpackOptions {
  /** The index cache folder: extractions go to its `archives/`. `false`: a fresh temporary folder, removed on exit. */
  cacheDir: string | false;
  limits?: Partial<ArchiveLimits>;
  onProgress?(p: ArchiveProgress): void;
}

/** An archive (or a folder of them) made into a folder to index. */
export interface Unpacked {
  /** What was opened: the archive file, or the folder holding the archives (absolute). */
  source: string;
  kind: 'archive' | 'folder';
  /** The archives unpacked, absolute. */
  archives: string[];
  /** The extraction: the folder to index (`<cache>/archives/<sha256>/<name>/`, or in a temporary folder). */
  extractedTo: string;
  /** True when an extraction made by an earlier run was used as it was. */
  reused: boolean;
  /** True when `extractedTo` is a temporary folder removed when this process exits. */
  temporary: boolean;
  /** What unpacking refused or stopped at, by archive: for the index's notes. */
  notes: string[];
}

/**
 * Plain files copied beside node archives into the combined view at most: a small test log or README is
 * copied, a whole plain bundle beside an archive is not (that folder is indexed as it is instead).
 */
export const PLAIN_COPY_CAP = 1024 ** 3;

/** Raised when an archive cannot be unpacked at all (not an archive, unreadable, the disk full). */
export class ArchiveError extends Error {}

type Built = { notes: string[]; files: number; bytes: number };

/** Folders made without a cache: removed when the process exits (a killed process leaves them in the temp folder). */
const temporaries = new Set<string>();
let cleanupHooked = false;
async function temporaryFolder(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'quorum-lens-unpacked-'));
  temporaries.add(dir);
  if (!cleanupHooked) {
    cleanupHooked = true;
    process.on('exit', () => {
      for (const d of temporaries) rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}

/**
 * Makes (or finds) the extraction `<cache>/archives/<key>/<folder>/`: an existing one whose manifest is
 * sound is used as it is; otherwise `build` fills a hidden staging folder, which gets its manifest and is
 * renamed into place only once complete, so a crash never leaves a half extraction that a later run trusts.
 * The folder name is part of the identity: the same bytes opened under another name index the same way
 * every time, whichever name came first.
 */
async function materialize(
  options: UnpackOptions,
  key: string,
  folder: string,
  source: string,
  build: (root: string) => Promise<Built>,
): Promise<{ root: string; built: Built; reused: boolean; temporary: boolean }> {
  if (options.cacheDir === false) {
    const root = path.join(await temporaryFolder(), folder);
    await fs.mkdir(root);
    return { root, built: await build(root), reused: false, temporary: true };
  }
  const parent = path.join(extractionsDir(options.cacheDir), key);
  const finalDir = path.join(parent, folder);
  const identity = `${key}/${folder}`;
  const found = await readManifest(finalDir, identity);
  if (found) return { root: finalDir, built: found, reused: true, temporary: false };
  await removeDeadStaging(parent);
  const staging = await makeStaging(finalDir);
  let built: Built;
  try {
    built = await build(staging);
  } catch (e) {
    await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  }
  const m = await commitStaging(staging, finalDir, manifestOf(identity, source, built.notes, built.files, built.bytes));
  return { root: finalDir, built: m, reused: false, temporary: false };
}

/** Progress over a job's archives, told per archive as bytes read of it. */
function progressOf(options: UnpackOptions, phase: ArchiveProgress['phase'], archives: readonly ArchiveFile[]) {
  const totalBytes = archives.reduce((s, a) => s + a.size, 0);
  let before = 0;
  return {
    next(a: ArchiveFile) {
      const start = before;
      before += a.size;
      return (read: number) =>
        options.onProgress?.({ phase, archive: path.basename(a.path), doneBytes: start + Math.min(read, a.size), totalBytes });
    },
  };
}

/** The archive at `file`, checked to be one: its kind and size, or an ArchiveError saying what it is instead. */
export async function archiveFile(file: string): Promise<ArchiveFile> {
  const abs = path.resolve(file);
  let kind: ArchiveKind | undefined;
  let size: number;
  try {
    const { fh, size: s } = await openRegular(abs);
    await fh.close();
    size = s;
    kind = await archiveKind(abs);
  } catch (e) {
    throw new ArchiveError(`cannot read ${file}: ${(e as Error).message}`);
  }
  if (!kind)
    throw new ArchiveError(
      unsupportedArchiveReason(path.basename(abs)) ?? `not a folder or an archive (.tar.gz, .tgz, .tar, .zip): ${file}`,
    );
  return { path: abs, kind, size };
}

/** Errors of the disk while unpacking become an ArchiveError naming where unpacking was going. */
async function unpacking<T>(where: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    // Errors of the system (disk full, permissions) are the user's to fix; anything else is a bug, kept whole.
    if (e instanceof ArchiveError || (e as NodeJS.ErrnoException).code === undefined) throw e;
    throw new ArchiveError(`could not unpack into ${where}: ${(e as Error).message}`);
  }
}

/**
 * Unpacks a bundle archive (.tar.gz, .tgz, .tar, .zip, by content) once into the cache, keyed by the
 * sha256 of its content: a reopen of the same archive reuses the extraction. Refused entries (outside
 * the archive, links, devices, over a cap) are noted, never written; per-node archives directly inside it
 * are unpacked into folders of their own (one level). Nothing is ever written beside the archive.
 */
export async function unpackArchive(file: string, options: UnpackOptions): Promise<Unpacked> {
  const archive = await archiveFile(file);
  const name = path.basename(archive.path);
  const key = options.cacheDir === false ? '' : await archiveHash(options.cacheDir, archive.path, hashProgress(options, archive));
  const where = options.cacheDir === false ? os.tmpdir() : extractionsDir(options.cacheDir);
  const folder = archiveFolderName(name);
  const made = await unpacking(where, () =>
    materialize(options, key, folder, archive.path, async (root) => {
      const budget = new ExtractionBudget(options.limits);
      await extractAsFolder(archive, root, folder, budget, progressOf(options, 'unpacking', [archive]).next(archive));
      const notes = budget.notes.map((n) => `${name}: ${n}`);
      const inner = await expandNodeArchives(root, budget, notes, () => undefined);
      return { notes, files: budget.files + inner.files, bytes: budget.fileBytes + inner.bytes };
    }),
  );
  return {
    source: archive.path,
    kind: 'archive',
    archives: [archive.path],
    extractedTo: made.root,
    reused: made.reused,
    temporary: made.temporary,
    notes: made.built.notes,
  };
}

function hashProgress(options: UnpackOptions, a: ArchiveFile) {
  const p = progressOf(options, 'hashing', [a]).next(a);
  return (done: number) => p(done);
}

/** What a folder is, by what lies directly in it: plain, one archive and nothing else, or node archives. */
export type FolderPlan =
  | { kind: 'plain'; archives: ArchiveFile[] }
  | { kind: 'archive'; archive: ArchiveFile }
  | { kind: 'nodeArchives'; archives: ArchiveFile[]; /** Names of the other (plain) entries beside them. */ others: string[] };

/** Reads only the folder's top level (names, and the first bytes of its files). */
export async function planFolder(dir: string): Promise<FolderPlan> {
  const { archives, others } = await topLevelArchives(dir);
  if (archives.length === 0) return { kind: 'plain', archives };
  if (archives.length === 1 && others.length === 0) return { kind: 'archive', archive: archives[0] };
  return { kind: 'nodeArchives', archives, others };
}

/**
 * Unpacks the archives lying directly in a folder (`172_20_131_241.tar.gz`, …) into a combined view in
 * the cache: each under a folder named after it, beside copies of the folder's plain files, so the view
 * indexes as the bundle would had the archives been unpacked in place. Undefined (nothing written) when
 * the plain files pass PLAIN_COPY_CAP: the caller indexes the folder as it is, and says so.
 */
export async function unpackFolder(dir: string, archives: readonly ArchiveFile[], options: UnpackOptions): Promise<Unpacked | undefined> {
  const absDir = path.resolve(dir);
  const names = new Set(archives.map((a) => path.basename(a.path)));
  const walked = await walkBundle(absDir);
  const plain = walked.files.filter((f) => !names.has(f.relPath));
  const plainBytes = plain.reduce((s, f) => s + f.size, 0);
  if (plainBytes > PLAIN_COPY_CAP) return undefined;
  let key = '';
  if (options.cacheDir !== false) {
    const cacheDir = options.cacheDir;
    const hashes: string[] = [];
    for (const a of archives) hashes.push(await archiveHash(cacheDir, a.path, hashProgress(options, a)));
    const identity = {
      folder: await fs.realpath(absDir),
      archives: archives.map((a, i) => [path.basename(a.path), hashes[i]]),
      plain: plain.map((f) => [f.relPath, f.size, f.mtimeMs]),
    };
    key = `view-${createHash('sha256').update(JSON.stringify(identity)).digest('hex')}`;
  }
  const base = path.basename(absDir);
  const where = options.cacheDir === false ? os.tmpdir() : extractionsDir(options.cacheDir);
  const made = await unpacking(where, () =>
    materialize(options, key, base.startsWith('.') ? `_${base}` : base, absDir, async (root) => {
      const budget = new ExtractionBudget(options.limits);
      const notes = [...walked.notes];
      const tree = new ExtractedTree(root);
      for (const f of plain) {
        const opened = await tree.openFile(f.relPath.split('/'));
        if ('problem' in opened) {
          notes.push(`${f.relPath}: not copied beside the archives: ${opened.problem}`);
          continue;
        }
        await copyInto(tree, opened, f, absDir).catch((e: unknown) => {
          if (isDiskError(e)) throw e;
          notes.push(`${f.relPath}: not copied beside the archives: ${(e as Error).message}`);
        });
      }
      const taken = new Set(walked.topLevelFolders.concat(plain.filter((f) => !f.relPath.includes('/')).map((f) => f.relPath)));
      const progress = progressOf(options, 'unpacking', archives);
      let files = plain.length;
      let bytes = plainBytes;
      for (const a of archives) {
        const name = path.basename(a.path);
        const folder = freeName(archiveFolderName(name), taken);
        taken.add(folder);
        const own = budget.forArchive();
        await extractAsFolder(a, path.join(root, folder), folder, own, progress.next(a));
        notes.push(
          `${name}: unpacked into ${folder}/ (${plural(own.files, 'file')}, ${sizeText(own.fileBytes)})`,
          ...own.notes.map((n) => `${name}: ${n}`),
        );
        files += own.files;
        bytes += own.fileBytes;
      }
      return { notes, files, bytes };
    }),
  );
  return {
    source: absDir,
    kind: 'folder',
    archives: archives.map((a) => a.path),
    extractedTo: made.root,
    reused: made.reused,
    temporary: made.temporary,
    notes: made.built.notes,
  };
}

/** Copies one plain file of the folder into the view (read through its descriptor, inside the folder). */
async function copyInto(tree: ExtractedTree, opened: { fh: fs.FileHandle; file: string }, f: WalkedFile, root: string): Promise<void> {
  let source: Awaited<ReturnType<typeof openRegular>>;
  try {
    source = await openRegular(f.absPath, root);
  } catch (e) {
    await opened.fh.close();
    throw e;
  }
  try {
    await tree.write(opened, source.fh.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>, f.size, new Date(f.mtimeMs));
  } finally {
    await source.fh.close();
  }
}
