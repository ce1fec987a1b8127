import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import { isInside, specialKind } from './readChunks';

export interface WalkedFile {
  /** Path relative to the bundle root, `/`-separated. */
  relPath: string;
  /** Where the file really is (links resolved): always inside the bundle root. */
  absPath: string;
  size: number;
  mtimeMs: number;
  /**
   * Set when this path reaches a file listed under another path: the other is the file's own path (the one
   * with no link in it) whatever order folders are listed in, so a link never stands in for the file it names.
   */
  sameAs?: string;
  /** How a path other than the file's own reaches it: the entry is a symlink, or a folder on the way is. */
  link?: 'file' | 'folder';
}

export interface WalkResult {
  files: WalkedFile[];
  topLevelFolders: string[];
  notes: string[];
}

const errorCode = (e: unknown) => (e as NodeJS.ErrnoException).code ?? String(e);

/** A file name's bytes with everything but printable ASCII as `\xNN`, for a note. */
function escapedBytes(name: Buffer): string {
  let out = '';
  for (const b of name) out += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return out;
}

/**
 * Lists every regular file under the bundle root. Nothing outside the root is read: each entry is
 * `lstat`ed, and a symlink is resolved with `realpath` and followed (file or folder) only when its target
 * stays inside the root's real path; a link outside, a FIFO, socket or device is listed in the notes with
 * its reason. A link back into a folder already visited (a loop) is reported, not followed again; a file
 * reached under several paths is listed under each, all but its own marked `sameAs`. Read-only.
 */
export async function walkBundle(root: string): Promise<WalkResult> {
  const files: WalkedFile[] = [];
  const notes: string[] = [];
  const seenDirs = new Set<string>();
  const linkedFolders: (() => Promise<void>)[] = [];
  const topLevelFolders: string[] = [];
  let rootReal: string;
  try {
    rootReal = await fs.realpath(root);
  } catch (e) {
    return { files, topLevelFolders, notes: [`.: cannot resolve (${errorCode(e)})`] };
  }

  /** `real` is the folder's resolved path (inside the root); `rel` the path it is listed under. */
  async function visit(real: string, rel: string, depth: number): Promise<void> {
    if (seenDirs.has(real)) {
      notes.push(`${rel}: symlink loop or repeated folder, not followed`);
      return;
    }
    seenDirs.add(real);
    let entries: import('node:fs').Dirent<Buffer>[];
    try {
      // Names as bytes: a name that is not UTF-8 would otherwise come back mangled and not be found.
      entries = await fs.readdir(real, { withFileTypes: true, encoding: 'buffer' });
    } catch (e) {
      notes.push(`${rel || '.'}: folder not readable (${errorCode(e)})`);
      return;
    }
    const named = entries.map((ent) => ({ ent, name: ent.name.toString('utf8') }));
    named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { ent, name } of named) {
      const childRel = rel ? `${rel}/${name}` : name;
      if (!Buffer.from(name, 'utf8').equals(ent.name)) {
        notes.push(`${rel ? `${rel}/` : ''}${escapedBytes(ent.name)}: file name is not valid UTF-8: ${escapedBytes(ent.name)}, not read`);
        continue;
      }
      const childPath = path.join(real, name);
      let st: Stats;
      let target = childPath;
      try {
        st = await fs.lstat(childPath);
      } catch (e) {
        notes.push(`${childRel}: cannot stat (${errorCode(e)})`);
        continue;
      }
      if (st.isSymbolicLink()) {
        try {
          target = await fs.realpath(childPath);
        } catch (e) {
          const code = errorCode(e);
          notes.push(`${childRel}: ${code === 'ELOOP' ? 'symlink loop, not followed' : 'dangling symlink'} (${code})`);
          continue;
        }
        if (!isInside(rootReal, target)) {
          notes.push(`${childRel}: symlink to outside the bundle, not followed: ${target}`);
          continue;
        }
        try {
          // The resolved path holds no links: lstat does not leave the bundle.
          st = await fs.lstat(target);
        } catch (e) {
          notes.push(`${childRel}: dangling symlink (${errorCode(e)})`);
          continue;
        }
      }
      if (st.isDirectory()) {
        if (depth === 0) topLevelFolders.push(name);
        if (name.startsWith('.') && depth === 0) continue; // .git, .vscode
        // A linked folder is visited after every real one, so its files are listed under their own paths.
        if (target !== childPath) linkedFolders.push(() => visit(target, childRel, depth + 1));
        else await visit(target, childRel, depth + 1);
      } else if (st.isFile()) {
        if (name.startsWith('.') && depth === 0) continue; // .DS_Store, markers
        const link = target === path.join(rootReal, ...childRel.split('/')) ? undefined : childPath === target ? 'folder' : 'file';
        files.push({ relPath: childRel, absPath: target, size: st.size, mtimeMs: st.mtimeMs, link });
      } else {
        notes.push(`${childRel}: ${st.isSymbolicLink() ? 'a symlink that changed while listed' : specialKind(st)}, not read`);
      }
    }
  }

  await visit(rootReal, '', 0);
  while (linkedFolders.length > 0) await linkedFolders.shift()?.();
  markSamePaths(files);
  return { files, topLevelFolders, notes };
}

/**
 * Each file listed under several paths keeps one: its own when listed (glog's `zbs-metad.INFO` link must not
 * take the place of `zbs-metad.log.<ts>.<pid>`, whose name gives the pid), else the first; the others get `sameAs`.
 */
function markSamePaths(files: WalkedFile[]): void {
  const byTarget = new Map<string, WalkedFile[]>();
  for (const f of files) {
    const list = byTarget.get(f.absPath);
    if (list) list.push(f);
    else byTarget.set(f.absPath, [f]);
  }
  for (const list of byTarget.values()) {
    if (list.length < 2) continue;
    const own = list.find((f) => f.link === undefined) ?? list[0];
    for (const f of list) if (f !== own) f.sameAs = own.relPath;
  }
}
