import { clusterLogLine, nodeColumnWidth, shortNodeNames } from '../../core/clusterLog/clusterLogLine';
import { terminalText } from '../../core/inertText';
import { parseUserTime } from '../../core/time';
import type { MergeResult } from '../../service';
import * as service from '../../service';
import type { CommandLine } from '../args';
import type { MergeJson } from '../json';
import { spaced, type CliCommand, type Output } from './output';

/** `--level` as typed (`W`, `warn`, `E`, `error`, any case) → the filter's level; undefined when it is none of them. */
function levelOf(text: string | undefined): 'W' | 'E' | undefined {
  if (text === undefined) return undefined;
  const t = text.toUpperCase();
  if (t === 'W' || t === 'WARN' || t === 'WARNING') return 'W';
  if (t === 'E' || t === 'ERROR') return 'E';
  return undefined;
}

/** `quorum-lens merge DIR`: one page of every node's lines interleaved by time, filtered. */
export function mergeOutput(r: MergeResult): Output {
  const json: MergeJson = {
    lines: r.lines.map((l) => ({
      time: l.timeLabel,
      node: l.node,
      file: l.location.file,
      line: l.location.line,
      text: l.text,
      ...(l.continuation && { continuation: true as const }),
      ...(l.ownTimeLabel !== undefined && { ownTime: l.ownTimeLabel }),
      ...(l.bundle !== undefined && { bundle: l.bundle }),
    })),
    ...(r.nextToken !== undefined && { next: r.nextToken }),
    ...(r.previousToken !== undefined && { previous: r.previousToken }),
    truncated: r.truncated,
    limit: r.limit,
    filters: {
      ...(r.filters.fromLabel !== undefined && { from: r.filters.fromLabel }),
      ...(r.filters.toLabel !== undefined && { to: r.filters.toLabel }),
      include: r.filters.include,
      exclude: r.filters.exclude,
      ignoreCase: r.filters.ignoreCase,
      ...(r.filters.level !== undefined && { level: r.filters.level }),
      nodes: r.filters.nodes,
      sources: r.filters.sources,
    },
    unreadable: r.unreadable,
    skippedFiles: r.skippedFiles,
    notes: r.notes,
  };
  const human = () => {
    const out: string[] = [];
    if (r.lines.length === 0) out.push(`No line in the merged log${filtered(r) ? ' with these filters' : ''}${range(r)}.`);
    const short = shortNodeNames(r.nodes.map((n) => n.label));
    const width = nodeColumnWidth(short.values());
    for (const l of r.lines)
      out.push(
        clusterLogLine(
          { timeLabel: l.timeLabel, node: short.get(l.nodeLabel) ?? l.nodeLabel, text: l.text, placed: l.ownTime !== undefined },
          width,
        ),
      );
    out.push(...footer(r));
    return out.join('\n');
  };
  return { json, human, unreadable: r.unreadable };
}

function filtered(r: MergeResult): boolean {
  const f = r.filters;
  return f.include.length + f.exclude.length + f.nodes.length + f.sources.length > 0 || f.level !== undefined;
}

function range(r: MergeResult): string {
  const f = r.filters;
  return `${f.fromLabel ? ` from ${spaced(f.fromLabel)}` : ''}${f.toLabel ? ` before ${spaced(f.toLabel)}` : ''}`;
}

/** How to read on, and what the page left out: after the lines, where the reader's eye ends. */
function footer(r: MergeResult): string[] {
  const out: string[] = [];
  const placed = r.lines.filter((l) => l.ownTime !== undefined).length;
  if (placed > 0)
    out.push(
      `* ${placed} line${placed === 1 ? '' : 's'} carry a time outside the checkpoints around them (a clock step or a stray line): shown at the nearest time there (--json gives their own time).`,
    );
  if (r.truncated && r.direction === 'forward' && r.nextToken) out.push(`More follow. Read on with: --after ${r.nextToken}`);
  if (r.truncated && r.direction === 'backward' && r.previousToken) out.push(`More precede. Read back with: --before ${r.previousToken}`);
  if (r.direction === 'backward' && r.nextToken) out.push(`Read forward from the last line with: --after ${r.nextToken}`);
  if (r.notes.length) {
    out.push(`Read in part (${r.notes.length}):`);
    for (const n of r.notes) out.push(`  ${terminalText(n.file)}: ${terminalText(n.note)}`);
  }
  if (r.skippedFiles.length) {
    out.push(`Not merged (${r.skippedFiles.length}):`);
    for (const s of r.skippedFiles) out.push(`  ${terminalText(s.file)}: ${terminalText(s.reason)}`);
  }
  return out.length > 0 ? ['', ...out] : [];
}

/** `--before` takes a page's cursor, or a time: the last lines before it. */
function beforeTime(cl: CommandLine): number | undefined {
  return cl.before === undefined || service.decodeCursor(cl.before) ? undefined : parseUserTime(cl.before);
}

/** What the command line asks of the service. */
function paramsOf(cl: CommandLine): service.MergeParams {
  const before = beforeTime(cl);
  const cursor = cl.after ?? (before === undefined ? cl.before : undefined);
  return {
    from: cl.from,
    to: before !== undefined && (cl.to === undefined || before < cl.to) ? before : cl.to,
    include: cl.include,
    exclude: cl.exclude,
    ignoreCase: cl.ignoreCase,
    level: levelOf(cl.level),
    nodes: cl.nodes,
    sources: cl.sources,
    limit: cl.max ?? service.MERGE_DEFAULT_LIMIT,
    cursor: cursor === undefined ? undefined : service.decodeCursor(cursor),
    direction: cl.before !== undefined ? 'backward' : 'forward',
  };
}

export const mergeCommand: CliCommand = {
  name: 'merge',
  synopsis: 'merge DIR [--from T] [--after C] [--json]',
  summary: 'every node’s lines interleaved by time, filtered, a page at a time',
  check: (cl) => {
    if (cl.after !== undefined && cl.before !== undefined) return 'merge: --after and --before cannot be used together';
    for (const [flag, token] of [
      ['--after', cl.after],
      ['--before', cl.before],
    ] as const)
      if (token !== undefined && service.decodeCursor(token) === undefined && (flag === '--after' || beforeTime(cl) === undefined))
        return `merge: ${flag} takes the cursor a page printed (next / previous, e.g. m1,1678757751690000,0,12,…)${flag === '--before' ? ' or a time' : ''}, not "${token}"`;
    if (cl.level !== undefined && levelOf(cl.level) === undefined) return `merge: --level takes W or E, not "${cl.level}"`;
    const problem = service.mergeFilterProblem({
      include: cl.include,
      exclude: cl.exclude,
      ignoreCase: cl.ignoreCase,
      sources: cl.sources,
    });
    return problem && `merge: ${problem}`;
  },
  run: async (ctx, cl) => {
    const r = await service.mergedLines(ctx, paramsOf(cl));
    if (r.problem) throw new service.InputError(r.problem);
    return mergeOutput(r);
  },
};
