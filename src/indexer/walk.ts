import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface WalkedFile {
  /** Path relative to the bundle root, `/`-separated. */
  relPath: string;
  absPath: string;
  size: number;
  mtimeMs: number;
  /** Set when the path is a symlink to a file already listed under another path. */
  sameAs?: string;
}

export interface WalkResult {
  files: WalkedFile[];
  topLevelFolders: string[];
  notes: string[];
}

/**
 * Lists every regular file under the bundle root, following symlinks once: a link back into a folder
 * already visited (a loop) or to a file already listed is reported, not followed. Read-only.
 */
export async function walkBundle(root: string): Promise<WalkResult> {
  const files: WalkedFile[] = [];
  const notes: string[] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Map<string, string>();
  const topLevelFolders: string[] = [];

  async function visit(abs: string, rel: string, depth: number): Promise<void> {
    let real: string;
    try {
      real = await fs.realpath(abs);
    } catch (e) {
      notes.push(`${rel || '.'}: cannot resolve (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      return;
    }
    if (seenDirs.has(real)) {
      notes.push(`${rel}: symlink loop or repeated folder, not followed`);
      return;
    }
    seenDirs.add(real);
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(abs, { withFileTypes: true });
    } catch (e) {
      notes.push(`${rel || '.'}: folder not readable (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of entries) {
      const childAbs = path.join(abs, ent.name);
      const childRel = rel ? `${rel}/${ent.name}` : ent.name;
      let st: import('node:fs').Stats;
      try {
        st = await fs.stat(childAbs);
      } catch (e) {
        notes.push(
          `${childRel}: ${ent.isSymbolicLink() ? 'dangling symlink' : 'cannot stat'} (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
        );
        continue;
      }
      if (st.isDirectory()) {
        if (depth === 0) topLevelFolders.push(ent.name);
        if (ent.name.startsWith('.') && depth === 0) continue; // .git, .vscode
        await visit(childAbs, childRel, depth + 1);
      } else if (st.isFile()) {
        if (ent.name.startsWith('.') && depth === 0) continue; // .DS_Store, markers
        let real = childAbs;
        try {
          real = await fs.realpath(childAbs);
        } catch {
          /* keep the path as is */
        }
        const first = seenFiles.get(real);
        if (first === undefined) seenFiles.set(real, childRel);
        files.push({ relPath: childRel, absPath: childAbs, size: st.size, mtimeMs: st.mtimeMs, sameAs: first });
      }
    }
  }

  await visit(root, '', 0);
  return { files, topLevelFolders, notes };
}
