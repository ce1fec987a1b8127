import type { OverlapInfo, OverlapsResult } from '../../service';
import { terminalText } from '../../core/inertText';
import { intervalJson } from './leadersCommand';
import { spaced, warningLines, type CliCommand, type Output } from './output';
import * as service from '../../service';
import type { OverlapsJson } from '../json';

/** `quorum-lens overlaps DIR`: intervals of one role held by two nodes at once, and how much was compared. */
export function overlapsOutput(r: OverlapsResult): Output {
  const json: OverlapsJson = {
    overlaps: r.overlaps.map((o) => ({
      role: o.role,
      nodes: o.nodes,
      start: o.startLabel,
      end: o.endLabel,
      seconds: o.seconds,
      intervals: o.intervals.map(intervalJson),
      ...(o.clockUncertaintyMs !== undefined ? { clockUncertaintyMs: o.clockUncertaintyMs, uncertain: o.uncertain } : {}),
      ...(o.bundle !== undefined ? { bundle: o.bundle } : {}),
      ...(o.stale
        ? {
            stale: o.stale.node,
            staleBy: o.stale.by,
            staleWhy: o.stale.why,
            evidence: o.stale.evidence.map((e) => ({ node: e.node, file: e.location.file, line: e.location.line, text: e.text })),
          }
        : {}),
    })),
    examined: r.examined,
    warnings: r.warnings,
  };
  return { json, human: () => warningLines(r.warnings) + printOverlaps(r) };
}

function printOverlaps(r: OverlapsResult): string {
  const scope = `${r.examined.intervals} ${r.roles.join('/')} leader intervals on ${r.examined.nodes} nodes examined`;
  if (r.overlaps.length === 0) return `No overlaps: ${scope}.`;
  const out = [`${r.overlaps.length} overlap${r.overlaps.length === 1 ? '' : 's'} (${scope}):`];
  for (const o of r.overlaps) {
    out.push(
      '',
      `${terminalText(o.role)}  ${terminalText(o.nodes[0])} ∩ ${terminalText(o.nodes[1])}  ${o.seconds.toFixed(6)} s  ${spaced(o.startLabel)} → ${spaced(o.endLabel)}${clockNote(o)}`,
    );
    if (o.stale) out.push(`    stale: ${terminalText(o.stale.node)} (${terminalText(o.stale.why)})`);
    for (const iv of o.intervals) {
      out.push(
        `    ${terminalText(iv.node).padEnd(18)} ${spaced(iv.startLabel)} → ${spaced(iv.endLabel)}  ` +
          `${terminalText(iv.startSource.file)}:${iv.startSource.line} → :${iv.endSource.line} (${terminalText(iv.endReason)})`,
      );
    }
  }
  return out.join('\n');
}

function clockNote(o: OverlapInfo): string {
  if (o.clockUncertaintyMs === undefined) return '';
  return `  (clocks may differ by up to ${o.clockUncertaintyMs.toFixed(0)} ms${o.uncertain ? ': UNCERTAIN' : ''})`;
}

export const overlapsCommand: CliCommand = {
  name: 'overlaps',
  synopsis: 'overlaps DIR [--role ROLE] [--json]',
  summary: 'intervals of one role that overlap across nodes',
  run: (ctx, cl) => overlapsOutput(service.overlaps(ctx, { role: cl.role })),
};
