import { nodeName } from './present';
import type { ClockOffsetsResult, NodeClockOffsets } from './results';
import type { ServiceContext } from './serviceContext';

/** What NTP/chrony measured of each node's clock, next to the correction the user configured. */
export function clockOffsets(ctx: ServiceContext): ClockOffsetsResult {
  const nodes: NodeClockOffsets[] = [];
  for (const b of ctx.bundles) {
    const measured = b.queries.clockOffsetStats();
    for (const n of b.index.nodes) {
      if (n.kind !== 'node') continue;
      nodes.push({
        node: n.name,
        label: nodeName(ctx, b, n.name),
        measured: measured.get(n.name),
        configuredMs: ctx.clockOffsetsMs[n.name],
      });
    }
  }
  return { nodes };
}
