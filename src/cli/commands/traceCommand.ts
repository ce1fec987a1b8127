import type { TraceResult } from '../../service';
import { plural } from '../../core/plural';
import { terminalText } from '../../core/inertText';
import { formatIso } from '../../core/time';
import { table } from '../table';
import { cutRowsNote, lineJson, rowText, spaced, searchPatternCheck, searchNotes, type CliCommand, type Output } from './output';
import * as service from '../../service';
import type { TraceJson } from '../json';

/** `quorum-lens trace DIR TEXT`: every line that mentions TEXT, on every node, in time order. */
export function traceOutput(r: TraceResult): Output {
  const json: TraceJson = {
    query: r.query,
    regex: r.regex,
    truncated: r.truncated,
    limit: r.limit,
    ...(r.next !== undefined && { next: formatIso(r.next) }),
    filesSearched: r.files,
    bytesSearched: r.bytes,
    unreadable: r.unreadable,
    hits: r.lines.map(lineJson),
  };
  const human = () => {
    if (r.lines.length === 0 && !r.truncated) return `No line mentions "${terminalText(r.query)}" (${plural(r.files, 'file')} searched).`;
    const rows = r.lines.map((l) => [spaced(l.timeLabel), l.node, `${l.location.file}:${l.location.line}`, rowText(l.text)]);
    const head = `${plural(r.lines.length, 'line mentions', 'lines mention')} "${terminalText(r.query)}"${r.truncated ? ` — cut at the limit of ${r.limit}` : ''}:`;
    const texts = r.lines.map((l) => l.text);
    return `${head}\n\n${table(['TIME', 'NODE', 'SOURCE', 'LINE'], rows)}${cutRowsNote(texts)}${cutNote(r)}`;
  };
  return { json, human, unreadable: r.unreadable, notes: searchNotes(r.search) };
}

/** What a cut trace left out and how to read on: said after the lines, where the reader's eye ends. */
function cutNote(r: TraceResult): string {
  if (!r.truncated) return '';
  const lines = [''];
  if (r.next !== undefined) {
    lines.push(
      `Cut at ${plural(r.limit, 'line')}: these are every matching line before ${spaced(r.nextLabel)}; none at or after it is shown.`,
    );
    lines.push(`Read on with: --from ${formatIso(r.next)}`);
  } else lines.push(`Cut at ${plural(r.limit, 'line')}: lines without a time after these are not shown.`);
  if (r.crowdedAt)
    lines.push(`More than ${plural(r.limit, 'line')} at ${spaced(r.crowdedAt)}: some at that instant are left out (raise --max).`);
  return lines.join('\n');
}

export const traceCommand: CliCommand = {
  name: 'trace',
  synopsis: 'trace DIR TEXT [--regex] [--from T] [--json]',
  summary: 'every line mentioning TEXT, all nodes, in time order',
  needs: 'a PATTERN',
  check: searchPatternCheck('trace'),
  run: async (ctx, cl) =>
    traceOutput(await service.trace(ctx, { text: cl.arg, regex: cl.regex, ignoreCase: cl.ignoreCase, max: cl.max, from: cl.from })),
};
