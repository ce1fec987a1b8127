import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BundleQueries } from '../core/bundleQueries';
import type { BundleIndex } from '../core/model';
import type { RoleRule } from '../core/rules/roleRules';
import { indexBundle, indexBundleCached } from '../indexer/bundleIndexer';
import { defaultCacheDir } from '../indexer/indexCache';

/** One indexed bundle as every use case sees it: where it is, its index, and the answers kept about it. */
export interface BundleHandle {
  root: string;
  rootUri: string;
  index: BundleIndex;
  queries: BundleQueries;
  /** What went wrong with the saved index (refused inside the bundle, damaged, not saved): for a warning. */
  cacheWarnings?: string[];
}

/** Wraps a fresh index; the queries it answers are computed once, on first use. */
export function bundleHandle(root: string, index: BundleIndex, roles: readonly string[]): BundleHandle {
  return { root, rootUri: pathToFileURL(root).toString(), index, queries: new BundleQueries(index, roles) };
}

export interface OpenOptions {
  roleRules: readonly RoleRule[];
  /** Folder of persisted indexes; `false` indexes in memory only; default: the user's cache folder. */
  cacheDir?: string | false;
}

/**
 * Indexes a bundle folder (reusing a saved index when one is current), for the CLI and tests. A cache folder
 * inside the bundle, or one that cannot be written, is not an error: the bundle is indexed without saving
 * and `cacheWarnings` says why.
 */
export async function openBundle(dir: string, options: OpenOptions): Promise<BundleHandle> {
  const roleRules = [...options.roleRules];
  const cacheWarnings: string[] = [];
  const index =
    options.cacheDir === false
      ? await indexBundle(dir, { roleRules })
      : await indexBundleCached(dir, options.cacheDir ?? defaultCacheDir(), { roleRules, onCacheWarning: (m) => cacheWarnings.push(m) });
  const handle = bundleHandle(
    path.resolve(dir),
    index,
    roleRules.map((r) => r.role),
  );
  if (cacheWarnings.length > 0) handle.cacheWarnings = cacheWarnings;
  return handle;
}

/** The URI of a file of the bundle, by its path relative to the root. */
export function fileUriOf(bundle: Pick<BundleHandle, 'root'>, relPath: string): string {
  return pathToFileURL(path.join(bundle.root, ...relPath.split('/'))).toString();
}
