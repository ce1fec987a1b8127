import type { ClockOffsetsResult } from '../../service';
import { table } from '../table';
import type { CliCommand, Output } from './output';
import * as service from '../../service';
import type { OffsetsJson } from '../json';

/** `quorum-lens offsets DIR`: the clock offsets NTP/chrony measured, per node (seconds). */
export function offsetsOutput(r: ClockOffsetsResult): Output {
  const measured = r.nodes
    .flatMap((n) => (n.measured ? [{ node: n.node, s: n.measured }] : []))
    .sort((a, b) => a.node.localeCompare(b.node));
  const json: OffsetsJson = {
    nodes: measured.map(({ node, s }) => ({
      node,
      count: s.count,
      min: s.min,
      max: s.max,
      mean: s.mean,
      median: s.median,
      maxAbs: s.maxAbs,
    })),
  };
  const short = (v: number) => String(Number(v.toPrecision(4)));
  const human = () =>
    json.nodes.length === 0
      ? 'No NTP/chrony offsets found in the bundle.'
      : table(
          ['NODE', 'READINGS', 'MIN s', 'MAX s', 'MEAN s', 'MEDIAN s', 'LARGEST |s|'],
          json.nodes.map((x) => [x.node, String(x.count), ...[x.min, x.max, x.mean, x.median, x.maxAbs].map(short)]),
        );
  return { json, human };
}

export const offsetsCommand: CliCommand = {
  name: 'offsets',
  synopsis: 'offsets DIR [--json]',
  summary: 'clock offsets NTP/chrony measured, per node',
  run: (ctx) => offsetsOutput(service.clockOffsets(ctx)),
};
