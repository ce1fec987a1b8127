import type { ContextResult } from '../../service';
import { terminalText } from '../../core/inertText';
import { table } from '../table';
import { spaced, type CliCommand, type Output } from './output';
import * as service from '../../service';
import type { ContextJson } from '../json';

/** `quorum-lens context DIR TIME`: what every node wrote within ±window of a moment. */
export function contextOutput(r: ContextResult): Output {
  const json: ContextJson = {
    center: r.centerLabel ?? null,
    windowSeconds: r.windowSeconds,
    truncatedFiles: r.truncatedFiles,
    unreadable: r.unreadable,
    lines: r.lines.map((l) => ({ node: l.node, file: l.location.file, line: l.location.line, time: l.timeLabel ?? null, text: l.text })),
  };
  const human = () => {
    if (r.problem) return terminalText(r.problem);
    if (r.lines.length === 0) return `No node wrote anything within ±${r.windowSeconds} s of ${spaced(r.centerLabel)}.`;
    const rows = r.lines.map((l) => [
      spaced(l.timeLabel),
      l.node,
      `${l.location.file.slice(l.location.file.lastIndexOf('/') + 1)}:${l.location.line}`,
      l.text.slice(0, 160),
    ]);
    return `${r.lines.length} lines within ±${r.windowSeconds} s of ${spaced(r.centerLabel)}:\n\n${table(['TIME', 'NODE', 'SOURCE', 'LINE'], rows)}`;
  };
  return { json, human, unreadable: r.unreadable };
}

export const contextCommand: CliCommand = {
  name: 'context',
  synopsis: 'context DIR TIME [--window 5s] [--json]',
  summary: 'what every node wrote around a moment',
  needs: 'a TIME',
  run: async (ctx, cl) => contextOutput(await service.clusterContext(ctx, { time: cl.center, windowSeconds: cl.windowSeconds })),
};
