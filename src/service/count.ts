import { addSearchUse, searchWith } from './searchIndex';
import type { Bucket } from '../core/workflows/countPerNode';
import { grepBundle } from '../indexer/grepBundle';
import { nodeName } from './present';
import { searchPatternProblem } from './trace';
import type { CountResult, CountRow, SearchUse, UnreadableFile } from './results';
import { offsetsUs, type SearchControl, type ServiceContext } from './serviceContext';

const HOUR_US = 3_600_000_000;
const DAY_US = 24 * HOUR_US;

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
  const bucketUs = params.by === 'day' ? DAY_US : HOUR_US;
  const perBundle: { rows: { node: string; label: string; total: number; byBucket: Map<number, number> }[] }[] = [];
  const bucketSet = new Set<number>();
  let undated = 0;
  let truncated = false;
  const unreadable: UnreadableFile[] = [];
  const search: SearchUse = { skippedBytes: 0 };
  for (const b of ctx.bundles) {
    // Counts per bucket are kept, never the matching lines: memory does not grow with the matches.
    const r = await grepBundle(b.index, pattern, {
      ...searchWith(b),
      keep: (f) => ({ kind: 'buckets', bucketUs, shiftUs: offsets[f.node] ?? 0 }),
      ...control,
    });
    truncated ||= r.truncated;
    unreadable.push(...r.unreadable);
    addSearchUse(search, r);
    const rows = new Map<string, { node: string; label: string; total: number; byBucket: Map<number, number> }>();
    for (const a of r.aggregates) {
      const node = b.index.files[a.file].node;
      let row = rows.get(node);
      if (!row) rows.set(node, (row = { node, label: nodeName(ctx, b, node), total: 0, byBucket: new Map() }));
      row.total += a.matches;
      undated += a.undated ?? 0;
      for (const [x, n] of a.buckets ?? []) {
        bucketSet.add(x);
        row.byBucket.set(x, (row.byBucket.get(x) ?? 0) + n);
      }
    }
    perBundle.push({
      rows: [...rows.values()].filter((x) => x.total > 0).sort((x, y) => (x.node < y.node ? -1 : x.node > y.node ? 1 : 0)),
    });
  }
  const buckets = [...bucketSet].sort((a, b) => a - b);
  const nodes: CountRow[] = perBundle.flatMap((p) =>
    p.rows.map((r) => ({ node: r.node, label: r.label, total: r.total, counts: buckets.map((x) => r.byBucket.get(x) ?? 0) })),
  );
  const label = (x: number) => (params.by === 'day' ? ctx.label(x).slice(0, 10) : `${ctx.label(x).slice(0, 13).replace('T', ' ')}:00`);
  return { pattern: params.pattern, by: params.by, buckets: buckets.map(label), nodes, undated, truncated, unreadable, search };
}
