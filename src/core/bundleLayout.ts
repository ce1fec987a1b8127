/**
 * How a bundle's folders map to nodes. A bundle has one folder per node named after its address with
 * `_` for `.` (`172_20_131_241/`, sometimes with a suffix: `172_20_131_242_a5fd24ad-…`); other top-level
 * folders (`test-logs/`) are sources of their own. A folder with no address folders is one node.
 */

const ADDRESS_FOLDER = /^(\d{1,3})[_.](\d{1,3})[_.](\d{1,3})[_.](\d{1,3})(?:$|[_-])/;

/** `172_20_131_241` → `172.20.131.241`; undefined when the name is not an address. */
export function addressFromFolderName(name: string): string | undefined {
  const m = ADDRESS_FOLDER.exec(name);
  if (!m) return undefined;
  const parts = m.slice(1, 5).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return parts.join('.');
}

export interface BundleLayout {
  /** True when top-level folders are nodes. */
  multiNode: boolean;
  /** Node (or source) name for a top-level folder, or for files directly under the root. */
  rootName: string;
}

export function detectLayout(rootName: string, topLevelFolders: readonly string[]): BundleLayout {
  return { multiNode: topLevelFolders.some((f) => addressFromFolderName(f) !== undefined), rootName };
}

/** The node (or source) a file belongs to, from its path relative to the bundle root. */
export function nodeOfPath(layout: BundleLayout, relPath: string): { name: string; kind: 'node' | 'source'; address?: string } {
  if (!layout.multiNode) {
    return { name: layout.rootName, kind: 'node', address: addressFromFolderName(layout.rootName) };
  }
  const slash = relPath.indexOf('/');
  if (slash < 0) return { name: layout.rootName, kind: 'source' };
  const top = relPath.slice(0, slash);
  const address = addressFromFolderName(top);
  return address ? { name: top, kind: 'node', address } : { name: top, kind: 'source' };
}
