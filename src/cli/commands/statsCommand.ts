import type { NumberSummary } from '../../core/workflows/numericStats';
import { numberText } from '../../core/numberText';
import type { StatsResult } from '../../service';
import { terminalText } from '../../core/inertText';
import { table } from '../table';
import { searchNotes, type CliCommand, type Output } from './output';
import * as service from '../../service';
import type { StatsJson } from '../json';
import { plural } from '../../core/plural';

const row = (name: string, s: NumberSummary) => [name, String(s.count), ...[s.sum, s.min, s.max, s.mean, s.median, s.p99].map(numberText)];

/** `quorum-lens stats DIR REGEX`: the number captured by REGEX, summarized per node. */
export function statsOutput(r: StatsResult): Output {
  const json: StatsJson = {
    pattern: r.pattern,
    truncated: r.truncated,
    ...(r.approximate && { approximate: r.approximate }),
    notNumbers: r.notNumbers,
    unreadable: r.unreadable,
    all: r.all ?? null,
    nodes: r.nodes.map(({ node, label: _label, ...summary }) => ({ node, ...summary })),
  };
  const human = () => {
    if (!r.all) return `No line matches /${terminalText(r.pattern)}/ with a number in its first capture group.`;
    const rows = [...r.nodes.map((x) => row(x.node, x)), row('all', r.all)];
    const notNumbers = r.notNumbers ? `\n(${plural(r.notNumbers, 'match', 'matches')} captured no number)` : '';
    const cut = r.truncated ? '\n(the search stopped at its limit: the summary covers only the numbers read until then)' : '';
    const approximate = r.approximate ? `\n(${r.approximate})` : '';
    return table(['NODE', 'COUNT', 'SUM', 'MIN', 'MAX', 'MEAN', 'MEDIAN', 'P99'], rows) + notNumbers + approximate + cut;
  };
  return { json, human, unreadable: r.unreadable, notes: searchNotes(r.search) };
}

export const statsCommand: CliCommand = {
  name: 'stats',
  synopsis: 'stats DIR REGEX [--json]',
  summary: 'the number REGEX captures: count/sum/min/max/mean/median/p99 per node',
  needs: 'a PATTERN',
  check: (cl) => {
    const problem = service.statsRegexProblem(cl.arg);
    return problem && `stats: ${problem}`;
  },
  run: async (ctx, cl) => statsOutput(await service.stats(ctx, { regex: cl.arg })),
};
