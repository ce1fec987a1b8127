import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { detectLayout } from '../core/bundleLayout';
import { walkBundle } from './walk';

/**
 * The bundles in a folder: the folder itself, or — when it holds several bundle roots side by side
 * (`cluster-a/172_20_…/`, `cluster-b/172_20_…/`) — each of them, to be opened as bundles of their own so
 * their nodes are never compared with each other. A path that is not a folder is returned as it is.
 */
export async function findBundleRoots(target: string): Promise<string[]> {
  const st = await fs.stat(target).catch(() => undefined);
  if (!st?.isDirectory()) return [target];
  const walked = await walkBundle(target);
  const layout = detectLayout(
    path.basename(path.resolve(target)),
    walked.files.map((w) => w.relPath),
    walked.topLevelFolders,
  );
  if (layout.others.length === 0) return [target];
  return [layout.base, ...layout.others].map((rel) => path.join(target, ...rel.split('/')));
}
