import { promises as fs } from 'node:fs';
import { Parser, type ReadEntry } from 'tar';
import type { ExtractionBudget } from './archiveLimits';
import { entryParts, sizeText } from './archiveLimits';
import type { ExtractedTree } from './archiveOutput';
import { openRegular } from './readChunks';

/**
 * Compressed bytes fed to the parser at once. Small on purpose: one chunk of a gzip bomb inflates into
 * memory before back-pressure applies, so 64 KiB bounds that at ~64 MiB.
 */
const INPUT_CHUNK = 64 * 1024;

type Decision = { kind: 'file'; parts: string[] } | { kind: 'dir'; parts: string[] };

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
const DIR_TYPES = new Set(['Directory', 'GNUDumpDir']);

/** Why a tar entry of this type is not extracted, or undefined for a file or folder. */
function typeRefusal(entry: ReadEntry): string | undefined {
  const type = entry.type;
  if (FILE_TYPES.has(type) || DIR_TYPES.has(type)) return undefined;
  if (type === 'SymbolicLink') return `a symlink (to ${entry.linkpath ?? '?'}), not extracted: links are never made`;
  if (type === 'Link') return `a hard link (to ${entry.linkpath ?? '?'}), not extracted: links are never made`;
  if (type === 'CharacterDevice' || type === 'BlockDevice') return 'a device, not extracted';
  if (type === 'FIFO') return 'a FIFO, not extracted';
  return `an entry of type ${type}, not extracted`;
}

/**
 * Unpacks a tar or gzipped tar into `tree`, entry by entry: each one is checked (path, type, size, the
 * caps) from its header before its body is read, refused ones are skipped with a note, and the rest are
 * written as plain files and folders. A damaged or truncated archive keeps what came before the damage.
 * `onBytes` is told how many bytes of the archive file have been read.
 */
export async function unpackTar(
  file: string,
  tree: ExtractedTree,
  budget: ExtractionBudget,
  onBytes: (read: number) => void,
): Promise<void> {
  const decisions = new WeakMap<ReadEntry, Decision>();
  let compressed = 0;
  /** Bytes of entries the parser has passed through (written or skipped): the inflated side of the ratio. */
  let inflated = 0;
  let current: ReadEntry | undefined;
  let writing: Promise<void> = Promise.resolve();
  let failure: Error | undefined;

  const parser = new Parser({
    strict: false,
    // The ratio is checked below, against bytes actually inflated, past a floor (the parser's own check
    // has none, and would refuse a small, very repetitive log).
    maxDecompressionRatio: Infinity,
    filter: (name, entry) => {
      const e = entry as ReadEntry;
      if (!budget.countEntry()) return false;
      const why = typeRefusal(e);
      if (why) return refuse(name, why);
      const at = entryParts(name);
      if (!at.parts) return refuse(name, at.refused);
      const kind = DIR_TYPES.has(e.type) ? 'dir' : 'file';
      if (kind === 'dir' && at.parts.length === 0) return false; // `./` itself
      if (kind === 'file' && at.parts.length === 0) return refuse(name, 'a file without a name, not extracted');
      if (kind === 'file' && !budget.admitFile(name, e.size)) return false;
      decisions.set(e, { kind, parts: at.parts });
      return true;
    },
    onwarn: (code, message) => damaged(`${code}: ${String(message)}`),
  });
  // A damaged gzip stream aborts the parser, which then reports an error (not a warning) even when not strict.
  parser.on('error', (e: Error) => damaged(e.message));
  let damageNoted = false;
  function damaged(what: string): void {
    if (budget.stopped || damageNoted) return;
    damageNoted = true;
    budget.note(`the archive is damaged (${what}); what came before the damage was extracted`);
  }
  const refuse = (name: string, why: string) => {
    budget.refuse(name, why);
    return false;
  };
  parser.on('ignoredEntry', (e: ReadEntry) => e.on('data', (c: Buffer) => (inflated += c.length)));
  parser.on('entry', (e: ReadEntry) => {
    current = e;
    writing = writing
      .then(() => writeEntry(e))
      .catch((err: unknown) => void (failure ??= err instanceof Error ? err : new Error(String(err))));
  });
  const done = new Promise<void>((resolve) => {
    parser.once('end', resolve);
    parser.once('abort', () => {
      // The entry being written gets no more data: ended (not destroyed, which would leave its reader
      // waiting), it keeps what came, and the note says it was cut.
      if (current && !current.emittedEnd) current.end();
      resolve();
    });
  });

  async function writeEntry(e: ReadEntry): Promise<void> {
    const d = decisions.get(e);
    if (!d || d.kind === 'dir') {
      const problem = d ? await tree.makeDir(d.parts) : undefined;
      if (problem) budget.refuse(e.path, problem);
      e.resume();
      return;
    }
    const opened = await tree.openFile(d.parts);
    if ('problem' in opened) {
      budget.refuse(e.path, opened.problem);
      e.on('data', (c: Buffer) => (inflated += c.length));
      e.resume();
      return;
    }
    const r = await tree.write(opened, e, e.size, e.mtime, (n) => (inflated += n));
    if (r.written >= e.size) return;
    if (budget.stopped) {
      // Cut by a cap (a bomb, most likely): what came of it is not worth keeping.
      await fs.rm(opened.file, { force: true });
      budget.refuse(e.path, 'not extracted: unpacking stopped inside it');
    } else budget.refuse(e.path, `the archive ends inside it: ${sizeText(r.written)} of ${sizeText(e.size)} extracted`);
  }

  const { fh } = await openRegular(file);
  try {
    const input = fh.createReadStream({ highWaterMark: INPUT_CHUNK, autoClose: false });
    for await (const chunk of input as AsyncIterable<Buffer>) {
      compressed += chunk.length;
      onBytes(compressed);
      if (!parser.write(chunk)) await drainOf(parser);
      const bomb = budget.ratioProblem(inflated, compressed);
      if (bomb) budget.stop(`the archive ${bomb}`);
      if (budget.stopped || failure) break;
    }
    input.destroy();
    parser.end();
    await done;
    await writing;
  } finally {
    await fh.close();
  }
  if (failure) throw failure;
}

/** Resolves when the parser takes more input, or gave up on the archive. */
function drainOf(parser: Parser): Promise<void> {
  return new Promise((resolve) => {
    const go = () => {
      parser.off('drain', go);
      parser.off('abort', go);
      resolve();
    };
    parser.on('drain', go);
    parser.on('abort', go);
  });
}
