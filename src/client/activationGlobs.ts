// The `workspaceContains:` globs of package.json are the one list of what makes a workspace look like a
// log bundle. VS Code evaluates them with its search service, which gives up after 7 s and honours the
// user's `files.exclude`/`search.exclude`; the extension evaluates the same globs itself on a bounded walk
// (bundleProbe.ts) when it starts with the workbench. No `vscode` import: unit tests read this module.

/** The globs of the `workspaceContains:` activation events. */
export function workspaceContainsGlobs(activationEvents: readonly string[]): string[] {
  return activationEvents.filter((e) => e.startsWith('workspaceContains:')).map((e) => e.slice('workspaceContains:'.length));
}

/**
 * A glob in VS Code's syntax as a RegExp over `/`-separated paths relative to the folder: `**` any number
 * of folders, `*` and `?` within one name, `[0-9]` a class, `{a,b}` alternatives.
 */
export function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` is zero or more folders; a trailing `**` is anything below.
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:[^/]*/)*' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '{') {
      const end = glob.indexOf('}', i + 1);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${glob
          .slice(i + 1, end)
          .split(',')
          .map((alt) => globRegExp(alt).source.slice(1, -1))
          .join('|')})`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
