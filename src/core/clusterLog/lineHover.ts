import { mdCode, mdText } from '../inertText';

/** What the hover of a Cluster Log line is told: the merged line and its node. */
export interface HoveredLine {
  location: { file: string; line: number };
  nodeLabel: string;
  timeLabel: string;
  continuation?: true;
  ownTimeLabel?: string;
}

/**
 * The hover of a Cluster Log line's time/node column, as Markdown: the node and the clock offset applied to
 * it, the source file and line, the corrected time, and why a line shows at a time not its own. File and
 * node names come from the bundle: escaped, never a link (the column itself links to the line).
 */
export function lineHoverMarkdown(l: HoveredLine, node?: { label: string; offsetMs: number }): string {
  const offset = node?.offsetMs
    ? `clock offset applied: ${node.offsetMs > 0 ? '+' : ''}${node.offsetMs} ms (\`quorumLens.clockOffsets\`)`
    : 'no clock offset applied';
  const parts = [
    `**${mdText(node?.label ?? l.nodeLabel)}** · ${offset}`,
    `${mdCode(l.location.file)} line ${l.location.line}`,
    `corrected time ${mdCode(l.timeLabel)}`,
  ];
  if (l.continuation) parts.push('continues the entry above (shown at its time)');
  if (l.ownTimeLabel)
    parts.push(`its own time ${mdCode(l.ownTimeLabel)} lies outside the checkpoints around it: shown at the nearest time there (\\*)`);
  parts.push('Enter, a click on the time or Go to Definition opens the line.');
  return parts.join('\n\n');
}
