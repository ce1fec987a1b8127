import { GZIP_INFLATED_CAP } from './readChunks';

/** Bounds on what unpacking one archive (or a folder of them) may write: a bomb stops at these. */
export interface ArchiveLimits {
  /** Entries read at most (files, folders and refused ones alike); past it unpacking stops. */
  maxEntries: number;
  /** Bytes written at most, all entries together; an entry that would pass it stops unpacking. */
  maxTotalBytes: number;
  /** Bytes of one entry at most; a larger entry is refused (the indexer reads no more of a gzip anyway). */
  maxEntryBytes: number;
  /** Inflated : compressed at most, once `ratioFloorBytes` have been inflated (a zip entry, a whole .tar.gz). */
  maxRatio: number;
  ratioFloorBytes: number;
  /** Notes kept per archive; the rest are counted in one last note. */
  maxNotes: number;
}

/**
 * Real bundles are a few GB with ~10 000 files and compress 5–50×; these caps are far above that and far
 * below what fills a disk. Deflate cannot pass ~1 030 : 1, so 500 : 1 over 16 MiB is a bomb, not a log.
 */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 1_000_000,
  maxTotalBytes: 32 * 1024 ** 3,
  maxEntryBytes: GZIP_INFLATED_CAP,
  maxRatio: 500,
  ratioFloorBytes: 16 * 1024 ** 2,
  maxNotes: 200,
};

/** Bytes in words for a note: `1.5 GiB`, `300 MiB`, `512 bytes`. */
export function sizeText(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(2)} GiB`;
  if (n >= 1024 ** 2) return `${+(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${n} bytes`;
}

/** An entry's name as a note shows it: control characters as `\xNN`, at most 300 characters. */
export function entryLabel(name: string): string {
  // eslint-disable-next-line no-control-regex
  const shown = name.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return shown.length > 300 ? `${shown.slice(0, 300)}…` : shown;
}

/**
 * The path parts an entry is written under, or why it is refused. `./` and empty parts are dropped (tar
 * writes `./172_20_131_241/…`); an absolute path, a drive letter, a `..` part or a NUL byte is refused:
 * nothing is ever written outside the extraction folder. `parts` is empty for the archive's root itself.
 */
export function entryParts(name: string): { parts: string[]; refused?: undefined } | { parts?: undefined; refused: string } {
  if (name.includes('\0')) return { refused: 'the name holds a NUL byte, not extracted' };
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return { refused: 'absolute path, not extracted' };
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return { refused: 'outside the archive, not extracted' };
  return { parts };
}

/** What every archive of one unpacking counts together: a folder of archives shares one set of caps. */
interface Totals {
  entries: number;
  bytes: number;
  stopped: string | undefined;
}

/**
 * Counts what one unpacking wrote against its limits and keeps one archive's notes (`forArchive` gives the
 * next archive its own notes over the same counts). Once stopped, it admits nothing more.
 */
export class ExtractionBudget {
  readonly limits: ArchiveLimits;
  /** Files this archive wrote, and their bytes. */
  files = 0;
  fileBytes = 0;
  private readonly kept: string[] = [];
  private dropped = 0;

  constructor(
    limits: Partial<ArchiveLimits> = {},
    private readonly totals: Totals = { entries: 0, bytes: 0, stopped: undefined },
  ) {
    this.limits = { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
  }

  /** A budget for the next archive of the same unpacking: its own notes, the same caps and counts. */
  forArchive(): ExtractionBudget {
    return new ExtractionBudget(this.limits, this.totals);
  }

  get entries(): number {
    return this.totals.entries;
  }

  get bytes(): number {
    return this.totals.bytes;
  }

  /** Why unpacking stopped, once it has. */
  get stopped(): string | undefined {
    return this.totals.stopped;
  }

  /** A note about the archive (a refused entry, a cap); past `maxNotes` only counted. */
  note(text: string): void {
    if (this.kept.length < this.limits.maxNotes) this.kept.push(text);
    else this.dropped++;
  }

  /** Notes one entry, by name. */
  refuse(name: string, why: string): void {
    this.note(`entry ${entryLabel(name)}: ${why}`);
  }

  /** Stops unpacking with a note (once). */
  stop(why: string): void {
    if (this.totals.stopped) return;
    this.totals.stopped = why;
    this.note(`unpacking stopped: ${why}; the entries before it were extracted, the rest were not`);
  }

  /** Counts one entry; false when past the entry cap (unpacking stops). */
  countEntry(): boolean {
    if (this.totals.stopped) return false;
    if (++this.totals.entries > this.limits.maxEntries) {
      this.stop(`more than ${this.limits.maxEntries} entries`);
      return false;
    }
    return true;
  }

  /**
   * Whether a file of this (declared) size may be written: refused past the per-entry cap, unpacking
   * stopped when it would pass the total.
   */
  admitFile(name: string, size: number): boolean {
    if (this.totals.stopped) return false;
    if (size > this.limits.maxEntryBytes) {
      this.refuse(name, `${sizeText(size)}, over the ${sizeText(this.limits.maxEntryBytes)} cap for one entry, not extracted`);
      return false;
    }
    if (this.totals.bytes + size > this.limits.maxTotalBytes) {
      this.stop(`entry ${entryLabel(name)} (${sizeText(size)}) would take unpacking past ${sizeText(this.limits.maxTotalBytes)}`);
      return false;
    }
    this.totals.bytes += size;
    this.files++;
    this.fileBytes += size;
    return true;
  }

  /** Why `inflated` bytes from `compressed` look like a bomb (past the ratio cap), or undefined. */
  ratioProblem(inflated: number, compressed: number): string | undefined {
    if (inflated < this.limits.ratioFloorBytes || inflated <= this.limits.maxRatio * Math.max(1, compressed)) return undefined;
    return `inflates more than ${this.limits.maxRatio}:1 (${sizeText(inflated)} from ${sizeText(compressed)}): a decompression bomb?`;
  }

  /** This archive's notes, with a count of those not kept. */
  get notes(): string[] {
    return this.dropped > 0 ? [...this.kept, `… and ${this.dropped} more notes about this archive`] : [...this.kept];
  }
}
