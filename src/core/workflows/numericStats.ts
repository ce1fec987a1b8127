import type { BundleIndex } from '../model';
import { nodeOfHit, type LineHit } from './hitOrder';

export interface NumberSummary {
  count: number;
  sum: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  p99: number;
}

/** count, sum, min, max, mean, median and p99 (nearest rank) of a list of numbers. */
export function summarize(values: ArrayLike<number>): NumberSummary | undefined {
  if (values.length === 0) return undefined;
  // A typed copy: 8 bytes a value, sorted numerically without a comparator call per pair.
  const sorted = Float64Array.from(values).sort();
  const sum = sorted.reduce((s, v) => s + v, 0);
  const n = sorted.length;
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  const p99 = sorted[Math.min(n - 1, Math.ceil(0.99 * n) - 1)];
  return { count: n, sum, min: sorted[0], max: sorted[n - 1], mean: sum / n, median, p99 };
}

/**
 * Seed 002's GC-pause numbers and seed 000's NTP offsets: the first capture of each matching line read as
 * a number, summarized per node and for the whole bundle. Captures that are not numbers are counted apart.
 */
export function numericStats(
  bundle: BundleIndex,
  hits: readonly LineHit[],
  /** Collects every value read (several bundles summarize into one "all"). */
  all: number[] = [],
): { perNode: Record<string, NumberSummary>; all?: NumberSummary; notNumbers: number } {
  const values = new Map<string, number[]>();
  let notNumbers = 0;
  for (const h of hits) {
    const v = Number.parseFloat(h.captures?.[0] ?? '');
    if (!Number.isFinite(v)) {
      notNumbers++;
      continue;
    }
    const node = nodeOfHit(bundle, h);
    let list = values.get(node);
    if (!list) values.set(node, (list = []));
    list.push(v);
    all.push(v);
  }
  const perNode: Record<string, NumberSummary> = {};
  for (const [node, list] of [...values].sort((a, b) => a[0].localeCompare(b[0]))) perNode[node] = summarize(list) as NumberSummary;
  return { perNode, all: summarize(all), notNumbers };
}
