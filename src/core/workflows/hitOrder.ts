import type { BundleIndex } from '../model';
import type { ClockOffsets } from '../overlaps';

/** A matched line, as the workflows see it (the indexer's hits have this shape). */
export interface LineHit {
  file: number;
  line: number;
  offset: number;
  time?: number;
  text: string;
  captures?: string[];
}

/** The node a hit's file belongs to. */
export function nodeOfHit(bundle: BundleIndex, h: LineHit): string {
  return bundle.files[h.file]?.node ?? '';
}

/** A hit's time corrected by its node's clock offset (what every cross-node comparison uses). */
export function correctedTime(bundle: BundleIndex, h: LineHit, offsets: ClockOffsets): number | undefined {
  return h.time === undefined ? undefined : h.time + (offsets[nodeOfHit(bundle, h)] ?? 0);
}

/**
 * Hits in the order things happened across nodes: by (corrected) time, then node, file and line.
 * Lines without a time go last, in file order.
 */
export function sortByTime<T extends LineHit>(bundle: BundleIndex, hits: readonly T[], offsets: ClockOffsets = {}): T[] {
  const key = (h: T) => correctedTime(bundle, h, offsets) ?? Number.POSITIVE_INFINITY;
  return [...hits].sort(
    (a, b) => key(a) - key(b) || nodeOfHit(bundle, a).localeCompare(nodeOfHit(bundle, b)) || a.file - b.file || a.line - b.line,
  );
}
