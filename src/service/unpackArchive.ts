import * as path from 'node:path';
import { ArchiveError, unpackArchive, type ArchiveProgress } from '../indexer/archives';
import type { UnpackedArchive } from './results';

/**
 * The editor's "Open Log Bundle Archive…": unpacks an archive once into the cache (a reopen reuses the
 * extraction) and says where, so the extraction can be opened as a workspace folder of its own. Never
 * writes beside the archive; what unpacking refused comes back in `notes`.
 */
export async function unpackBundleArchive(
  file: string,
  cacheDir: string,
  onProgress?: (p: ArchiveProgress) => void,
): Promise<UnpackedArchive> {
  const name = path.basename(file);
  try {
    const u = await unpackArchive(file, { cacheDir, onProgress });
    return { name, extractedTo: u.extractedTo, reused: u.reused, notes: u.notes };
  } catch (e) {
    if (e instanceof ArchiveError || (e as NodeJS.ErrnoException).code !== undefined)
      return { name, notes: [], problem: `${name}: ${(e as Error).message}` };
    throw e;
  }
}
