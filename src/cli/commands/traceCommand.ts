import type { TraceResult } from '../../service';
import { terminalText } from '../../core/inertText';
import { table } from '../table';
import { lineJson, spaced, searchPatternCheck, type CliCommand, type Output } from './output';
import * as service from '../../service';
import type { TraceJson } from '../json';

/** `quorum-lens trace DIR TEXT`: every line that mentions TEXT, on every node, in time order. */
export function traceOutput(r: TraceResult): Output {
  const json: TraceJson = {
    query: r.query,
    regex: r.regex,
    truncated: r.truncated,
    filesSearched: r.files,
    bytesSearched: r.bytes,
    unreadable: r.unreadable,
    hits: r.lines.map(lineJson),
  };
  const human = () => {
    if (r.lines.length === 0) return `No line mentions "${terminalText(r.query)}" (${r.files} files searched).`;
    const rows = r.lines.map((l) => [spaced(l.timeLabel), l.node, `${l.location.file}:${l.location.line}`, l.text.slice(0, 160)]);
    return `${r.lines.length}${r.truncated ? '+ (stopped at the limit)' : ''} lines mention "${terminalText(r.query)}":\n\n${table(['TIME', 'NODE', 'SOURCE', 'LINE'], rows)}`;
  };
  return { json, human, unreadable: r.unreadable };
}

export const traceCommand: CliCommand = {
  name: 'trace',
  synopsis: 'trace DIR TEXT [--regex] [--json]',
  summary: 'every line mentioning TEXT, all nodes, in time order',
  needs: 'a PATTERN',
  check: searchPatternCheck('trace'),
  run: async (ctx, cl) => traceOutput(await service.trace(ctx, { text: cl.arg, regex: cl.regex, ignoreCase: cl.ignoreCase, max: cl.max })),
};
