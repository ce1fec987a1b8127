import type { ContextResult } from '../../service';
import { plural } from '../../core/plural';
import { terminalText } from '../../core/inertText';
import { table } from '../table';
import { cutRowsNote, lineJson, rowText, spaced, type CliCommand, type Output } from './output';
import * as service from '../../service';
import type { ContextJson } from '../json';

/** `quorum-lens context DIR TIME`: what every node wrote within ±window of a moment. */
export function contextOutput(r: ContextResult): Output {
  const json: ContextJson = {
    center: r.centerLabel ?? null,
    windowSeconds: r.windowSeconds,
    truncatedFiles: r.truncatedFiles,
    maxLinesPerFile: r.maxLinesPerFile,
    unreadable: r.unreadable,
    skippedFiles: r.skippedFiles,
    notes: r.notes,
    lines: r.lines.map(lineJson),
  };
  const human = () => {
    if (r.problem) return terminalText(r.problem);
    if (r.lines.length === 0) return `No node wrote anything within ±${r.windowSeconds} s of ${spaced(r.centerLabel)}.${leftOut(r)}`;
    const rows = r.lines.map((l) => [
      spaced(l.timeLabel),
      l.node,
      `${l.location.file.slice(l.location.file.lastIndexOf('/') + 1)}:${l.location.line}`,
      rowText(l.text),
    ]);
    const cut = cutRowsNote(r.lines.map((l) => l.text));
    return `${plural(r.lines.length, 'line')} within ±${r.windowSeconds} s of ${spaced(r.centerLabel)}:\n\n${table(['TIME', 'NODE', 'SOURCE', 'LINE'], rows)}${cut}${leftOut(r)}`;
  };
  return { json, human, unreadable: r.unreadable };
}

/** What the answer does not hold, after the lines: files cut at the limit, read in part, or not read. */
function leftOut(r: ContextResult): string {
  const out: string[] = [];
  if (r.truncatedFiles.length) {
    out.push(
      '',
      `Cut at ${plural(r.maxLinesPerFile, 'line')} per file: more lines in the window than shown (narrow --window) in ${plural(r.truncatedFiles.length, 'file')}:`,
    );
    for (const f of r.truncatedFiles) out.push(`  ${terminalText(f)}`);
  }
  if (r.notes.length) {
    out.push('', `Read in part (${r.notes.length}):`);
    for (const n of r.notes) out.push(`  ${terminalText(n.file)}: ${terminalText(n.note)}`);
  }
  if (r.skippedFiles.length) {
    out.push('', `Not read (${r.skippedFiles.length}):`);
    for (const s of r.skippedFiles) out.push(`  ${terminalText(s.file)}: ${terminalText(s.reason)}`);
  }
  return out.length ? `\n${out.join('\n')}` : '';
}

export const contextCommand: CliCommand = {
  name: 'context',
  synopsis: 'context DIR TIME [--window 5s] [--json]',
  summary: 'what every node wrote around a moment',
  needs: 'a TIME',
  run: async (ctx, cl) => contextOutput(await service.clusterContext(ctx, { time: cl.center, windowSeconds: cl.windowSeconds })),
};
