import type { IntervalInfo, LeadersResult } from '../../service';
import { table } from '../table';
import { spaced, warningLines, type CliCommand, type Output } from './output';
import * as service from '../../service';
import type { IntervalJson, LeadersJson } from '../json';

/** The stable JSON shape of one interval (`leaders --json`, and inside `overlaps --json`). */
export function intervalJson(iv: IntervalInfo): IntervalJson {
  return {
    role: iv.role,
    node: iv.node,
    start: iv.startLabel,
    end: iv.endLabel,
    seconds: iv.seconds,
    startSource: { file: iv.startSource.file, line: iv.startSource.line },
    endSource: { file: iv.endSource.file, line: iv.endSource.line },
    endReason: iv.endReason,
    ...(iv.epoch !== undefined ? { epoch: iv.epoch, epochBy: iv.epochBy } : {}),
    ...(iv.epochAtLeast !== undefined ? { epochAtLeast: iv.epochAtLeast } : {}),
    ...(iv.electionSeq !== undefined ? { electionSeq: iv.electionSeq } : {}),
    ...(iv.phases
      ? { phases: iv.phases.map((p) => ({ phase: p.phase, time: p.timeLabel, file: p.source.file, line: p.source.line })) }
      : {}),
    ...(iv.bundle !== undefined ? { bundle: iv.bundle } : {}),
  };
}

/** `quorum-lens leaders DIR`: every leader interval of the role(s). */
export function leadersOutput(r: LeadersResult): Output {
  const json: LeadersJson = { intervals: r.intervals.map(intervalJson), warnings: r.warnings };
  return { json, human: () => warningLines(r.warnings) + printLeaders(r.intervals) };
}

function printLeaders(intervals: readonly IntervalInfo[]): string {
  if (intervals.length === 0) return 'No leader intervals found.';
  return table(
    ['ROLE', 'NODE', 'START', 'END', 'SECONDS', 'END REASON', 'SOURCE'],
    intervals.map((iv) => [
      iv.role,
      iv.node,
      spaced(iv.startLabel),
      spaced(iv.endLabel),
      iv.seconds.toFixed(6),
      iv.endReason + (iv.epoch !== undefined ? ` (epoch ${iv.epoch})` : ''),
      `${iv.startSource.file}:${iv.startSource.line}`,
    ]),
  );
}

export const leadersCommand: CliCommand = {
  name: 'leaders',
  synopsis: 'leaders DIR [--role ROLE] [--json]',
  summary: 'leader intervals per node',
  run: (ctx, cl) => leadersOutput(service.leaders(ctx, { role: cl.role })),
};
