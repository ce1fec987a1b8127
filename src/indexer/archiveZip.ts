import * as yauzl from 'yauzl';
import type { ExtractionBudget } from './archiveLimits';
import { entryParts, sizeText } from './archiveLimits';
import { isDiskError, type ExtractedTree } from './archiveOutput';
import { openRegular } from './readChunks';

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
/** The bytes of a local file header before its name: where an entry's data can start at the earliest. */
const LOCAL_HEADER_BYTES = 30;

/** The entry's Unix file type when the zip was made on Unix (its mode in the high external attributes). */
function unixType(entry: yauzl.Entry): number {
  return entry.versionMadeBy >> 8 === 3 ? (entry.externalFileAttributes >>> 16) & S_IFMT : 0;
}

/** Why a zip entry is not extracted because of what it is (a link, a device, encrypted), or undefined. */
function kindRefusal(entry: yauzl.Entry): string | undefined {
  const type = unixType(entry);
  if (type === S_IFLNK) return 'a symlink, not extracted: links are never made';
  if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) return 'a device, FIFO or socket, not extracted';
  if (entry.isEncrypted()) return 'encrypted, not extracted';
  if (!entry.canDecodeFileData()) return `compression method ${entry.compressionMethod} is not supported, not extracted`;
  return undefined;
}

/**
 * Unpacks a zip into `tree` from its central directory, entry by entry: names are checked here rather
 * than by yauzl (which would reject the whole archive for one `../` entry), links and devices are refused,
 * and an entry that inflates past the ratio cap, or whose data overlaps another's (the overlapping-entry
 * bomb), is refused before it is read. Sizes are checked against the declared ones while inflating.
 */
export async function unpackZip(
  file: string,
  tree: ExtractedTree,
  budget: ExtractionBudget,
  onBytes: (read: number) => void,
): Promise<void> {
  const { fh, size } = await openRegular(file);
  let zip: yauzl.ZipFile | undefined;
  try {
    zip = await yauzl.fromFdPromise(fh.fd, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false });
    if (zip.entryCount > budget.limits.maxEntries)
      budget.note(`the archive lists ${zip.entryCount} entries; at most ${budget.limits.maxEntries} are read`);
    let read = 0;
    const offsets = new Set<number>();
    let lastStart = -1;
    let lastEnd = 0;
    // Finder's zips repeat every file as AppleDouble metadata under __MACOSX/: not logs, said once.
    let macResourceForks = 0;
    for await (const entry of zip.eachEntry()) {
      if (!budget.countEntry()) break;
      const raw = entry.fileName as unknown as Buffer;
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, false);
      const refused = kindRefusal(entry);
      if (refused) {
        budget.refuse(name, refused);
        continue;
      }
      const at = entryParts(name);
      if (!at.parts) {
        budget.refuse(name, at.refused);
        continue;
      }
      if (at.parts[0] === '__MACOSX') {
        macResourceForks++;
        continue;
      }
      const isDir = name.endsWith('/') || unixType(entry) === S_IFDIR;
      if (isDir) {
        const problem = at.parts.length > 0 ? await tree.makeDir(at.parts) : undefined;
        if (problem) budget.refuse(name, problem);
        continue;
      }
      if (at.parts.length === 0) {
        budget.refuse(name, 'a file without a name, not extracted');
        continue;
      }
      // Entries whose data overlap reuse one compressed kernel many times over: a bomb, not an archive.
      const start = entry.relativeOffsetOfLocalHeader;
      if (offsets.has(start) || (start > lastStart && start < lastEnd)) {
        budget.refuse(name, 'its data overlaps another entry (a zip bomb?), not extracted');
        continue;
      }
      offsets.add(start);
      if (start > lastStart) {
        lastStart = start;
        lastEnd = start + LOCAL_HEADER_BYTES + entry.compressedSize;
      }
      const bomb = budget.ratioProblem(entry.uncompressedSize, entry.compressedSize);
      if (bomb) {
        budget.refuse(name, `${bomb}, not extracted`);
        continue;
      }
      if (!budget.admitFile(name, entry.uncompressedSize)) {
        if (budget.stopped) break;
        continue;
      }
      const opened = await tree.openFile(at.parts);
      if ('problem' in opened) {
        budget.refuse(name, opened.problem);
        continue;
      }
      let stream: NodeJS.ReadableStream | undefined;
      try {
        stream = await zip.openReadStreamPromise(entry);
      } catch (e) {
        await opened.fh.close();
        budget.refuse(name, `cannot be read (${(e as Error).message}), not extracted`);
        continue;
      }
      let inflated = 0;
      const r = await tree.write(opened, stream as AsyncIterable<Buffer>, entry.uncompressedSize, entry.getLastModDate(), (n) => {
        inflated += n;
        onBytes(read + Math.round((entry.compressedSize * inflated) / Math.max(1, entry.uncompressedSize)));
      });
      read += entry.compressedSize;
      onBytes(Math.min(read, size));
      if (r.cut || r.written < entry.uncompressedSize)
        budget.refuse(name, `damaged: ${sizeText(r.written)} of ${sizeText(entry.uncompressedSize)} extracted`);
    }
    if (macResourceForks > 0) budget.note(`${macResourceForks} entries under __MACOSX/ (macOS file metadata, not logs), not extracted`);
  } catch (e) {
    if (isDiskError(e)) throw e;
    budget.note(`the archive is damaged (${(e as Error).message}); the entries before the damage were extracted`);
  } finally {
    // Not zip.close(): that closes the descriptor, which is ours to close. A read still under way when
    // the loop stopped may fail on it; nobody is listening for that any more.
    zip?.on('error', () => undefined);
    await fh.close();
  }
  onBytes(size);
}
