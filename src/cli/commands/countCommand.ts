import type { CountResult } from '../../service';
import { terminalText } from '../../core/inertText';
import { table } from '../table';
import { searchPatternCheck, searchNotes, type CliCommand, type Output } from './output';
import * as service from '../../service';
import type { CountJson } from '../json';
import { plural } from '../../core/plural';

/** `quorum-lens count DIR PATTERN --by day|hour`: matches per node and per day (or hour). */
export function countOutput(r: CountResult): Output {
  const json: CountJson = {
    pattern: r.pattern,
    by: r.by,
    truncated: r.truncated,
    undated: r.undated,
    unreadable: r.unreadable,
    buckets: r.buckets,
    nodes: r.nodes.map((n) => ({ node: n.node, total: n.total, counts: n.counts })),
  };
  const human = () => {
    if (r.nodes.length === 0) return `No line matches "${terminalText(r.pattern)}".`;
    const rows = r.buckets.map((b, i) => [b, ...r.nodes.map((n) => String(n.counts[i]))]);
    rows.push(['total', ...r.nodes.map((n) => String(n.total))]);
    const undated = r.undated ? `\n(${plural(r.undated, 'match has', 'matches have')} no time)` : '';
    const cut = r.truncated ? '\n(the search stopped at its limit: these counts are partial)' : '';
    return `"${terminalText(r.pattern)}" per node and ${r.by}:\n\n${table([r.by.toUpperCase(), ...r.nodes.map((n) => n.node)], rows)}${undated}${cut}`;
  };
  return { json, human, unreadable: r.unreadable, notes: searchNotes(r.search) };
}

export const countCommand: CliCommand = {
  name: 'count',
  synopsis: 'count DIR PATTERN [--by day|hour] [--json]',
  summary: 'matches per node and day (or hour)',
  needs: 'a PATTERN',
  check: searchPatternCheck('count'),
  run: async (ctx, cl) => countOutput(await service.count(ctx, { pattern: cl.arg, regex: cl.regex, ignoreCase: cl.ignoreCase, by: cl.by })),
};
