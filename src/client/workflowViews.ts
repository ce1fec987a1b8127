import { mdCode, mdCodeBlock, mdLink, mdText } from '../core/inertText';
import type { NumberSummary } from '../core/workflows/numericStats';
import type {
  ClockOffsetsResult,
  CountResult,
  FoundLine,
  SessionLifecycleInfo,
  StatsResult,
  TraceResult,
  UnreadableFile,
} from '../shared/protocol';

/** Files the search could not read: named at the end, so a missing answer is never silent. */
function unreadableNote(list: readonly UnreadableFile[] | undefined): string {
  if (!list?.length) return '';
  return `\n**${list.length} file${list.length === 1 ? '' : 's'} could not be read** (left out):\n\n${list.map((u) => `- ${mdCode(u.file)}: ${mdText(u.message)}`).join('\n')}\n`;
}

/** A found line as one Markdown list item: time, node, a link to the source line, the text. */
export function foundLineMarkdown(l: FoundLine, mark = ''): string {
  const name = l.location.file.slice(l.location.file.lastIndexOf('/') + 1);
  return `- ${mark}${mdCode(l.timeLabel ?? 'no time')} **${mdText(l.nodeLabel)}** ${mdLink(`${name}:${l.location.line}`, `${l.location.uri}#L${l.location.line}`)} ${mdCode(l.text)}`;
}

export function traceMarkdown(
  text: string,
  r: Pick<TraceResult, 'lines' | 'truncated' | 'limit' | 'nextLabel' | 'crowdedAt' | 'files' | 'unreadable' | 'problem'>,
  fromLabel?: string,
): string {
  if (r.problem) return `# Trace: ${mdCode(text)}\n\n${mdText(r.problem)}\n`;
  const from = fromLabel ? ` at or after ${mdCode(fromLabel)},` : '';
  const head = `# Trace: ${mdCode(text)}\n\n${r.lines.length} lines${from} on ${new Set(r.lines.map((l) => l.node)).size} nodes, ${r.files} files searched, in time order. Each link opens the line.\n`;
  return `${head}${traceCut(r)}\n${r.lines.map((l) => foundLineMarkdown(l)).join('\n')}\n${unreadableNote(r.unreadable)}`;
}

/** A cut trace says so above its lines: what is complete, and where the rest begin. */
function traceCut(r: Pick<TraceResult, 'truncated' | 'limit' | 'nextLabel' | 'crowdedAt'>): string {
  if (!r.truncated) return '';
  const what = r.nextLabel
    ? `these are every matching line before ${mdCode(r.nextLabel)}, none at or after it. **Show the Next Lines** (in the notification) reads on from there.`
    : 'lines without a time after these are not shown.';
  const crowded = r.crowdedAt ? ` More than ${r.limit} lines at ${mdCode(r.crowdedAt)}: some at that instant are left out.` : '';
  return `\n**Cut at ${r.limit} lines:** ${what}${crowded}\n`;
}

export function contextMarkdown(
  r: {
    centerLabel?: string;
    lines: (FoundLine & { origin?: boolean })[];
    problem?: string;
    unreadable?: UnreadableFile[];
    truncatedFiles?: string[];
    maxLinesPerFile?: number;
    skippedFiles?: { file: string; reason: string }[];
    notes?: { file: string; note: string }[];
  },
  windowSeconds: number,
): string {
  if (r.problem) return `# Cluster context\n\n${mdText(r.problem)}\n`;
  const head = `# Cluster context: ${mdText(r.centerLabel ?? '')} ± ${windowSeconds} s\n\n${r.lines.length} lines from ${new Set(r.lines.map((l) => l.node)).size} nodes, interleaved by time (clock offsets applied). ▶ marks the line you started from.\n`;
  const out = [`${head}\n${r.lines.map((l) => foundLineMarkdown(l, l.origin ? '▶ ' : '')).join('\n')}\n`];
  // What the answer does not hold is said after it, never left out silently.
  const cut = r.truncatedFiles ?? [];
  if (cut.length) {
    const limit = r.maxLinesPerFile === undefined ? 'the per-file limit' : `${r.maxLinesPerFile} lines per file`;
    out.push(
      `\n**Cut at ${limit}**: ${cut.length === 1 ? 'this file has' : 'these files have'} more lines in the window than shown (narrow the window):\n\n${cut.map((f) => `- ${mdCode(f)}`).join('\n')}\n`,
    );
  }
  if (r.notes?.length) out.push(`\n**Read in part:**\n\n${r.notes.map((n) => `- ${mdCode(n.file)}: ${mdText(n.note)}`).join('\n')}\n`);
  if (r.skippedFiles?.length) {
    out.push(`\n**Not read:**\n\n${r.skippedFiles.map((s) => `- ${mdCode(s.file)}: ${mdText(s.reason)}`).join('\n')}\n`);
  }
  return out.join('') + unreadableNote(r.unreadable);
}

const BAR = '█';

/** Count per node as a table, and a small bar chart of each node's total. */
export function countMarkdown(pattern: string, r: CountResult): string {
  if (r.problem) return `# Count: ${mdCode(pattern)}\n\n${mdText(r.problem)}\n`;
  if (r.nodes.length === 0) return `# Count: ${mdCode(pattern)}\n\nNo line matches.\n`;
  const out = [`# Count: ${mdCode(pattern)} per node and ${r.by}`, ''];
  out.push(`| ${r.by} | ${r.nodes.map((n) => mdText(n.label)).join(' | ')} |`, `|---|${r.nodes.map(() => '---:').join('|')}|`);
  r.buckets.forEach((b, i) => out.push(`| ${mdText(b)} | ${r.nodes.map((n) => n.counts[i]).join(' | ')} |`));
  out.push(`| **total** | ${r.nodes.map((n) => `**${n.total}**`).join(' | ')} |`, '');
  const max = Math.max(...r.nodes.map((n) => n.total));
  const width = Math.max(...r.nodes.map((n) => n.label.length));
  out.push(
    mdCodeBlock(r.nodes.map((n) => `${n.label.padEnd(width)}  ${BAR.repeat(Math.max(1, Math.round((n.total / max) * 40)))} ${n.total}`)),
  );
  if (r.undated) out.push('', `${r.undated} matches have no time and are only in the totals.`);
  if (r.truncated) out.push('', '**The search stopped at its limit: these counts are partial.**');
  return out.join('\n') + '\n' + unreadableNote(r.unreadable);
}

const num = (v: number) => String(Number(v.toPrecision(6)));
const row = (name: string, s: NumberSummary) =>
  `| ${mdText(name)} | ${s.count} | ${num(s.sum)} | ${num(s.min)} | ${num(s.max)} | ${num(s.mean)} | ${num(s.median)} | ${num(s.p99)} |`;

export function statsMarkdown(regex: string, r: StatsResult): string {
  if (r.problem) return `# Statistics: ${mdCode(regex)}\n\n${mdText(r.problem)}\n`;
  if (!r.all) return `# Statistics: ${mdCode(regex)}\n\nNo line matches with a number in the first capture group.\n`;
  const out = [
    `# Statistics: ${mdCode(regex)}`,
    '',
    '| node | count | sum | min | max | mean | median | p99 |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const n of r.nodes) out.push(row(n.label, n));
  out.push(row('all nodes', r.all));
  if (r.notNumbers) out.push('', `${r.notNumbers} matches captured no number.`);
  if (r.approximate) out.push('', `*${mdText(r.approximate)}.*`);
  if (r.truncated) out.push('', '**The search stopped at its limit: the summary covers only the numbers read until then.**');
  return out.join('\n') + '\n' + unreadableNote(r.unreadable);
}

export function offsetsMarkdown(r: ClockOffsetsResult): string {
  const out = [
    '# Clock offsets',
    '',
    'Measured by NTP/chrony in the bundle (seconds), and the offsets set in `quorumLens.clockOffsets` (ms), which every time comparison applies.',
    '',
  ];
  out.push(
    '| node | readings | min s | max s | mean s | median s | largest \\|s\\| | configured ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const n of r.nodes) {
    const m = n.measured;
    out.push(
      `| ${mdText(n.label)} | ${m?.count ?? 0} | ${m ? num(m.min) : '—'} | ${m ? num(m.max) : '—'} | ${m ? num(m.mean) : '—'} | ${m ? num(m.median) : '—'} | ${m ? num(m.maxAbs) : '—'} | ${n.configuredMs ?? '—'} |`,
    );
  }
  return out.join('\n') + '\n';
}

export function lifecycleMarkdown(r: SessionLifecycleInfo): string {
  const title =
    r.kind === 'zookeeper'
      ? `ZooKeeper session ${mdText(r.id)}`
      : r.id === 'meta'
        ? 'Every meta session event'
        : `meta session ${mdText(r.id)}`;
  const created = r.createdBy
    ? `Created by the server with myid ${r.createdBy.myid}${r.createdBy.nodeLabel ? ` (**${mdText(r.createdBy.nodeLabel)}**)` : ''}: the session id's top byte.\n\n`
    : '';
  if (r.events.length === 0) return `# ${title}\n\n${created}Nothing about it in the bundle.\n`;
  return `# ${title}\n\n${created}${r.events.map((e) => foundLineMarkdown({ ...e, text: e.what })).join('\n')}\n`;
}
