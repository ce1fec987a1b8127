import * as vscode from 'vscode';
import { globRegExp } from './activationGlobs';

/** Folders listed at most per workspace folder: a bundle shows itself in a few; a home folder is not walked. */
const MAX_FOLDERS = 400;

/**
 * Whether a workspace folder holds a file that one of the `workspaceContains:` globs matches. Folders are
 * listed breadth-first (shallow files first), at most MAX_FOLDERS, without entering linked or dot folders.
 * Names only: nothing is read, and the user's excludes do not hide a bundle from it.
 */
export async function folderMatches(folder: vscode.Uri, globs: readonly string[]): Promise<boolean> {
  const patterns = globs.map(globRegExp);
  const queue = [''];
  for (let listed = 0; queue.length > 0 && listed < MAX_FOLDERS; listed++) {
    const rel = queue.shift() ?? '';
    let entries: [string, vscode.FileType][];
    try {
      entries = await vscode.workspace.fs.readDirectory(rel ? vscode.Uri.joinPath(folder, rel) : folder);
    } catch {
      continue; // unreadable: the indexer will say so if it matters
    }
    for (const [name, type] of entries) {
      const path = rel ? `${rel}/${name}` : name;
      if (type & vscode.FileType.Directory) {
        if (!(type & vscode.FileType.SymbolicLink) && !name.startsWith('.')) queue.push(path);
      } else if (patterns.some((p) => p.test(path))) return true;
    }
  }
  return false;
}

/** Whether any local workspace folder looks like a log bundle (the language server reads local folders only). */
export async function workspaceLooksLikeBundle(globs: readonly string[]): Promise<boolean> {
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    if (f.uri.scheme === 'file' && (await folderMatches(f.uri, globs))) return true;
  }
  return false;
}
