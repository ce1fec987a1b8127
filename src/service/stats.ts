import type { NumberSummary } from '../core/workflows/numericStats';
import { EXACT_NUMBERS, NumberCollector, RELATIVE_ERROR } from '../core/workflows/numberCollector';
import { userRegexProblem } from '../core/userRegex';
import { grepBundle } from '../indexer/grepBundle';
import { nodeName } from './present';
import type { NodeNumberSummary, SearchUse, StatsResult, UnreadableFile } from './results';
import { addSearchUse, searchWith } from './searchIndex';
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
  const all = new NumberCollector();
  let notNumbers = 0;
  let truncated = false;
  const unreadable: UnreadableFile[] = [];
  const search: SearchUse = { skippedBytes: 0 };
  for (const b of ctx.bundles) {
    // Only the captured numbers are kept, in bounded memory (NumberCollector), never the lines.
    const r = await grepBundle(
      b.index,
      { source: params.regex, regex: true },
      { keep: () => ({ kind: 'numbers' }), ...searchWith(b), ...control },
    );
    truncated ||= r.truncated;
    unreadable.push(...r.unreadable);
    addSearchUse(search, r);
    const perNode = new Map<string, NumberCollector>();
    for (const a of r.aggregates) {
      notNumbers += a.notNumbers ?? 0;
      if (!a.numbers?.count) continue;
      const node = b.index.files[a.file].node;
      let c = perNode.get(node);
      if (!c) perNode.set(node, (c = new NumberCollector()));
      c.merge(a.numbers);
      all.merge(a.numbers);
    }
    for (const node of [...perNode.keys()].sort((x, y) => x.localeCompare(y))) {
      const summary = perNode.get(node)?.summary();
      if (summary) nodes.push({ node, label: nodeName(ctx, b, node), ...exactFields(summary) });
    }
  }
  // The whole holds at least as many numbers as any node: if any node is approximate, so is it.
  const summary = all.summary();
  const approximate = summary?.approximate ? approximateNote(all.size) : undefined;
  return {
    pattern: params.regex,
    nodes,
    all: summary && exactFields(summary),
    notNumbers,
    truncated,
    unreadable,
    search,
    ...(approximate && { approximate }),
  };
}

/** The seven numbers of a summary, without the collector's own flag. */
function exactFields(s: NumberSummary & { approximate?: true }): NumberSummary {
  const { count, sum, min, max, mean, median, p99 } = s;
  return { count, sum, min, max, mean, median, p99 };
}

/** What an approximate summary means, in words for every view. */
function approximateNote(count: number): string {
  return `median and p99 are within ${RELATIVE_ERROR * 100} % of the exact values (more than ${EXACT_NUMBERS.toLocaleString('en-US')} numbers: read from a log-bucket sketch over all ${count.toLocaleString('en-US')}); count, sum, min, max and mean are exact`;
}
