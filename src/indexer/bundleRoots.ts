import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { detectLayout } from '../core/bundleLayout';
import { walkBundle, type WalkResult } from './walk';

/** A bundle root, with the walk of it when it is the folder asked for (the indexer need not walk it again). */
export interface BundleRoot {
  root: string;
  walked?: WalkResult;
}

/**
 * The bundles in a folder: the folder itself, or — when it holds several bundle roots side by side
 * (`cluster-a/172_20_…/`, `cluster-b/172_20_…/`) — each of them, to be opened as bundles of their own so
 * their nodes are never compared with each other. A path that is not a folder is returned as it is.
 */
export async function findBundleRoots(target: string): Promise<BundleRoot[]> {
  const st = await fs.stat(target).catch(() => undefined);
  if (!st?.isDirectory()) return [{ root: target }];
  const walked = await walkBundle(target);
  const layout = detectLayout(
    path.basename(path.resolve(target)),
    walked.files.map((w) => w.relPath),
    walked.topLevelFolders,
  );
  if (layout.others.length === 0) return [{ root: target, walked }];
  return [layout.base, ...layout.others].map((rel) => ({ root: path.join(target, ...rel.split('/')) }));
}
