import { summarize } from '../core/workflows/numericStats';
import { userRegexProblem } from '../core/userRegex';
import { grepBundle } from '../indexer/grepBundle';
import { SEARCH_HIT_LIMIT } from './count';
import { nodeName } from './present';
import type { NodeNumberSummary, StatsResult, UnreadableFile } from './results';
import type { SearchControl, ServiceContext } from './serviceContext';

/**
 * Why a statistics regex cannot be used, or undefined when it can: it must compile and capture the number
 * (`GC pause ([0-9.]+)`). The CLI asks before indexing; the editor gets the same words back.
 */
export function statsRegexProblem(regex: string): string | undefined {
  try {
    new RegExp(regex);
  } catch (e) {
    return `bad REGEX: ${(e as Error).message}`;
  }
  if (!/(^|[^\\])\((?!\?)/.test(regex)) return 'the REGEX needs a capture group around the number, e.g. "GC pause ([0-9.]+)"';
  return userRegexProblem(regex);
}

/** The number a regex captures, summarized per node and over all of them (count, sum, min, max, mean, median, p99). */
export async function stats(ctx: ServiceContext, params: { regex: string }, control: SearchControl = {}): Promise<StatsResult> {
  const empty = { pattern: params.regex, nodes: [], notNumbers: 0, truncated: false, unreadable: [] };
  const problem = statsRegexProblem(params.regex);
  if (problem) return { ...empty, problem };
  const nodes: NodeNumberSummary[] = [];
  const all: Float64Array[] = [];
  let notNumbers = 0;
  let truncated = false;
  const unreadable: UnreadableFile[] = [];
  for (const b of ctx.bundles) {
    // Only the captured numbers are kept (8 bytes each), never the lines.
    const r = await grepBundle(
      b.index,
      { source: params.regex, regex: true },
      { maxMatches: SEARCH_HIT_LIMIT, keep: () => ({ kind: 'numbers' }), ...control },
    );
    truncated ||= r.truncated;
    unreadable.push(...r.unreadable);
    const perNode = new Map<string, Float64Array[]>();
    for (const a of r.aggregates) {
      notNumbers += a.notNumbers ?? 0;
      if (!a.numbers?.length) continue;
      const node = b.index.files[a.file].node;
      perNode.set(node, [...(perNode.get(node) ?? []), a.numbers]);
      all.push(a.numbers);
    }
    for (const node of [...perNode.keys()].sort((x, y) => x.localeCompare(y))) {
      const summary = summarize(concat(perNode.get(node) ?? []));
      if (summary) nodes.push({ node, label: nodeName(ctx, b, node), ...summary });
    }
  }
  return { pattern: params.regex, nodes, all: summarize(concat(all)), notNumbers, truncated, unreadable };
}

function concat(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
