import type { NumberSummary } from '../core/workflows/numericStats';
import type { ClockOffsetsResult, CountResult, FoundLine, SessionLifecycleInfo, StatsResult, UnreadableFile } from '../shared/protocol';

/** Log text inside Markdown: an inline code span that no backtick in the text can close. */
function code(text: string): string {
  const t = text.replace(/\r?\n/g, ' ');
  const ticks = '`'.repeat(Math.max(1, ...[...t.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${ticks} ${t} ${ticks}`;
}

const escapeMd = (s: string) => s.replace(/([\\[\]|*_<>])/g, '\\$1');

/** Files the search could not read: named at the end, so a missing answer is never silent. */
function unreadableNote(list: readonly UnreadableFile[] | undefined): string {
  if (!list?.length) return '';
  return `\n**${list.length} file${list.length === 1 ? '' : 's'} could not be read** (left out):\n\n${list.map((u) => `- ${code(u.file)}: ${escapeMd(u.message)}`).join('\n')}\n`;
}

/** A found line as one Markdown list item: time, node, a link to the source line, the text. */
export function foundLineMarkdown(l: FoundLine, mark = ''): string {
  const name = l.location.file.slice(l.location.file.lastIndexOf('/') + 1);
  return `- ${mark}\`${l.timeLabel ?? 'no time'}\` **${escapeMd(l.nodeLabel)}** [${escapeMd(name)}:${l.location.line}](${l.location.uri}#L${l.location.line}) ${code(l.text)}`;
}

export function traceMarkdown(
  text: string,
  r: { lines: FoundLine[]; truncated: boolean; files: number; unreadable?: UnreadableFile[] },
): string {
  const head = `# Trace: ${code(text)}\n\n${r.lines.length}${r.truncated ? '+ (stopped at the limit)' : ''} lines on ${new Set(r.lines.map((l) => l.node)).size} nodes, ${r.files} files searched, in time order. Each link opens the line.\n`;
  return `${head}\n${r.lines.map((l) => foundLineMarkdown(l)).join('\n')}\n${unreadableNote(r.unreadable)}`;
}

export function contextMarkdown(
  r: { centerLabel?: string; lines: (FoundLine & { origin?: boolean })[]; problem?: string; unreadable?: UnreadableFile[] },
  windowSeconds: number,
): string {
  if (r.problem) return `# Cluster context\n\n${r.problem}\n`;
  const head = `# Cluster context: ${r.centerLabel ?? ''} ± ${windowSeconds} s\n\n${r.lines.length} lines from ${new Set(r.lines.map((l) => l.node)).size} nodes, interleaved by time (clock offsets applied). ▶ marks the line you started from.\n`;
  return `${head}\n${r.lines.map((l) => foundLineMarkdown(l, l.origin ? '▶ ' : '')).join('\n')}\n${unreadableNote(r.unreadable)}`;
}

const BAR = '█';

/** Count per node as a table, and a small bar chart of each node's total. */
export function countMarkdown(pattern: string, r: CountResult): string {
  if (r.nodes.length === 0) return `# Count: ${code(pattern)}\n\nNo line matches.\n`;
  const out = [`# Count: ${code(pattern)} per node and ${r.by}`, ''];
  out.push(`| ${r.by} | ${r.nodes.map((n) => escapeMd(n.label)).join(' | ')} |`, `|---|${r.nodes.map(() => '---:').join('|')}|`);
  r.buckets.forEach((b, i) => out.push(`| ${b} | ${r.nodes.map((n) => n.counts[i]).join(' | ')} |`));
  out.push(`| **total** | ${r.nodes.map((n) => `**${n.total}**`).join(' | ')} |`, '');
  const max = Math.max(...r.nodes.map((n) => n.total));
  out.push('```text');
  const width = Math.max(...r.nodes.map((n) => n.label.length));
  for (const n of r.nodes) out.push(`${n.label.padEnd(width)}  ${BAR.repeat(Math.max(1, Math.round((n.total / max) * 40)))} ${n.total}`);
  out.push('```');
  if (r.undated) out.push('', `${r.undated} matches have no time and are only in the totals.`);
  if (r.truncated) out.push('', 'Stopped at 5 000 000 matches.');
  return out.join('\n') + '\n' + unreadableNote(r.unreadable);
}

const num = (v: number) => String(Number(v.toPrecision(6)));
const row = (name: string, s: NumberSummary) =>
  `| ${escapeMd(name)} | ${s.count} | ${num(s.sum)} | ${num(s.min)} | ${num(s.max)} | ${num(s.mean)} | ${num(s.median)} | ${num(s.p99)} |`;

export function statsMarkdown(regex: string, r: StatsResult): string {
  if (r.problem) return `# Statistics: ${code(regex)}\n\n${r.problem}\n`;
  if (!r.all) return `# Statistics: ${code(regex)}\n\nNo line matches with a number in the first capture group.\n`;
  const out = [
    `# Statistics: ${code(regex)}`,
    '',
    '| node | count | sum | min | max | mean | median | p99 |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const n of r.nodes) out.push(row(n.label, n));
  out.push(row('all nodes', r.all));
  if (r.notNumbers) out.push('', `${r.notNumbers} matches captured no number.`);
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
      `| ${escapeMd(n.label)} | ${m?.count ?? 0} | ${m ? num(m.min) : '—'} | ${m ? num(m.max) : '—'} | ${m ? num(m.mean) : '—'} | ${m ? num(m.median) : '—'} | ${m ? num(m.maxAbs) : '—'} | ${n.configuredMs ?? '—'} |`,
    );
  }
  return out.join('\n') + '\n';
}

export function lifecycleMarkdown(r: SessionLifecycleInfo): string {
  const title =
    r.kind === 'zookeeper' ? `ZooKeeper session ${r.id}` : r.id === 'meta' ? 'Every meta session event' : `meta session ${r.id}`;
  const created = r.createdBy
    ? `Created by the server with myid ${r.createdBy.myid}${r.createdBy.nodeLabel ? ` (**${escapeMd(r.createdBy.nodeLabel)}**)` : ''}: the session id's top byte.\n\n`
    : '';
  if (r.events.length === 0) return `# ${title}\n\n${created}Nothing about it in the bundle.\n`;
  return `# ${title}\n\n${created}${r.events.map((e) => foundLineMarkdown({ ...e, text: e.what })).join('\n')}\n`;
}
