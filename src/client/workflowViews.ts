import { withVerdict } from '../core/expiryVerdict';
import { mdCode, mdLink, mdText } from '../core/inertText';
import { numberText } from '../core/numberText';
import type { ClockOffsetsResult, FoundLine, SessionLifecycleInfo } from '../shared/protocol';

/** A found line as one Markdown list item: time, node, a link to the source line, the text. */
export function foundLineMarkdown(l: FoundLine, mark = ''): string {
  const name = l.location.file.slice(l.location.file.lastIndexOf('/') + 1);
  return `- ${mark}${mdCode(l.timeLabel ?? 'no time')} **${mdText(l.nodeLabel)}** ${mdLink(`${name}:${l.location.line}`, `${l.location.uri}#L${l.location.line}`)} ${mdCode(l.text)}`;
}

const num = numberText;

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
  const by = r.createdBy;
  const which = by?.nodeLabel
    ? ` (**${mdText(by.nodeLabel)}**)`
    : by?.claimedBy
      ? ` (claimed by ${by.claimedBy.map(mdText).join(', ')}: which one cannot be told)`
      : '';
  const created = by ? `Created by the server with myid ${by.myid}${which}: the session id's top byte.\n\n` : '';
  if (r.events.length === 0) return `# ${title}\n\n${created}Nothing about it in the bundle.\n`;
  return `# ${title}\n\n${created}${r.events.map((e) => foundLineMarkdown({ ...e, text: withVerdict(e) })).join('\n')}\n`;
}
