import type { ExplainResult, OverlapInfo, OverlapsResult } from '../../service';
import { plural } from '../../core/plural';
import { terminalText } from '../../core/inertText';
import { overlapReportMarkdown } from '../../service/overlapReportMarkdown';
import { intervalJson } from './leadersCommand';
import { lineJson, spaced, warningLines, type CliCommand, type Output } from './output';
import * as service from '../../service';
import type { ExplainJson, OverlapsJson } from '../json';

/** `quorum-lens overlaps DIR`: intervals of one role held by two nodes at once, and how much was compared. */
export function overlapsOutput(r: OverlapsResult): Output {
  const json: OverlapsJson = {
    overlaps: r.overlaps.map(overlapJson),
    examined: r.examined,
    warnings: r.warnings,
  };
  return { json, human: () => warningLines(r.warnings) + printOverlaps(r) };
}

/** One overlap as `overlaps --json` prints it (and `--explain --json` repeats it in each report). */
export function overlapJson(o: OverlapInfo): OverlapsJson['overlaps'][number] {
  return {
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
    ...(o.bothServing
      ? {
          bothServing:
            'start' in o.bothServing
              ? { start: o.bothServing.startLabel, end: o.bothServing.endLabel, seconds: o.bothServing.seconds }
              : { seconds: 0 },
        }
      : {}),
    silences: o.silences.map((s) => ({
      node: s.node,
      from: s.fromLabel,
      to: s.toLabel,
      seconds: s.seconds,
      usualSpacingMs: s.usualSpacingMs,
      file: s.after.file,
      line: s.after.line,
    })),
    faults: o.faults.map((f) => ({
      tool: f.tool,
      ...(f.target !== undefined && { target: f.target }),
      ...(f.node !== undefined && { node: f.node }),
      start: f.startLabel,
      end: f.endLabel,
      open: f.open,
      relation: f.relation,
      ...(f.secondsBefore !== undefined && { secondsBefore: f.secondsBefore }),
      words: f.words,
      file: f.source.file,
      line: f.source.line,
      text: f.text,
    })),
  };
}

function printOverlaps(r: OverlapsResult): string {
  const scope = examinedScope(r.examined, r.roles);
  if (r.overlaps.length === 0) return `No overlaps: ${scope}.`;
  const out = [`${plural(r.overlaps.length, 'overlap')} (${scope}):`];
  for (const o of r.overlaps) {
    out.push(
      '',
      `${terminalText(o.role)}  ${terminalText(o.nodes[0])} ∩ ${terminalText(o.nodes[1])}  ${o.seconds.toFixed(6)} s  ${spaced(o.startLabel)} → ${spaced(o.endLabel)}${clockNote(o)}`,
    );
    if (o.stale) out.push(`    stale: ${terminalText(o.stale.node)} (${terminalText(o.stale.why)})`);
    if (o.bothServing) out.push(`    both serving: ${o.bothServing.seconds.toFixed(3)} s`);
    for (const s of o.silences)
      out.push(`    silence: ${terminalText(s.nodeLabel)} wrote nothing for ${s.seconds.toFixed(2)} s from ${spaced(s.fromLabel)}`);
    for (const f of o.faults) out.push(`    fault: ${terminalText(f.words)}`);
    for (const iv of o.intervals) {
      out.push(
        `    ${terminalText(iv.node).padEnd(18)} ${spaced(iv.startLabel)} → ${spaced(iv.endLabel)}  ` +
          `${terminalText(iv.startSource.file)}:${iv.startSource.line} → :${iv.endSource.line} (${terminalText(iv.endReason)})`,
      );
    }
  }
  return out.join('\n');
}

/** "15 meta leader intervals on 5 nodes examined": what a "no overlaps" is worth. */
function examinedScope(examined: { intervals: number; nodes: number }, roles: readonly string[]): string {
  return `${plural(examined.intervals, `${terminalText(roles.join('/'))} leader interval`)} on ${plural(examined.nodes, 'node')} examined`;
}

function clockNote(o: OverlapInfo): string {
  if (o.clockUncertaintyMs === undefined) return '';
  return `  (clocks may differ by up to ${o.clockUncertaintyMs.toFixed(0)} ms${o.uncertain ? ': UNCERTAIN' : ''})`;
}

/**
 * `quorum-lens overlaps DIR --explain`: the overlap report of every overlap, as the Markdown an incident
 * ticket takes (the words are the service's, shared with the editor's "Copy as Markdown").
 */
export function explainOutput(r: ExplainResult): Output {
  const json: ExplainJson = {
    roles: r.roles,
    reports: r.reports.map((x) => ({
      overlap: overlapJson(x.overlap),
      states: x.states.map(lineJson),
      sessions: x.sessions.map((e) => ({
        ...lineJson(e),
        what: e.what,
        ...(e.effective !== undefined && { effective: e.effective, why: e.why }),
      })),
      warnings: x.warnings,
    })),
    examined: r.examined,
    warnings: r.warnings,
  };
  const human = () => {
    const scope = examinedScope(r.examined, r.roles);
    if (r.reports.length === 0) return `${warningLines(r.warnings)}No overlaps: ${scope}.`;
    // Markdown from the service: bundle text in it is already inert (controls visible, nothing a terminal acts on).
    return warningLines(r.warnings) + r.reports.map(overlapReportMarkdown).join('\n---\n\n');
  };
  return { json, human };
}

export const overlapsCommand: CliCommand = {
  name: 'overlaps',
  synopsis: 'overlaps DIR [--role ROLE] [--explain] [--json]',
  summary: 'intervals of one role that overlap across nodes; --explain: a report on each',
  run: (ctx, cl) =>
    cl.explain ? explainOutput(service.explainOverlaps(ctx, { role: cl.role })) : overlapsOutput(service.overlaps(ctx, { role: cl.role })),
};
