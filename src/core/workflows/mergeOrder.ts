import type { Micros } from '../time';

/**
 * Where a line stands in the merged cluster log: its entry's (clock-offset-corrected) time, then bundle,
 * node folder, file path and line. Every merged line has a distinct key, so "the lines after this key" is
 * exact — a page ends on a key and the next one starts right after it, however many lines share a time.
 */
export interface MergeKey {
  /** The line's place in time (µs, corrected by its node's clock offset): its entry's time. */
  time: Micros;
  /** Index of the bundle in the workspace's list (0 with one bundle). */
  bundle: number;
  /** The node folder name (`172_20_131_241`). */
  node: string;
  /** The file's path relative to its bundle root, `/`-separated. */
  file: string;
  /** 1-based line. */
  line: number;
}

/** A merge cursor is the key of the last line of a page (forward) or of the first (backward). */
export type MergeCursor = MergeKey;

/** Strings compared by code unit: the order must not depend on the machine's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders two files by (bundle, node, path): the tie-break after time. */
export function compareFiles(a: Pick<MergeKey, 'bundle' | 'node' | 'file'>, b: Pick<MergeKey, 'bundle' | 'node' | 'file'>): number {
  return a.bundle - b.bundle || compareText(a.node, b.node) || compareText(a.file, b.file);
}

/** The merged log's order: time, bundle, node, file path, line. */
export function compareKeys(a: MergeKey, b: MergeKey): number {
  return a.time - b.time || compareFiles(a, b) || a.line - b.line;
}

const TOKEN_VERSION = 'm1';

/** encodeURIComponent leaves `!'()*` alone; a shell would not. */
function encodePart(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * A cursor as one opaque, shell-safe word (`m1,1678757751690000,0,1234,<node>,<file>`): what the CLI's
 * `--after` takes and `--json` gives as `next`.
 */
export function encodeCursor(k: MergeCursor): string {
  return [TOKEN_VERSION, String(k.time), String(k.bundle), String(k.line), encodePart(k.node), encodePart(k.file)].join(',');
}

/** The cursor a token stands for, or undefined when it is not one (hand-edited, cut, from another tool). */
export function decodeCursor(token: string): MergeCursor | undefined {
  const parts = token.trim().split(',');
  if (parts.length !== 6 || parts[0] !== TOKEN_VERSION) return undefined;
  const [time, bundle, line] = parts.slice(1, 4).map((p) => (/^-?\d+$/.test(p) ? Number(p) : NaN));
  if (!Number.isSafeInteger(time) || !Number.isSafeInteger(bundle) || bundle < 0 || !Number.isSafeInteger(line) || line < 0)
    return undefined;
  try {
    return { time, bundle, line, node: decodeURIComponent(parts[4]), file: decodeURIComponent(parts[5]) };
  } catch {
    return undefined;
  }
}

/** Whether a value (from a protocol message, say) has a cursor's shape. */
export function isMergeCursor(v: unknown): v is MergeCursor {
  const k = v as Partial<MergeCursor> | null;
  return (
    typeof k === 'object' &&
    k !== null &&
    Number.isSafeInteger(k.time) &&
    Number.isSafeInteger(k.bundle) &&
    Number.isSafeInteger(k.line) &&
    typeof k.node === 'string' &&
    typeof k.file === 'string'
  );
}
