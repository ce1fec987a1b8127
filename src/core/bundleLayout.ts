/**
 * How a bundle's folders map to nodes, whatever folder was opened. The bundle root is where the node
 * folders are, which may be a level or two below the opened folder (an extracted `cluster-logs-…/`). Node
 * folders are named after their address with `_` for `.` (`172_20_131_241/`, sometimes with a suffix:
 * `172_20_131_242_a5fd24ad-…`), or by hostname — then they are the sibling folders that hold the same kind
 * of logs (`node-241/zbs_logs/zbs-metad/…`, `node-242/zbs_logs/zbs-metad/…`). Other folders at that level
 * (`test-logs/`) are sources of their own. A root without node folders is one node.
 */

import { plural } from './plural';

const ADDRESS_FOLDER = /^(\d{1,3})[_.](\d{1,3})[_.](\d{1,3})[_.](\d{1,3})(?:$|[_-])/;
/** How deep below the opened folder the bundle root is looked for (an archive adds one or two levels). */
const MAX_BASE_DEPTH = 4;

/** `172_20_131_241` → `172.20.131.241`; undefined when the name is not an address. */
export function addressFromFolderName(name: string): string | undefined {
  const m = ADDRESS_FOLDER.exec(name);
  if (!m) return undefined;
  const parts = m.slice(1, 5).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return parts.join('.');
}

export interface BundleLayout {
  /** The bundle root, relative to the opened folder (`''`: the opened folder itself), `/`-separated. */
  base: string;
  /** How node folders were recognised: by address names, as alike siblings, or none (one node). */
  nodeFolders: 'address' | 'alike' | 'none';
  /** Folder names under `base` that are nodes. */
  nodes: ReadonlySet<string>;
  /** Node (or source) name for files directly under the base. */
  rootName: string;
  /** The opened folder's name: the source of files outside the base (an archive beside its extraction). */
  openedName: string;
  /** Other bundle roots found beside the chosen one (several bundles in the opened folder). */
  others: string[];
}

/** A folder of the walked tree: its child folders and whether files lie directly in it. */
interface Dir {
  children: Map<string, Dir>;
  files: string[];
}

function treeOf(relPaths: readonly string[], extraTopFolders: readonly string[]): Dir {
  const root: Dir = { children: new Map(), files: [] };
  const dirAt = (parts: readonly string[]) => {
    let d = root;
    for (const p of parts) {
      let c = d.children.get(p);
      if (!c) d.children.set(p, (c = { children: new Map(), files: [] }));
      d = c;
    }
    return d;
  };
  for (const f of extraTopFolders) dirAt([f]);
  for (const rel of relPaths) {
    const parts = rel.split('/');
    dirAt(parts.slice(0, -1)).files.push(parts[parts.length - 1]);
  }
  return root;
}

/** Files that say nothing about where the bundle is: dotfiles, archives, notes beside an extraction. */
const INCIDENTAL_FILE = /^\.|\.(tar\.gz|tgz|tar|zip|gz\.sha256|md5|sha256|txt|md|json)$/i;

/** A folder's files as shapes: the path inside it with digits folded, so two nodes' logs look alike. */
function shapes(d: Dir, prefix = '', out = new Set<string>()): Set<string> {
  for (const f of d.files) if (!f.startsWith('.')) out.add(`${prefix}${f.replace(/\d+/g, '#')}`);
  for (const [name, c] of d.children) shapes(c, `${prefix}${name.replace(/\d+/g, '#')}/`, out);
  return out;
}

/**
 * Two machines' folders hold mostly the same files (by shape): at least half of the smaller one's. A
 * collection of unrelated logs (glog/, hadoop/, zookeeper/) shares a name or two at most.
 */
const ALIKE_SHARE = 0.5;

/** The child folders of `d` that are nodes named by hostname: siblings that hold the same kind of logs. */
function alikeChildren(d: Dir): Set<string> {
  const withShapes = [...d.children].map(([name, c]) => ({ name, shapes: shapes(c) })).filter((c) => c.shapes.size > 0);
  const alike = new Set<string>();
  for (const a of withShapes) {
    for (const b of withShapes) {
      if (a === b) continue;
      let shared = 0;
      for (const s of a.shapes) if (b.shapes.has(s)) shared++;
      if (shared >= ALIKE_SHARE * Math.min(a.shapes.size, b.shapes.size)) {
        alike.add(a.name);
        break;
      }
    }
  }
  return alike.size >= 2 ? alike : new Set();
}

const hasAddressChildren = (d: Dir) => [...d.children.keys()].some((n) => addressFromFolderName(n) !== undefined);

/** Folders (relative paths) at depth ≤ MAX_BASE_DEPTH holding address-named folders, shallowest first. */
function addressBases(d: Dir, rel: string, depth: number, out: string[]): void {
  if (hasAddressChildren(d)) {
    out.push(rel);
    return; // below a bundle root, address folders belong to it
  }
  if (depth >= MAX_BASE_DEPTH) return;
  for (const [name, c] of d.children) addressBases(c, rel ? `${rel}/${name}` : name, depth + 1, out);
}

/**
 * Finds the bundle root and its node folders from the walked file paths (relative to the opened folder)
 * and the opened folder's own subfolders (empty node folders count too).
 */
export function detectLayout(rootName: string, relPaths: readonly string[], topLevelFolders: readonly string[] = []): BundleLayout {
  const tree = treeOf(relPaths, topLevelFolders);
  const bases: string[] = [];
  addressBases(tree, '', 0, bases);
  if (bases.length > 0) {
    const [base, ...others] = bases;
    const d = dirAt(tree, base);
    const nodes = new Set([...d.children.keys()].filter((n) => addressFromFolderName(n) !== undefined));
    return { base, nodeFolders: 'address', nodes, rootName: nameOf(rootName, base), openedName: rootName, others };
  }
  // No address folders: go down through wrapper folders (one folder, nothing but incidental files beside
  // it), then look for alike sibling folders.
  let base = '';
  let d = tree;
  for (let depth = 0; depth <= MAX_BASE_DEPTH; depth++) {
    const alike = alikeChildren(d);
    if (alike.size > 0)
      return { base, nodeFolders: 'alike', nodes: alike, rootName: nameOf(rootName, base), openedName: rootName, others: [] };
    const folders = [...d.children].filter(([, c]) => c.files.length > 0 || c.children.size > 0);
    const loose = d.files.filter((f) => !INCIDENTAL_FILE.test(f));
    if (folders.length !== 1 || loose.length > 0) break;
    base = base ? `${base}/${folders[0][0]}` : folders[0][0];
    d = folders[0][1];
  }
  return { base, nodeFolders: 'none', nodes: new Set(), rootName: nameOf(rootName, base), openedName: rootName, others: [] };
}

function dirAt(tree: Dir, rel: string): Dir {
  let d = tree;
  for (const p of rel ? rel.split('/') : []) d = d.children.get(p) ?? d;
  return d;
}

/** The bundle's own name: its root folder's. */
function nameOf(openedName: string, base: string): string {
  return base ? base.slice(base.lastIndexOf('/') + 1) : openedName;
}

/** The node (or source) a file belongs to, from its path relative to the opened folder. */
export function nodeOfPath(layout: BundleLayout, relPath: string): { name: string; kind: 'node' | 'source'; address?: string } {
  const prefix = layout.base ? `${layout.base}/` : '';
  // Beside the bundle root (only when it lies below the opened folder): not part of any node.
  if (prefix && !relPath.startsWith(prefix)) return { name: `${layout.openedName} (outside the bundle root)`, kind: 'source' };
  if (layout.nodeFolders === 'none') return { name: layout.rootName, kind: 'node', address: addressFromFolderName(layout.rootName) };
  const inside = relPath.slice(prefix.length);
  const slash = inside.indexOf('/');
  if (slash < 0) return { name: layout.rootName, kind: 'source' };
  const top = inside.slice(0, slash);
  if (!layout.nodes.has(top)) return { name: top, kind: 'source' };
  return { name: top, kind: 'node', address: addressFromFolderName(top) };
}

/** The bundle root in words, for the summary: where the node folders were found and how. */
export function layoutDescription(layout: BundleLayout): string {
  const where = layout.base ? `${layout.base}/` : 'the opened folder';
  const how =
    layout.nodeFolders === 'address'
      ? `${plural(layout.nodes.size, 'node folder')} named by address`
      : layout.nodeFolders === 'alike'
        ? `${plural(layout.nodes.size, 'node folder')} holding the same kind of logs`
        : 'no node folders: one node';
  return `bundle root: ${where} (${how})`;
}
