import { dayOf, type Micros } from '../time';
import type { BundleIndex } from '../model';
import type { ClockOffsets } from '../overlaps';
import { correctedTime, nodeOfHit, type LineHit } from './hitOrder';

export type Bucket = 'day' | 'hour';

export interface CountTable {
  by: Bucket;
  /** Bucket starts (wall-clock micros), sorted. */
  buckets: Micros[];
  nodes: string[];
  /** counts[node][i] for buckets[i]. */
  counts: Record<string, number[]>;
  totals: Record<string, number>;
  /** Matches whose line has no time (counted in totals only). */
  undated: number;
}

/** Seed 002's "how many `Exception when following the leader` per myid on a day", for every node at once. */
export function countPerNode(bundle: BundleIndex, hits: readonly LineHit[], by: Bucket, offsets: ClockOffsets = {}): CountTable {
  const size = by === 'day' ? 86_400_000_000 : 3_600_000_000;
  const start = (t: number) => (by === 'day' ? dayOf(t) : Math.floor(t / size) * size);
  const perNode = new Map<string, Map<number, number>>();
  const totals: Record<string, number> = {};
  const bucketSet = new Set<number>();
  let undated = 0;
  for (const h of hits) {
    const node = nodeOfHit(bundle, h);
    totals[node] = (totals[node] ?? 0) + 1;
    const t = correctedTime(bundle, h, offsets);
    if (t === undefined) {
      undated++;
      continue;
    }
    const b = start(t);
    bucketSet.add(b);
    let m = perNode.get(node);
    if (!m) perNode.set(node, (m = new Map<number, number>()));
    m.set(b, (m.get(b) ?? 0) + 1);
  }
  const buckets = [...bucketSet].sort((a, b) => a - b);
  const nodes = Object.keys(totals).sort();
  const counts: Record<string, number[]> = {};
  for (const n of nodes) counts[n] = buckets.map((b) => perNode.get(n)?.get(b) ?? 0);
  return { by, buckets, nodes, counts, totals, undated };
}
