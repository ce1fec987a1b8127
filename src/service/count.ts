import { countPerNode, type Bucket } from '../core/workflows/countPerNode';
import { grepBundle } from '../indexer/grepBundle';
import { nodeName } from './present';
import { searchPatternProblem } from './trace';
import type { CountResult, CountRow, UnreadableFile } from './results';
import { offsetsUs, type SearchControl, type ServiceContext } from './serviceContext';

/** Matches kept in memory for counting and statistics: a runaway pattern cannot eat the memory. */
export const SEARCH_HIT_LIMIT = 5_000_000;

export interface CountParams {
  pattern: string;
  regex?: boolean;
  ignoreCase?: boolean;
  by: Bucket;
}

/** Matches per node and per day (or hour), every bundle; buckets are the union of all bundles' buckets. */
export async function count(ctx: ServiceContext, params: CountParams, control: SearchControl = {}): Promise<CountResult> {
  const problem = searchPatternProblem({ text: params.pattern, regex: params.regex, ignoreCase: params.ignoreCase });
  if (problem)
    return { pattern: params.pattern, by: params.by, buckets: [], nodes: [], undated: 0, truncated: false, unreadable: [], problem };
  const offsets = offsetsUs(ctx);
  const pattern = { source: params.pattern, regex: params.regex === true, ignoreCase: params.ignoreCase === true };
  const perBundle: { rows: { node: string; label: string; total: number; byBucket: Map<number, number> }[] }[] = [];
  const bucketSet = new Set<number>();
  let undated = 0;
  let truncated = false;
  const unreadable: UnreadableFile[] = [];
  for (const b of ctx.bundles) {
    const r = await grepBundle(b.index, pattern, { maxMatches: SEARCH_HIT_LIMIT, ...control });
    truncated ||= r.truncated;
    unreadable.push(...r.unreadable);
    const t = countPerNode(b.index, r.hits, params.by, offsets);
    undated += t.undated;
    for (const x of t.buckets) bucketSet.add(x);
    perBundle.push({
      rows: t.nodes.map((n) => ({
        node: n,
        label: nodeName(ctx, b, n),
        total: t.totals[n],
        byBucket: new Map(t.buckets.map((x, i) => [x, t.counts[n][i]])),
      })),
    });
  }
  const buckets = [...bucketSet].sort((a, b) => a - b);
  const nodes: CountRow[] = perBundle.flatMap((p) =>
    p.rows.map((r) => ({ node: r.node, label: r.label, total: r.total, counts: buckets.map((x) => r.byBucket.get(x) ?? 0) })),
  );
  const label = (x: number) => (params.by === 'day' ? ctx.label(x).slice(0, 10) : `${ctx.label(x).slice(0, 13).replace('T', ' ')}:00`);
  return { pattern: params.pattern, by: params.by, buckets: buckets.map(label), nodes, undated, truncated, unreadable };
}
