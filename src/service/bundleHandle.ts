import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BundleQueries } from '../core/bundleQueries';
import type { BundleIndex } from '../core/model';
import type { RoleRule } from '../core/rules/roleRules';
import {
  ArchiveError,
  planFolder,
  unpackArchive,
  unpackFolder,
  PLAIN_COPY_CAP,
  type ArchiveLimits,
  type ArchiveProgress,
  type Unpacked,
} from '../indexer/archives';
import { BundleNotFoundError, indexBundle, indexBundleCached } from '../indexer/bundleIndexer';
import { cacheDirProblem, defaultCacheDir } from '../indexer/indexCache';
import { InputError } from './serviceContext';
import type { SearchIndex } from '../indexer/searchStore';
import type { WalkResult } from '../indexer/walk';
import { loadSearchIndex } from './searchIndex';
import { plural } from '../core/plural';

/**
 * Where a bundle that arrived as archives came from (`path`: the archive, or the folder of per-node
 * archives) and where it was unpacked: the indexer's answer under the name the views use.
 */
export type ArchiveOrigin = Omit<Unpacked, 'source'> & { path: string };

/** One indexed bundle as every use case sees it: where it is, its index, and the answers kept about it. */
export interface BundleHandle {
  root: string;
  rootUri: string;
  index: BundleIndex;
  queries: BundleQueries;
  /** What went wrong with the saved index (refused inside the bundle, damaged, not saved): for a warning. */
  cacheWarnings?: string[];
  /** Set when the bundle was unpacked from an archive (or a folder of them): `root` is then the extraction. */
  archive?: ArchiveOrigin;
  /** The cache folder its indexes are saved in (none: in memory only, and no search index). */
  cacheDir?: string;
  /** Its search index, when one is saved and current enough to use (see searchIndex.ts). */
  search?: SearchIndex;
  /** Why there is no search index to use, in words for an answer's note. */
  searchMissing?: string;
}

/** Wraps a fresh index; the queries it answers are computed once, on first use. */
export function bundleHandle(root: string, index: BundleIndex, roles: readonly string[]): BundleHandle {
  return { root, rootUri: pathToFileURL(root).toString(), index, queries: new BundleQueries(index, roles) };
}

export interface OpenOptions {
  roleRules: readonly RoleRule[];
  /**
   * Folder of persisted indexes and archive extractions; `false` indexes in memory only (an archive is
   * then unpacked into a temporary folder removed on exit); default: the user's cache folder.
   */
  cacheDir?: string | false;
  /** Told how far hashing and unpacking an archive have got (bytes of the archives read). */
  onArchiveProgress?: (p: ArchiveProgress) => void;
  /** Told how many files of the bundle have been indexed. */
  onProgress?: (done: number, total: number, file: string) => void;
  /** The folder's walk, when the caller has just made it: used when the folder itself is indexed. */
  walked?: WalkResult;
  /** Caps on unpacking (tests use small ones); the defaults stop bombs, not real bundles. */
  archiveLimits?: Partial<ArchiveLimits>;
}

/**
 * Indexes a bundle (reusing a saved index when one is current), for the CLI, the server and tests. The
 * target may be a folder, a bundle archive (.tar.gz, .tgz, .tar, .zip, by content), or a folder holding
 * archives (one bundle archive, or per-node ones): archives are unpacked once into the cache and the
 * extraction is indexed; `archive` says so. A cache folder inside the bundle, or one that cannot be
 * written, is not an error: the bundle is indexed without saving and `cacheWarnings` says why.
 */
export async function openBundle(target: string, options: OpenOptions): Promise<BundleHandle> {
  const st = await fs.stat(target).catch(() => undefined);
  if (!st) throw new BundleNotFoundError(`no such folder or archive: ${target}`);
  const cacheWarnings: string[] = [];
  let cacheDir = options.cacheDir === false ? false : (options.cacheDir ?? defaultCacheDir());
  let unpacked: Unpacked | undefined;
  const planNotes: string[] = [];
  try {
    if (st.isFile())
      unpacked = await unpackArchive(target, { cacheDir, limits: options.archiveLimits, onProgress: options.onArchiveProgress });
    else if (st.isDirectory()) {
      const plan = await planFolder(target);
      if (plan.kind !== 'plain' && cacheDir !== false) {
        // Nothing is ever written inside the opened folder: a cache there unpacks into a temporary folder.
        const refused = await cacheDirProblem(cacheDir, target);
        if (refused) {
          cacheWarnings.push(`${refused}; its archives are unpacked into a temporary folder instead`);
          cacheDir = false;
        }
      }
      const unpack = { cacheDir, limits: options.archiveLimits, onProgress: options.onArchiveProgress };
      if (plan.kind === 'archive') {
        unpacked = await unpackArchive(plan.archive.path, unpack);
        unpacked.notes.unshift(`${path.basename(target)}/ holds one archive and nothing else: indexed from it`);
      } else if (plan.kind === 'nodeArchives') {
        unpacked = await unpackFolder(target, plan.archives, unpack);
        if (!unpacked)
          for (const a of plan.archives)
            planNotes.push(
              `${path.basename(a.path)}: an archive, not unpacked: the plain files beside it pass ${PLAIN_COPY_CAP / 1024 ** 3} GiB, ` +
                'too much to copy into a combined view; open the archive on its own to index it',
            );
      }
    }
  } catch (e) {
    if (e instanceof ArchiveError) throw new InputError(e.message);
    throw e;
  }
  const root = unpacked?.extractedTo ?? target;
  const roleRules = [...options.roleRules];
  const indexOptions = { roleRules, onProgress: options.onProgress, walked: unpacked ? undefined : options.walked };
  const index =
    cacheDir === false
      ? await indexBundle(root, indexOptions)
      : await indexBundleCached(root, cacheDir, { ...indexOptions, onCacheWarning: (m) => cacheWarnings.push(m) });
  index.notes.push(...planNotes);
  const handle = bundleHandle(
    path.resolve(root),
    index,
    roleRules.map((r) => r.role),
  );
  if (unpacked) {
    handle.archive = originOf(unpacked);
    index.notes.push(originNote(unpacked), ...unpacked.notes);
  }
  if (cacheWarnings.length > 0) handle.cacheWarnings = cacheWarnings;
  if (cacheDir !== false) handle.cacheDir = cacheDir;
  await loadSearchIndex(handle);
  return handle;
}

function originOf(u: Unpacked): ArchiveOrigin {
  const { source, ...rest } = u;
  return { path: source, ...rest };
}

/** The note that says the bundle was unpacked, and where: the index's files are there, not beside the archive. */
function originNote(u: Unpacked): string {
  const what = u.kind === 'archive' ? `unpacked from ${u.source}` : `${plural(u.archives.length, 'archive')} of ${u.source} unpacked`;
  const how = u.temporary
    ? 'a temporary folder, removed when this run ends'
    : u.reused
      ? 'the cache (unpacked by an earlier run)'
      : 'the cache';
  return `${what} into ${u.extractedTo} (${how})`;
}

/** The URI of a file of the bundle, by its path relative to the root. */
export function fileUriOf(bundle: Pick<BundleHandle, 'root'>, relPath: string): string {
  return pathToFileURL(path.join(bundle.root, ...relPath.split('/'))).toString();
}
